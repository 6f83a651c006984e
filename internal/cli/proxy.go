package cli

import (
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/proxy"
)

type proxyCommand struct {
	cmd       *cobra.Command
	cfg       proxy.Config
	tokenFile string
	trusted   []string
	maxBody   int64
}

func newProxyCommand() *proxyCommand {
	c := &proxyCommand{}
	c.cmd = &cobra.Command{
		Use:   "proxy",
		Short: "Run the reverse proxy that switches releases without dropping requests",
		Long: `proxy serves HTTP on --listen and routes by host and path prefix to
services, each with one active target (a release's container) and, during
a switch, draining ones. A switch waits until the new target passes its
health check, then sends new requests to it while requests in flight on the
old target finish (--drain), then releases the old one. Pause holds a
service's requests; maintenance answers 503 with a page.

It sets X-Forwarded-For/-Proto/-Host and replaces client-sent ones unless
the peer is in --trust; bounds header size, body size and how long a client
may take to send its headers; passes WebSockets and server-sent events
through unbuffered; logs each request as JSON on stderr. With --gzip it
compresses text responses the backend left uncompressed; with --tls-cert and
--tls-key it serves HTTPS only.

The admin API (--admin) is a unix socket (mode 0600) or, with
--token-file, a TCP address that wants "Authorization: Bearer TOKEN":

  curl --unix-socket /run/shipshape/proxy.sock http://proxy/v1/state
  curl --unix-socket ... -X PUT http://proxy/v1/services/web -d '{"routes": [{"host": "shop.example.com"}]}'
  curl --unix-socket ... -X POST http://proxy/v1/services/web/switch -d '{"target": "http://172.18.0.5:8080"}'
  curl --unix-socket ... -X POST http://proxy/v1/services/web/pause    (and resume, maintenance)
  curl --unix-socket ... http://proxy/metrics

Routes and active targets are saved to --state after every change and
restored on start, so a restarted proxy serves at once.`,
		Example: `  shipshape proxy --listen 127.0.0.1:8080 --admin unix:///run/shipshape/proxy.sock --state /var/lib/shipshape/proxy.json
  shipshape proxy --listen :443 --tls-cert cert.pem --tls-key key.pem --trust 10.0.0.0/8 --admin 127.0.0.1:9901 --token-file /etc/shipshape/token`,
		Args: argsBetween(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error { return c.run(cmd) },
	}
	f := c.cmd.Flags()
	f.StringVar(&c.cfg.Listen, "listen", "127.0.0.1:8080", "address for traffic")
	f.StringVar(&c.cfg.Admin, "admin", "unix:///run/shipshape/proxy.sock", "admin API: unix:///path.sock, or host:port with --token-file")
	f.StringVar(&c.tokenFile, "token-file", "", "file holding the admin API's bearer token")
	f.StringVar(&c.cfg.StatePath, "state", "/var/lib/shipshape/proxy.json", "where routes and active targets are saved")
	f.StringVar(&c.cfg.TLSCert, "tls-cert", "", "serve TLS with this certificate (PEM)")
	f.StringVar(&c.cfg.TLSKey, "tls-key", "", "and this key (PEM)")
	f.StringSliceVar(&c.trusted, "trust", nil, "CIDRs of proxies in front whose X-Forwarded-* headers are kept")
	f.BoolVar(&c.cfg.AccessLog, "access-log", true, "log every request as JSON on stderr")
	f.Float64Var(&c.cfg.RateLimit, "rate-limit", 0, "requests a second per client IP, on average (0: no limit); more get 429")
	f.IntVar(&c.cfg.RateBurst, "rate-burst", 0, "requests per client IP at once (default: the rate)")
	f.BoolVar(&c.cfg.Gzip, "gzip", false, "compress text, JSON, JavaScript and SVG responses of 1 KiB and more for clients that accept gzip")
	f.Int64Var(&c.maxBody, "max-body", 10<<20, "largest request body in bytes")
	f.DurationVar(&c.cfg.PauseTimeout, "pause-timeout", 30*time.Second, "how long a request waits while its service is paused")
	f.DurationVar(&c.cfg.WriteTimeout, "write-timeout", 60*time.Second, "how long one write to a client may take (a client that stops reading is dropped; streams that move are not)")
	f.DurationVar(&c.cfg.ResponseHeaderTimeout, "backend-timeout", 60*time.Second, "how long to wait for a backend's response headers (then 504)")
	return c
}

// Validate checks the flags and reads the token before the proxy listens.
func (c *proxyCommand) Validate() error {
	if (c.cfg.TLSCert == "") != (c.cfg.TLSKey == "") {
		return usageErrorf("--tls-cert and --tls-key go together")
	}
	for _, cidr := range c.trusted {
		pfx, err := netip.ParsePrefix(strings.TrimSpace(cidr))
		if err != nil {
			return usageErrorf("--trust %q: want a CIDR such as 10.0.0.0/8", cidr)
		}
		c.cfg.TrustedProxies = append(c.cfg.TrustedProxies, pfx)
	}
	if c.tokenFile != "" {
		data, err := os.ReadFile(c.tokenFile)
		if err != nil {
			return usageErrorf("--token-file: %v", err)
		}
		c.cfg.Token = strings.TrimSpace(string(data))
		if len(c.cfg.Token) < 16 {
			return usageErrorf("--token-file %s: the token must be at least 16 characters", c.tokenFile)
		}
	}
	c.cfg.MaxBodyBytes = c.maxBody
	return nil
}

func (c *proxyCommand) run(cmd *cobra.Command) error {
	if err := c.Validate(); err != nil {
		return err
	}
	// A proxy allocates per request and keeps little: collect less often,
	// but keep the heap under a ceiling (GOGC/GOMEMLIMIT still win).
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(48 << 20)
	}
	c.cfg.Logger = slog.New(slog.NewJSONHandler(cmd.ErrOrStderr(), nil))
	if err := proxy.Run(cmd.Context(), c.cfg); err != nil {
		return &exitError{code: exitUsage, err: fmt.Errorf("proxy: %w", err)}
	}
	return nil
}
