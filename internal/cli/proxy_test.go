package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/cli/proxycmd"
)

// The automatic TLS flags are refused (exit 2, naming the fix) before
// the proxy listens or asks a CA.
func TestProxy_ACMEFlagsRefused(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--acme-email", "ops@example.com"}, "--acme-email is for automatic TLS: add --acme"},
		{[]string{"--acme-dir", "/tmp/x"}, "--acme-dir is for automatic TLS: add --acme"},
		{[]string{"--acme", "--tls-cert", "c.pem", "--tls-key", "k.pem"}, "leave out --tls-cert"},
		{[]string{"--http-listen", ":80"}, "add --acme or --tls-cert"},
		{[]string{"--acme", "--acme-directory", "http://ca.test/dir"}, "https:// directory URL"},
		{[]string{"--acme", "--https-port", "443"}, "add --http-listen"},
		{[]string{"--acme", "--http-listen", ":80", "--https-port", "70000"}, "want a port"},
		{[]string{"--tls-cert", "c.pem"}, "--tls-cert and --tls-key go together"},
		{[]string{"--trust", "10.0.0.0"}, "want a CIDR"},
	} {
		code, _, stderr := run(t, "", "", append([]string{"proxy"}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("proxy %v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

// shipshape-proxy, the binary of the proxy's image, reads as shipshape
// proxy does: the same text, flags and defaults, its own name in the
// usage and the examples, and without install and upgrade, which need
// the rest of shipshape.
func TestProxy_HelpSameAsShipshapeProxy(t *testing.T) {
	code, verb, errOut := run(t, "", "", "proxy", "--help")
	if code != 0 {
		t.Fatalf("shipshape proxy --help: exit %d, %s", code, errOut)
	}
	var alone, aloneErr bytes.Buffer
	if code := proxycmd.Execute(context.Background(), "v", []string{"--help"}, &alone, &aloneErr); code != 0 {
		t.Fatalf("shipshape-proxy --help: exit %d, %s", code, aloneErr.String())
	}
	var want []string
	skip := false
	for _, line := range strings.Split(verb, "\n") {
		switch {
		case line == "Available Commands:":
			skip = true
		case skip && line == "":
			skip = false
			continue
		case strings.HasPrefix(line, `Use "shipshape proxy [command] --help"`), line == "  shipshape proxy [command]":
			continue
		}
		if !skip {
			want = append(want, line)
		}
	}
	r := strings.NewReplacer("shipshape proxy", "shipshape-proxy", "help for proxy", "help for shipshape-proxy")
	if got, want := alone.String(), strings.TrimRight(r.Replace(strings.Join(want, "\n")), "\n")+"\n"; got != want {
		t.Errorf("shipshape-proxy --help differs from shipshape proxy --help:\n%s\nwant:\n%s", got, want)
	}
	if !strings.Contains(verb, "install") || !strings.Contains(verb, "upgrade") {
		t.Errorf("shipshape proxy --help lists no install and upgrade:\n%s", verb)
	}
}
