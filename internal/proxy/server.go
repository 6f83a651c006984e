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
	Options
}

// Server timeouts: slow clients cannot hold connections open (slowloris),
// while responses may stream for as long as the backend streams.
const (
	defaultHeaderTimeout = 10 * time.Second
	readTimeout          = 60 * time.Second
	idleTimeout          = 120 * time.Second
	maxHeaderBytes       = 64 << 10
)

// Run serves traffic and the admin API until ctx is done, then shuts down
// gracefully. The state is restored from StatePath first and saved after
// every change.
func Run(ctx context.Context, cfg Config) error {
	if cfg.StatePath == "" {
		return errors.New("a state file is required (--state)")
	}
	adminNet, adminAddr := "unix", strings.TrimPrefix(cfg.Admin, "unix://")
	if !strings.HasPrefix(cfg.Admin, "unix://") {
		adminNet = "tcp"
		if cfg.Token == "" {
			return errors.New("an admin API on TCP needs a token (--token-file); or use unix:///path/to.sock")
		}
	}
	state := &StateFile{Path: cfg.StatePath}
	saved, err := state.Load()
	if err != nil {
		return err
	}
	log := cfg.Logger
	if cfg.ACME != nil && cfg.TLSCert != "" {
		return errors.New("automatic TLS (ACME) and a certificate file (--tls-cert) exclude each other")
	}
	if cfg.HTTPListen != "" && cfg.ACME == nil && cfg.TLSCert == "" {
		return errors.New("a plain HTTP listener redirects to HTTPS: it needs --acme or --tls-cert")
	}
	var certs *certManager
	if cfg.ACME != nil {
		if certs, err = newCertManager(*cfg.ACME, log); err != nil {
			return err
		}
	}
	cfg.OnChange = func(st State) {
		if err := state.Save(st); err != nil && log != nil {
			log.Error("saving state", "path", cfg.StatePath, "error", err.Error())
		}
		if certs != nil {
			certs.setRoutes(st.Routes)
		}
	}
	p := New(cfg.Options)
	defer p.Close()
	if err := p.Load(saved); err != nil {
		return fmt.Errorf("%s: %v", cfg.StatePath, err)
	}

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen %s: %v", cfg.Listen, err)
	}
	var hln net.Listener
	if cfg.HTTPListen != "" {
		if hln, err = net.Listen("tcp", cfg.HTTPListen); err != nil {
			ln.Close()
			return fmt.Errorf("listen %s: %v", cfg.HTTPListen, err)
		}
		defer hln.Close()
	}
	if adminNet == "unix" {
		_ = os.Remove(adminAddr) // a stale socket from a previous run
	}
	aln, err := net.Listen(adminNet, adminAddr)
	if err != nil {
		ln.Close()
		return fmt.Errorf("admin listen %s: %v", cfg.Admin, err)
	}
	if adminNet == "unix" {
		if err := os.Chmod(adminAddr, 0o600); err != nil {
			ln.Close()
			aln.Close()
			return err
		}
	}
	if cfg.HeaderTimeout <= 0 {
		cfg.HeaderTimeout = defaultHeaderTimeout
	}
	srv := &http.Server{Handler: p, ReadHeaderTimeout: cfg.HeaderTimeout, ReadTimeout: readTimeout,
		IdleTimeout: idleTimeout, MaxHeaderBytes: maxHeaderBytes}
	admin := &http.Server{Handler: &Admin{Proxy: p, Token: cfg.Token}, ReadHeaderTimeout: cfg.HeaderTimeout, MaxHeaderBytes: maxHeaderBytes}
	if log != nil {
		// TLS handshake failures and the like, as JSON with the rest.
		srv.ErrorLog = slog.NewLogLogger(log.Handler(), slog.LevelWarn)
		admin.ErrorLog = srv.ErrorLog
	}
	if certs != nil {
		srv.TLSConfig = certs.tlsConfig()
	}
	// plain answers HTTP beside HTTPS: challenges, health, redirects.
	var plain *http.Server
	if hln != nil {
		port := strconv.Itoa(cfg.HTTPSPort)
		if cfg.HTTPSPort == 0 {
			_, port, _ = net.SplitHostPort(ln.Addr().String())
		}
		redirect := &httpsRedirect{proxy: p, port: port}
		if certs != nil {
			redirect.challenges = certs.challenges()
		}
		plain = &http.Server{Handler: redirect, ReadHeaderTimeout: cfg.HeaderTimeout, ReadTimeout: readTimeout,
			IdleTimeout: idleTimeout, MaxHeaderBytes: maxHeaderBytes, ErrorLog: srv.ErrorLog}
	}
	errs := make(chan error, 3)
	go func() {
		switch {
		case certs != nil:
			errs <- srv.ServeTLS(ln, "", "")
		case cfg.TLSCert != "":
			errs <- srv.ServeTLS(ln, cfg.TLSCert, cfg.TLSKey)
		default:
			errs <- srv.Serve(ln)
		}
	}()
	go func() { errs <- admin.Serve(aln) }()
	if plain != nil {
		go func() { errs <- plain.Serve(hln) }()
	}
	if log != nil {
		log.Info("proxy listening", "addr", ln.Addr().String(), "http", cfg.HTTPListen, "admin", cfg.Admin, "services", len(saved.Services))
	}
	if certs != nil {
		// After the listeners: the CA's challenges need them.
		acmeCtx, stopACME := context.WithCancel(ctx)
		defer stopACME()
		go certs.run(acmeCtx)
	}
	select {
	case <-ctx.Done():
	case err := <-errs:
		if !errors.Is(err, http.ErrServerClosed) {
			srv.Close()
			admin.Close()
			if plain != nil {
				plain.Close()
			}
			return err
		}
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = admin.Shutdown(shutdown)
	if plain != nil {
		_ = plain.Shutdown(shutdown)
	}
	return srv.Shutdown(shutdown)
}
