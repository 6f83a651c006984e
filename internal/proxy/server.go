package proxy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// Config is what `shipshape proxy` runs.
type Config struct {
	Listen    string // address for traffic, e.g. 127.0.0.1:8080
	Admin     string // unix:///run/shipshape/proxy.sock or 127.0.0.1:9901 (then Token is required)
	Token     string
	StatePath string
	TLSCert   string
	TLSKey    string
	// ACME, when set, serves HTTPS with certificates obtained and renewed
	// by ACME for the routed hosts (instead of TLSCert and TLSKey).
	ACME *ACME
	// HTTPListen, with TLS, is a plain HTTP address (e.g. :80) that
	// answers ACME HTTP-01 challenges and redirects the rest to HTTPS.
	HTTPListen string
	// HTTPSPort is the port those redirects name (0: Listen's; behind a
	// port mapping, the published one).
	HTTPSPort int
	// HeaderTimeout is how long a client may take to send its request
	// headers before the connection is closed (slowloris; 0: 10 s).
	HeaderTimeout time.Duration
	// Version is what GET /v1/version answers: the build that serves.
	Version string
	Options
}

// Server timeouts: slow clients cannot hold connections open (slowloris),
// while responses may stream for as long as the backend streams.
const (
	defaultHeaderTimeout = 10 * time.Second
	readTimeout          = 60 * time.Second
	idleTimeout          = 120 * time.Second
	maxHeaderBytes       = 64 << 10
	// shutdownGrace is how long requests in flight may take to finish
	// when the proxy stops or hands its listeners over.
	shutdownGrace = 30 * time.Second
)

// Run serves traffic and the admin API until ctx is done, then shuts down
// gracefully. When another proxy with the same state file is running, Run
// takes its listening sockets over (see handover.go) and that one drains
// and exits: an upgrade drops no request. The state is restored from
// StatePath (after a hand-over, as the previous proxy last saved it) and
// saved after every change.
func Run(ctx context.Context, cfg Config) error {
	if err := cfg.check(); err != nil {
		return err
	}
	log := cfg.Logger
	prev, err := takeOver(ctx, cfg)
	if err != nil {
		return err
	}
	ls, err := openListeners(cfg, prev)
	if err != nil {
		prev.abandon()
		return err
	}
	defer ls.close()

	state := &StateFile{Path: cfg.StatePath}
	saved, err := state.Load()
	if err != nil {
		prev.abandon()
		return err
	}
	var certs *certManager
	if cfg.ACME != nil {
		if certs, err = newCertManager(*cfg.ACME, log); err != nil {
			prev.abandon()
			return err
		}
	}
	// saving stops once the listeners are handed to a newer proxy: from
	// then on the state file is that one's.
	var saving atomic.Bool
	saving.Store(true)
	cfg.OnChange = func(st State) {
		if saving.Load() {
			if err := state.Save(st); err != nil && log != nil {
				log.Error("saving state", "path", cfg.StatePath, "error", err.Error())
			}
		}
		if certs != nil {
			certs.setRoutes(st.Routes)
		}
	}
	p := New(cfg.Options)
	defer p.Close()
	if err := p.Load(saved); err != nil {
		prev.abandon()
		return fmt.Errorf("%s: %v", cfg.StatePath, err)
	}

	s := newServers(cfg, p, certs, ls)
	errs := s.serve(cfg)
	if err := s.listenAdmin(cfg); err != nil {
		prev.abandon()
		s.close()
		return err
	}
	handover, err := listenHandover(cfg, ls, s, &saving, p)
	if err != nil {
		prev.abandon()
		s.close()
		return err
	}
	defer handover.close()
	prev.serving(cfg.Version)
	if log != nil {
		log.Info("proxy listening", "addr", ls.traffic.Addr().String(), "http", cfg.HTTPListen, "admin", cfg.Admin,
			"services", len(saved.Services), "version", cfg.Version, "taken_over", prev != nil)
	}
	if certs != nil {
		// After the listeners: the CA's challenges need them.
		acmeCtx, stopACME := context.WithCancel(ctx)
		defer stopACME()
		go certs.run(acmeCtx)
	}
	select {
	case <-ctx.Done():
	case <-handover.done:
		if log != nil {
			log.Info("listeners handed over: finishing the requests in flight", "to", handover.successor)
		}
	case err := <-errs:
		if !errors.Is(err, http.ErrServerClosed) {
			s.close()
			return err
		}
	}
	return s.shutdown()
}

// check validates what Run is given before anything listens.
func (cfg *Config) check() error {
	if cfg.StatePath == "" {
		return errors.New("a state file is required (--state)")
	}
	if !strings.HasPrefix(cfg.Admin, "unix://") && cfg.Token == "" {
		return errors.New("an admin API on TCP needs a token (--token-file); or use unix:///path/to.sock")
	}
	if cfg.ACME != nil && cfg.TLSCert != "" {
		return errors.New("automatic TLS (ACME) and a certificate file (--tls-cert) exclude each other")
	}
	if cfg.HTTPListen != "" && cfg.ACME == nil && cfg.TLSCert == "" {
		return errors.New("a plain HTTP listener redirects to HTTPS: it needs --acme or --tls-cert")
	}
	if cfg.HeaderTimeout <= 0 {
		cfg.HeaderTimeout = defaultHeaderTimeout
	}
	return nil
}

// adminAddress is the admin API's network and address.
func (cfg *Config) adminAddress() (network, addr string) {
	if path, ok := strings.CutPrefix(cfg.Admin, "unix://"); ok {
		return "unix", path
	}
	return "tcp", cfg.Admin
}

// listeners are the sockets traffic arrives on: opened here, or taken
// over from the proxy this one replaces.
type listeners struct {
	traffic net.Listener
	http    net.Listener // --http-listen; nil without it
}

// openListeners listens on cfg's addresses, or wraps the sockets prev
// handed over.
func openListeners(cfg Config, prev *predecessor) (*listeners, error) {
	if prev != nil {
		return prev.listeners, nil
	}
	ls := &listeners{}
	var err error
	if ls.traffic, err = net.Listen("tcp", cfg.Listen); err != nil {
		return nil, fmt.Errorf("listen %s: %v", cfg.Listen, err)
	}
	if cfg.HTTPListen != "" {
		if ls.http, err = net.Listen("tcp", cfg.HTTPListen); err != nil {
			ls.traffic.Close()
			return nil, fmt.Errorf("listen %s: %v", cfg.HTTPListen, err)
		}
	}
	return ls, nil
}

func (ls *listeners) close() {
	ls.traffic.Close()
	if ls.http != nil {
		ls.http.Close()
	}
}

// servers are the proxy's HTTP servers: traffic, the admin API and, with
// --http-listen, plain HTTP beside HTTPS (challenges, health, redirects).
type servers struct {
	traffic, admin, plain *http.Server
	// loop serves plain-HTTP traffic (serveloop.go), handing what it does
	// not serve itself to traffic; nil with TLS.
	loop    *serveLoop
	ls      *listeners
	certs   *certManager
	cfg     Config
	adminLn net.Listener
	errs    chan error
}

func newServers(cfg Config, p *Proxy, certs *certManager, ls *listeners) *servers {
	s := &servers{ls: ls, certs: certs, cfg: cfg, errs: make(chan error, 4)}
	s.traffic = &http.Server{Handler: p, ReadHeaderTimeout: cfg.HeaderTimeout, ReadTimeout: readTimeout,
		IdleTimeout: idleTimeout, MaxHeaderBytes: maxHeaderBytes}
	s.admin = &http.Server{Handler: withVersion(&Admin{Proxy: p, Token: cfg.Token, certs: certs}, cfg.Version),
		ReadHeaderTimeout: cfg.HeaderTimeout, MaxHeaderBytes: maxHeaderBytes}
	if cfg.Logger != nil {
		// TLS handshake failures and the like, as JSON with the rest.
		s.traffic.ErrorLog = slog.NewLogLogger(cfg.Logger.Handler(), slog.LevelWarn)
		s.admin.ErrorLog = s.traffic.ErrorLog
	}
	if certs != nil {
		s.traffic.TLSConfig = certs.tlsConfig()
	}
	if ls.http != nil {
		port := strconv.Itoa(cfg.HTTPSPort)
		if cfg.HTTPSPort == 0 {
			_, port, _ = net.SplitHostPort(ls.traffic.Addr().String())
		}
		redirect := &httpsRedirect{proxy: p, port: port}
		if certs != nil {
			redirect.challenges = certs.challenges()
		}
		s.plain = &http.Server{Handler: redirect, ReadHeaderTimeout: cfg.HeaderTimeout, ReadTimeout: readTimeout,
			IdleTimeout: idleTimeout, MaxHeaderBytes: maxHeaderBytes, ErrorLog: s.traffic.ErrorLog}
	}
	return s
}

// serve starts serving traffic; the returned channel has each server's end.
func (s *servers) serve(cfg Config) <-chan error {
	if s.certs == nil && cfg.TLSCert == "" {
		s.loop = newServeLoop(s.traffic)
	}
	go func() {
		switch {
		case s.certs != nil:
			s.errs <- s.traffic.ServeTLS(s.ls.traffic, "", "")
		case cfg.TLSCert != "":
			s.errs <- s.traffic.ServeTLS(s.ls.traffic, cfg.TLSCert, cfg.TLSKey)
		default:
			s.errs <- s.loop.serve(s.ls.traffic)
		}
	}()
	if s.plain != nil {
		go func() { s.errs <- s.plain.Serve(s.ls.http) }()
	}
	return s.errs
}

// listenAdmin listens on the admin address (a unix socket left by a
// previous run is replaced) and serves the admin API there. It is called
// again when a hand-over fails half-way, after stopAdmin.
func (s *servers) listenAdmin(cfg Config) error {
	network, addr := cfg.adminAddress()
	if network == "unix" {
		_ = os.Remove(addr) // a stale socket from a previous run
	}
	aln, err := net.Listen(network, addr)
	if err != nil {
		return fmt.Errorf("admin listen %s: %v", cfg.Admin, err)
	}
	if network == "unix" {
		if err := os.Chmod(addr, 0o600); err != nil {
			aln.Close()
			return err
		}
	}
	admin := &http.Server{Handler: s.admin.Handler, ReadHeaderTimeout: s.admin.ReadHeaderTimeout,
		MaxHeaderBytes: s.admin.MaxHeaderBytes, ErrorLog: s.admin.ErrorLog}
	s.admin, s.adminLn = admin, aln
	go func() {
		if err := admin.Serve(aln); !errors.Is(err, http.ErrServerClosed) {
			s.errs <- err
		}
	}()
	return nil
}

// stopAdmin stops the admin API, letting calls in flight finish: no
// change of state reaches this proxy after it returns. Its unix socket
// is removed, for the next proxy to listen there.
func (s *servers) stopAdmin(ctx context.Context) {
	if err := s.admin.Shutdown(ctx); err != nil {
		s.admin.Close() // calls still in flight after the grace are cut
	}
}

// shutdown stops accepting, lets requests in flight finish (within
// shutdownGrace), closes idle keep-alive connections and returns.
func (s *servers) shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	_ = s.admin.Shutdown(ctx)
	if s.plain != nil {
		_ = s.plain.Shutdown(ctx)
	}
	if s.loop != nil {
		// First: a connection it hands over meanwhile is still taken.
		if err := s.loop.shutdown(ctx); err != nil {
			s.loop.close()
			_ = s.traffic.Shutdown(ctx)
			return err
		}
	}
	return s.traffic.Shutdown(ctx)
}

// close stops every server at once, for an error.
func (s *servers) close() {
	if s.loop != nil {
		s.loop.close()
	}
	s.traffic.Close()
	s.admin.Close()
	if s.plain != nil {
		s.plain.Close()
	}
}
