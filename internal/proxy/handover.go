package proxy

import (
	"bufio"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// An upgrade hands the listening sockets from the running proxy to its
// successor, so that no connection is refused and none waiting in the
// kernel's accept queue is lost (the queue belongs to the socket, which
// both processes hold for a moment):
//
//  1. The new proxy connects to the old one's hand-over socket (beside
//     the state file they share) and says which addresses it serves.
//  2. The old one stops its admin API (calls in flight finish), stops
//     writing the state file, saves the state a last time and sends its
//     listening sockets (SCM_RIGHTS) with its version.
//  3. The new one loads the state file, serves on the sockets, listens on
//     the admin and hand-over sockets, and says so.
//  4. The old one stops accepting, finishes the requests in flight, closes
//     its idle keep-alive connections (http.Server.Shutdown) and exits.
//
// If the new one goes away before step 3 ends, the old one takes its admin
// API and hand-over socket back and goes on serving, as if nothing happened.

// HandoverPath is the hand-over socket of the proxy whose state file is
// statePath.
func HandoverPath(statePath string) string { return statePath + ".handover.sock" }

const (
	// handoverTimeout bounds the whole hand-over as the new proxy sees it,
	// admin calls in flight on the old one included.
	handoverTimeout = 45 * time.Second
	// adminGrace is how long the old proxy's admin calls in flight may take
	// to finish before they are cut (a switch waits for its targets).
	adminGrace = 30 * time.Second
	// successorTimeout is how long the old proxy waits for the new one to
	// serve on the sockets it sent before taking them back.
	successorTimeout = 60 * time.Second
	maxHandoverLine  = 64 << 10
)

// handoverHello is the new proxy's first line.
type handoverHello struct {
	Version    string `json:"version"`
	Listen     string `json:"listen"`
	HTTPListen string `json:"http_listen,omitempty"`
}

// handoverReply follows the sockets (or, with Error, none).
type handoverReply struct {
	Error   string `json:"error,omitempty"`
	Version string `json:"version,omitempty"`
	Sockets int    `json:"sockets,omitempty"`
}

// handoverAck is the new proxy's last line: it serves.
type handoverAck struct {
	Serving bool   `json:"serving"`
	Version string `json:"version"`
}

// predecessor is the running proxy this one takes the listeners of.
type predecessor struct {
	conn      *net.UnixConn
	listeners *listeners
	version   string
}

// takeOver asks a proxy running with cfg's state file for its listening
// sockets. It returns nil, and no error, when none answers there: none
// runs, or one crashed and left its socket behind.
func takeOver(ctx context.Context, cfg Config) (*predecessor, error) {
	path := HandoverPath(cfg.StatePath)
	d := net.Dialer{Timeout: 2 * time.Second}
	c, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return nil, nil
	}
	conn := c.(*net.UnixConn)
	prev, err := handshake(conn, cfg)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("taking over from the proxy running with %s: %w", cfg.StatePath, err)
	}
	if cfg.Logger != nil {
		cfg.Logger.Info("took the listeners over", "from", prev.version, "addr", prev.listeners.traffic.Addr().String())
	}
	return prev, nil
}

// handshake is the new proxy's side of steps 1 and 2.
func handshake(conn *net.UnixConn, cfg Config) (*predecessor, error) {
	_ = conn.SetDeadline(time.Now().Add(handoverTimeout))
	if err := writeLine(conn, handoverHello{Version: cfg.Version, Listen: cfg.Listen, HTTPListen: cfg.HTTPListen}); err != nil {
		return nil, err
	}
	files, err := receiveFiles(conn)
	if err != nil {
		return nil, err
	}
	var reply handoverReply
	err = readLine(bufio.NewReader(io.LimitReader(conn, maxHandoverLine)), &reply)
	if err == nil && reply.Error != "" {
		err = errors.New(reply.Error)
	}
	if err == nil && len(files) != reply.Sockets {
		err = fmt.Errorf("received %d sockets, the running proxy sent %d", len(files), reply.Sockets)
	}
	if err == nil && len(files) != 1+boolInt(cfg.HTTPListen != "") {
		err = fmt.Errorf("received %d sockets for --listen and --http-listen", len(files))
	}
	ls := &listeners{}
	for i, f := range files {
		var ln net.Listener
		if err == nil {
			ln, err = net.FileListener(f)
		}
		f.Close() // FileListener holds its own copy
		if ln != nil {
			if i == 0 {
				ls.traffic = ln
			} else {
				ls.http = ln
			}
		}
	}
	if err != nil {
		if ls.traffic != nil {
			ls.close()
		}
		return nil, err
	}
	_ = conn.SetDeadline(time.Time{})
	return &predecessor{conn: conn, listeners: ls, version: reply.Version}, nil
}

// serving tells the previous proxy that this one serves: it drains and
// exits. Nil-safe: a proxy that took nothing over has no one to tell.
func (p *predecessor) serving(version string) {
	if p == nil {
		return
	}
	_ = p.conn.SetDeadline(time.Now().Add(5 * time.Second))
	_ = writeLine(p.conn, handoverAck{Serving: true, Version: version})
	p.conn.Close()
}

// abandon tells the previous proxy this one will not serve: it takes its
// admin API back and goes on. Nil-safe.
func (p *predecessor) abandon() {
	if p != nil {
		p.conn.Close()
	}
}

// handoverServer is the old proxy's side: it answers one successor at a
// time on the hand-over socket; done is closed once one serves.
type handoverServer struct {
	cfg       Config
	ls        *listeners
	servers   *servers
	saving    *atomic.Bool
	proxy     *Proxy
	ln        atomic.Pointer[net.UnixListener]
	done      chan struct{}
	successor string // its version, once done is closed
	// mu orders listening again after a refused successor against
	// shutdown: once shut, nothing listens (a socket made after Run
	// returned would outlive it).
	mu   sync.Mutex
	shut bool
}

// listenHandover listens on the hand-over socket beside the state file
// (0600: whoever may take the proxy's sockets may run it) and answers
// successors until close.
func listenHandover(cfg Config, ls *listeners, s *servers, saving *atomic.Bool, p *Proxy) (*handoverServer, error) {
	h := &handoverServer{cfg: cfg, ls: ls, servers: s, saving: saving, proxy: p, done: make(chan struct{})}
	if err := h.listen(); err != nil {
		return nil, err
	}
	go h.accept()
	return h, nil
}

func (h *handoverServer) listen() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.shut {
		return errHandoverShut
	}
	path := HandoverPath(h.cfg.StatePath)
	_ = os.Remove(path) // a stale socket from a previous run
	ln, err := net.ListenUnix("unix", &net.UnixAddr{Name: path, Net: "unix"})
	if err != nil {
		return fmt.Errorf("hand-over listen %s: %v", path, err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return err
	}
	h.ln.Store(ln)
	return nil
}

// errHandoverShut is listen's answer after shutdown.
var errHandoverShut = errors.New("the proxy is stopping")

// pause stops answering successors for the time one is handled (and
// removes the socket, so its path is free for the successor).
func (h *handoverServer) pause() {
	if ln := h.ln.Swap(nil); ln != nil {
		ln.Close()
	}
}

// close stops answering successors for good: a refused successor's
// handling that ends after it does not listen again.
func (h *handoverServer) close() {
	h.mu.Lock()
	h.shut = true
	h.mu.Unlock()
	h.pause()
}

func (h *handoverServer) accept() {
	for {
		ln := h.ln.Load()
		if ln == nil {
			return
		}
		conn, err := ln.AcceptUnix()
		if err != nil {
			return // closed
		}
		// One successor at a time, and the socket's path free for it to
		// listen on once it serves.
		h.pause()
		handed := h.handle(conn)
		conn.Close()
		if handed {
			close(h.done)
			return
		}
		if err := h.listen(); errors.Is(err, errHandoverShut) {
			return
		} else if err != nil {
			h.logError("listening for a hand-over again: this proxy can no longer be upgraded in place", err)
			return
		}
	}
}

// handle is steps 2 and 4 of a hand-over; it reports whether the
// successor serves. Otherwise this proxy serves as before.
func (h *handoverServer) handle(conn *net.UnixConn) bool {
	_ = conn.SetDeadline(time.Now().Add(handoverTimeout))
	r := bufio.NewReader(io.LimitReader(conn, maxHandoverLine))
	var hello handoverHello
	if err := readLine(r, &hello); err != nil {
		return false
	}
	if hello.Listen != h.cfg.Listen || hello.HTTPListen != h.cfg.HTTPListen {
		h.refuse(conn, fmt.Sprintf("the running proxy (version %s) serves --listen %q --http-listen %q, the new one asks for %q and %q: a hand-over keeps the addresses; stop the running proxy first to change them",
			h.cfg.Version, h.cfg.Listen, h.cfg.HTTPListen, hello.Listen, hello.HTTPListen))
		return false
	}
	files, err := h.files()
	if err != nil {
		h.refuse(conn, err.Error())
		return false
	}
	defer func() {
		for _, f := range files {
			f.Close()
		}
	}()

	adminCtx, cancel := context.WithTimeout(context.Background(), adminGrace)
	h.servers.stopAdmin(adminCtx)
	cancel()
	h.saving.Store(false)
	if err := (&StateFile{Path: h.cfg.StatePath}).Save(h.proxy.state(false)); err != nil {
		h.resume(fmt.Errorf("saving the state for the new proxy: %w", err))
		h.refuse(conn, "the running proxy could not save its state: "+err.Error())
		return false
	}
	if err := sendFiles(conn, files); err != nil {
		h.resume(err)
		return false
	}
	if err := writeLine(conn, handoverReply{Version: h.cfg.Version, Sockets: len(files)}); err != nil {
		h.resume(err)
		return false
	}
	_ = conn.SetDeadline(time.Now().Add(successorTimeout))
	var ack handoverAck
	if err := readLine(r, &ack); err != nil || !ack.Serving {
		h.resume(fmt.Errorf("the new proxy (version %s) did not start serving: %v", hello.Version, err))
		return false
	}
	h.successor = ack.Version
	return true
}

// files are copies of the listening sockets, traffic first.
func (h *handoverServer) files() ([]*os.File, error) {
	var files []*os.File
	for _, ln := range []net.Listener{h.ls.traffic, h.ls.http} {
		if ln == nil {
			continue
		}
		fl, ok := ln.(interface{ File() (*os.File, error) })
		if !ok {
			return nil, fmt.Errorf("the listener on %s cannot be handed over", ln.Addr())
		}
		f, err := fl.File()
		if err != nil {
			for _, f := range files {
				f.Close()
			}
			return nil, fmt.Errorf("handing over %s: %v", ln.Addr(), err)
		}
		files = append(files, f)
	}
	return files, nil
}

// refuse tells a successor why it gets no sockets.
func (h *handoverServer) refuse(conn *net.UnixConn, why string) {
	if _, _, err := conn.WriteMsgUnix([]byte{'E'}, nil, nil); err == nil {
		_ = writeLine(conn, handoverReply{Error: why})
	}
}

// resume takes the admin API and the state file back after a hand-over
// that did not happen.
func (h *handoverServer) resume(why error) {
	h.logError("the hand-over failed: serving on as before", why)
	h.saving.Store(true)
	if err := h.servers.listenAdmin(h.cfg); err != nil {
		h.logError("the admin API could not listen again: restart the proxy", err)
	}
}

func (h *handoverServer) logError(msg string, err error) {
	if h.cfg.Logger != nil {
		h.cfg.Logger.Error(msg, "error", fmt.Sprint(err))
	}
}

// sendFiles sends files' descriptors in a one-byte message. Not through
// File.Fd, which would put the socket, shared with the listener still
// accepting here, into blocking mode: its Accept could then never be
// interrupted by Close.
func sendFiles(conn *net.UnixConn, files []*os.File) error {
	fds := make([]int, 0, len(files))
	for _, f := range files {
		raw, err := f.SyscallConn()
		if err != nil {
			return err
		}
		if err := raw.Control(func(fd uintptr) { fds = append(fds, int(fd)) }); err != nil {
			return err
		}
	}
	_, _, err := conn.WriteMsgUnix([]byte{'F'}, syscall.UnixRights(fds...), nil)
	return err
}

// receiveFiles reads the one-byte message that carries the sockets: 'F'
// with them, 'E' without (a refusal, whose reason follows).
func receiveFiles(conn *net.UnixConn) ([]*os.File, error) {
	buf := make([]byte, 1)
	oob := make([]byte, syscall.CmsgSpace(4*4))
	n, oobn, _, _, err := conn.ReadMsgUnix(buf, oob)
	if err != nil {
		return nil, fmt.Errorf("reading the running proxy's answer: %w", err)
	}
	if n != 1 || (buf[0] != 'F' && buf[0] != 'E') {
		return nil, errors.New("the hand-over socket does not speak the hand-over protocol")
	}
	msgs, err := syscall.ParseSocketControlMessage(oob[:oobn])
	if err != nil {
		return nil, err
	}
	var files []*os.File
	for _, m := range msgs {
		fds, err := syscall.ParseUnixRights(&m)
		if err != nil {
			continue
		}
		for _, fd := range fds {
			files = append(files, os.NewFile(uintptr(fd), "handed-over socket"))
		}
	}
	return files, nil
}

func writeLine(w io.Writer, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

func readLine(r *bufio.Reader, v any) error {
	line, err := r.ReadBytes('\n')
	if err != nil {
		return fmt.Errorf("reading a hand-over message: %w", err)
	}
	return json.Unmarshal(line, v)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// VersionPath answers VersionInfo on the admin API: which build serves,
// for shipshape proxy upgrade to tell the old from the new.
const VersionPath = "/v1/version"

// VersionInfo is the answer to GET /v1/version.
type VersionInfo struct {
	Version string `json:"version"`
	PID     int    `json:"pid"`
}

// withVersion answers GET /v1/version beside the admin API, with the same
// bearer token check.
func withVersion(admin *Admin, version string) http.Handler {
	info := VersionInfo{Version: version, PID: os.Getpid()}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.TrimSuffix(r.URL.Path, "/") != VersionPath || r.Method != http.MethodGet {
			admin.ServeHTTP(w, r)
			return
		}
		if admin.Token != "" {
			got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
			if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(admin.Token)) != 1 {
				w.Header().Set("WWW-Authenticate", "Bearer")
				writeJSON(w, http.StatusUnauthorized, ErrorResponse{Error: "missing or wrong bearer token"})
				return
			}
		}
		writeJSON(w, http.StatusOK, info)
	})
}

// Version asks the proxy which build serves it.
func (c *Client) Version(ctx context.Context) (VersionInfo, error) {
	var v VersionInfo
	err := c.do(ctx, http.MethodGet, VersionPath, nil, &v)
	return v, err
}
