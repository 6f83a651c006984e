package proxycmd

import (
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/crypto/acme"

	"github.com/shipshape/shipshape/internal/proxy"
)

// Command is the proxy verb: its cobra command and its typed options.
type Command struct {
	Cmd       *cobra.Command
	cfg       proxy.Config
	tokenFile string
	trusted   []string
	maxBody   int64
	acmeOn    bool
	acme      proxy.ACME
}

// examples are written as `shipshape proxy`; New puts the invocation in.
const examples = `  shipshape proxy --listen 127.0.0.1:8080 --admin unix:///run/shipshape/proxy.sock --state /var/lib/shipshape/proxy.json
  shipshape proxy --listen :443 --tls-cert cert.pem --tls-key key.pem --trust 10.0.0.0/8 --admin 127.0.0.1:9901 --token-file /etc/shipshape/token
  shipshape proxy --listen :443 --http-listen :80 --acme --acme-email ops@example.com --state /var/lib/shipshape/proxy.json`

// New returns the verb as it is invoked: "shipshape proxy", a verb of
// shipshape, or "shipshape-proxy", a program of its own. The proxy it
// starts reports version (GET /v1/version, and to a proxy it hands over to).
func New(invocation, version string) *Command {
	c := &Command{cfg: proxy.Config{Version: version}}
	words := strings.Fields(invocation)
	c.Cmd = &cobra.Command{
		Use:   words[len(words)-1],
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

With --acme it serves HTTPS with certificates it obtains by ACME (Let's
Encrypt unless --acme-directory; accepting the CA's terms of service) for
the hosts its routes name, as soon as a route names them: the CA's
TLS-ALPN-01 challenges are answered on --listen (port 443 for a public CA)
and its HTTP-01 challenges on --http-listen (port 80). Certificates are
renewed a third of their lifetime before they expire; one whose renewal
fails keeps being served, and the log says so. The account key and the
certificates are kept in --acme-dir (0700, files 0600, replaced
atomically), so a restarted proxy serves them without asking the CA.
--http-listen, with --acme or --tls-cert, redirects every other plain
HTTP request for a routed host to HTTPS.

The admin API (--admin) is a unix socket (mode 0600) or, with
--token-file, a TCP address that wants "Authorization: Bearer TOKEN":

  curl --unix-socket /run/shipshape/proxy.sock http://proxy/v1/state
  curl --unix-socket ... -X PUT http://proxy/v1/services/web -d '{"routes": [{"host": "shop.example.com"}]}'
  curl --unix-socket ... -X POST http://proxy/v1/services/web/switch -d '{"target": "http://172.18.0.5:8080"}'
  curl --unix-socket ... -X POST http://proxy/v1/services/web/pause    (and resume, maintenance)
  curl --unix-socket ... http://proxy/metrics

Routes and active targets are saved to --state after every change and
restored on start, so a restarted proxy serves at once.`,
		Example: strings.ReplaceAll(examples, "shipshape proxy", invocation),
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) > 0 {
				return fmt.Errorf("%s takes no arguments, got %s; %s --help lists its flags", invocation, strings.Join(args, " "), invocation)
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return c.run(cmd) },
	}
	f := c.Cmd.Flags()
	f.StringVar(&c.cfg.Listen, "listen", "127.0.0.1:8080", "address for traffic")
	f.StringVar(&c.cfg.Admin, "admin", "unix:///run/shipshape/proxy.sock", "admin API: unix:///path.sock, or host:port with --token-file")
	f.StringVar(&c.tokenFile, "token-file", "", "file holding the admin API's bearer token")
	f.StringVar(&c.cfg.StatePath, "state", "/var/lib/shipshape/proxy.json", "where routes and active targets are saved")
	f.StringVar(&c.cfg.TLSCert, "tls-cert", "", "serve TLS with this certificate (PEM)")
	f.StringVar(&c.cfg.TLSKey, "tls-key", "", "and this key (PEM)")
	f.BoolVar(&c.acmeOn, "acme", false, "serve TLS with certificates obtained and renewed by ACME for the routed hosts (accepts the CA's terms of service)")
	f.StringVar(&c.acme.Directory, "acme-directory", acme.LetsEncryptURL, "the ACME CA's directory URL")
	f.StringVar(&c.acme.Email, "acme-email", "", "contact address the ACME account is registered with")
	f.StringVar(&c.acme.CacheDir, "acme-dir", "", "where the ACME account key and certificates are kept (default: acme/ beside --state)")
	f.StringVar(&c.acme.CACert, "acme-ca-cert", "", "PEM roots for the ACME server's own HTTPS, for a private CA (default: the system's)")
	f.StringVar(&c.cfg.HTTPListen, "http-listen", "", "plain HTTP address (e.g. :80): ACME HTTP-01 challenges, and redirects to HTTPS; needs --acme or --tls-cert")
	f.IntVar(&c.cfg.HTTPSPort, "https-port", 0, "the HTTPS port --http-listen redirects to (default: --listen's; behind a port mapping, the published one)")
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
// Its errors, and ValidateTLS's, are mistakes in the flags: exit 2.
func (c *Command) Validate() error {
	if err := c.ValidateTLS(); err != nil {
		return err
	}
	for _, cidr := range c.trusted {
		pfx, err := netip.ParsePrefix(strings.TrimSpace(cidr))
		if err != nil {
			return fmt.Errorf("--trust %q: want a CIDR such as 10.0.0.0/8", cidr)
		}
		c.cfg.TrustedProxies = append(c.cfg.TrustedProxies, pfx)
	}
	if c.tokenFile != "" {
		data, err := os.ReadFile(c.tokenFile)
		if err != nil {
			return fmt.Errorf("--token-file: %v", err)
		}
		c.cfg.Token = strings.TrimSpace(string(data))
		if len(c.cfg.Token) < 16 {
			return fmt.Errorf("--token-file %s: the token must be at least 16 characters", c.tokenFile)
		}
	}
	c.cfg.MaxBodyBytes = c.maxBody
	return nil
}

// ValidateTLS checks the TLS flags (certificate and key, automatic TLS,
// the plain HTTP listener) without reading a file: what proxy install can
// check of a proxy it starts elsewhere.
func (c *Command) ValidateTLS() error {
	if (c.cfg.TLSCert == "") != (c.cfg.TLSKey == "") {
		return errors.New("--tls-cert and --tls-key go together")
	}
	f := c.Cmd.Flags()
	if !c.acmeOn {
		for _, name := range []string{"acme-directory", "acme-email", "acme-dir", "acme-ca-cert"} {
			if f.Changed(name) {
				return fmt.Errorf("--%s is for automatic TLS: add --acme", name)
			}
		}
	}
	if c.acmeOn && c.cfg.TLSCert != "" {
		return errors.New("--acme obtains the certificates: leave out --tls-cert and --tls-key")
	}
	if c.cfg.HTTPListen != "" && !c.acmeOn && c.cfg.TLSCert == "" {
		return errors.New("--http-listen redirects to HTTPS: add --acme or --tls-cert and --tls-key")
	}
	if c.cfg.HTTPSPort < 0 || c.cfg.HTTPSPort > 65535 {
		return fmt.Errorf("--https-port %d: want a port, 1 to 65535", c.cfg.HTTPSPort)
	}
	if f.Changed("https-port") && c.cfg.HTTPListen == "" {
		return errors.New("--https-port is where --http-listen redirects to: add --http-listen")
	}
	if !c.acmeOn {
		return nil
	}
	u, err := url.Parse(c.acme.Directory)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("--acme-directory %q: want the CA's https:// directory URL, e.g. %s", c.acme.Directory, acme.LetsEncryptURL)
	}
	if c.acme.CacheDir == "" {
		c.acme.CacheDir = filepath.Join(filepath.Dir(c.cfg.StatePath), "acme")
	}
	c.cfg.ACME = &c.acme
	return nil
}

func (c *Command) run(cmd *cobra.Command) error {
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
		return fmt.Errorf("proxy: %w", err)
	}
	return nil
}
