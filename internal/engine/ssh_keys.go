package engine

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"
)

var (
	// ErrHostKeyUnknown is an SSH host whose key known_hosts does not
	// have: shipshape never trusts a key on first use.
	ErrHostKeyUnknown = errors.New("SSH host key not known")
	// ErrHostKeyChanged is an SSH host presenting a key other than the
	// one known_hosts has for it (or one marked @revoked).
	ErrHostKeyChanged = errors.New("SSH host key changed")
)

// HostKeyError is an SSH host key refused: unknown, changed or revoked.
// Its message says what to run.
type HostKeyError struct {
	Kind       error // ErrHostKeyUnknown or ErrHostKeyChanged
	Host       SSHHost
	Presented  string // the key the host presented: its type and SHA256 fingerprint
	KnownHosts string // the file that was read
	Known      string // for a changed key: the key known_hosts has, and where (file:line)
}

func (e *HostKeyError) Unwrap() error { return e.Kind }

func (e *HostKeyError) Error() string {
	port := ""
	if e.Host.Port != 22 {
		port = "-p " + strconv.Itoa(e.Host.Port) + " "
	}
	if errors.Is(e.Kind, ErrHostKeyUnknown) {
		return fmt.Sprintf("the SSH host key of %s is not known: it presents %s, and %s has no key for it. "+
			"If that is the host's key (on the host: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub), trust it with: ssh-keyscan %s%s >> %s",
			e.Host.addr(), e.Presented, e.KnownHosts, port, e.Host.Host, e.KnownHosts)
	}
	return fmt.Sprintf("the SSH host key of %s has CHANGED: it presents %s, but %s. "+
		"Someone may be intercepting the connection; refusing it. If the host was reinstalled and you have checked its new key, "+
		"remove the old one with: ssh-keygen -R '%s' -f %s, then trust the new one with: ssh-keyscan %s%s >> %s",
		e.Host.addr(), e.Presented, e.Known, knownhosts.Normalize(e.Host.addr()), e.KnownHosts, port, e.Host.Host, e.KnownHosts)
}

// maxKeyFile bounds what a private key file may make us read.
const maxKeyFile = 64 << 10

// hostKeys is the check of the host's key against known_hosts (a missing
// file knows no host), and the key algorithms to ask the host for: those
// of the keys known_hosts has for it, so that a host with several keys
// presents the one that is known rather than a "changed" one.
func hostKeys(h SSHHost, knownHostsFile string) (ssh.HostKeyCallback, []string, error) {
	known, err := knownhosts.New(knownHostsFile)
	if errors.Is(err, fs.ErrNotExist) {
		known = func(string, net.Addr, ssh.PublicKey) error { return &knownhosts.KeyError{} }
	} else if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", knownHostsFile, err)
	}
	check := func(hostname string, remote net.Addr, key ssh.PublicKey) error {
		err := known(hostname, remote, key)
		presented := key.Type() + " " + ssh.FingerprintSHA256(key)
		var ke *knownhosts.KeyError
		var re *knownhosts.RevokedError
		switch {
		case errors.As(err, &re):
			return &HostKeyError{Kind: ErrHostKeyChanged, Host: h, Presented: presented, KnownHosts: knownHostsFile,
				Known: fmt.Sprintf("%s:%d marks it @revoked", re.Revoked.Filename, re.Revoked.Line)}
		case errors.As(err, &ke) && len(ke.Want) == 0:
			return &HostKeyError{Kind: ErrHostKeyUnknown, Host: h, Presented: presented, KnownHosts: knownHostsFile}
		case errors.As(err, &ke):
			w := ke.Want[0]
			return &HostKeyError{Kind: ErrHostKeyChanged, Host: h, Presented: presented, KnownHosts: knownHostsFile,
				Known: fmt.Sprintf("%s:%d has %s %s for it", w.Filename, w.Line, w.Key.Type(), ssh.FingerprintSHA256(w.Key))}
		}
		return err
	}
	return check, knownAlgorithms(known, h), nil
}

// knownAlgorithms asks known_hosts which keys it has for h (a key it
// cannot have makes it list them) and returns their algorithms, nil when
// it has none.
func knownAlgorithms(known ssh.HostKeyCallback, h SSHHost) []string {
	// No host has the all-zero ed25519 key.
	probe, err := ssh.NewPublicKey(ed25519.PublicKey(make([]byte, ed25519.PublicKeySize)))
	if err != nil {
		return nil
	}
	var ke *knownhosts.KeyError
	remote := &net.TCPAddr{IP: net.ParseIP(h.Host), Port: h.Port}
	if !errors.As(known(h.addr(), remote, probe), &ke) {
		return nil
	}
	var algos []string
	seen := map[string]bool{}
	for _, w := range ke.Want {
		for _, a := range algorithmsOf(w.Key.Type()) {
			if !seen[a] {
				seen[a] = true
				algos = append(algos, a)
			}
		}
	}
	return algos
}

// algorithmsOf is what a key type may sign a handshake with: an RSA key
// with SHA-2 first (OpenSSH refuses ssh-rsa's SHA-1 by default).
func algorithmsOf(keyType string) []string {
	if keyType == ssh.KeyAlgoRSA {
		return []string{ssh.KeyAlgoRSASHA512, ssh.KeyAlgoRSASHA256, ssh.KeyAlgoRSA}
	}
	return []string{keyType}
}

// authentication is what we offer the host: the keys ssh-agent holds
// (SSH_AUTH_SOCK), then ~/.ssh/id_ed25519, id_ecdsa and id_rsa, as ssh(1)
// does. A key file protected by a passphrase is skipped with a note, as
// is an agent that does not answer; the notes go into the error when the
// host refuses every key.
type authentication struct {
	signers []ssh.Signer
	offered []string // what the signers came from, for the error
	notes   []string
	close   func()
}

func authenticate(home string) *authentication {
	a := &authentication{close: func() {}}
	if sock := os.Getenv("SSH_AUTH_SOCK"); sock != "" {
		a.fromAgent(sock)
	}
	for _, name := range []string{"id_ed25519", "id_ecdsa", "id_rsa"} {
		a.fromFile(filepath.Join(home, ".ssh", name))
	}
	return a
}

func (a *authentication) fromFile(path string) {
	data, err := readBounded(path, maxKeyFile)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		a.notes = append(a.notes, fmt.Sprintf("%v (skipped)", err))
		return
	}
	signer, err := ssh.ParsePrivateKey(data)
	var missing *ssh.PassphraseMissingError
	switch {
	case errors.As(err, &missing):
		a.notes = append(a.notes, path+" has a passphrase: add it to ssh-agent (ssh-add "+path+")")
		return
	case err != nil:
		a.notes = append(a.notes, fmt.Sprintf("%s is not a private key shipshape reads (%v)", path, err))
		return
	}
	a.signers = append(a.signers, signer)
	a.offered = append(a.offered, path)
}

// refused is the error for a host that accepted none of the keys.
func (a *authentication) refused(h SSHHost, home string, err error) error {
	offered := "it offered none: no ssh-agent (SSH_AUTH_SOCK), no id_ed25519, id_ecdsa or id_rsa in " + filepath.Join(home, ".ssh")
	if len(a.offered) > 0 {
		offered = "it offered " + strings.Join(a.offered, ", ")
	}
	msg := fmt.Sprintf("%s refused the keys shipshape offered (%s): add your public key to ~%s/.ssh/authorized_keys on the host, or load the key it knows into ssh-agent (ssh-add)", h, offered, h.User)
	if len(a.notes) > 0 {
		msg += "; " + strings.Join(a.notes, "; ")
	}
	return fmt.Errorf("%s [%w]", msg, err)
}
