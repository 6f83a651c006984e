package proxy

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
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
	cfg.OnChange = func(st State) {
		if err := state.Save(st); err != nil && log != nil {
			log.Error("saving state", "path", cfg.StatePath, "error", err.Error())
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
	errs := make(chan error, 2)
	go func() {
		if cfg.TLSCert != "" {
			errs <- srv.ServeTLS(ln, cfg.TLSCert, cfg.TLSKey)
		} else {
			errs <- srv.Serve(ln)
		}
	}()
	go func() { errs <- admin.Serve(aln) }()
	if log != nil {
		log.Info("proxy listening", "addr", ln.Addr().String(), "admin", cfg.Admin, "services", len(saved.Services))
	}
	select {
	case <-ctx.Done():
	case err := <-errs:
		if !errors.Is(err, http.ErrServerClosed) {
			srv.Close()
			admin.Close()
			return err
		}
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = admin.Shutdown(shutdown)
	return srv.Shutdown(shutdown)
}
