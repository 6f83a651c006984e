package cli

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/shipshape/shipshape/internal/release"
	"github.com/shipshape/shipshape/internal/release/browser"
	"github.com/shipshape/shipshape/internal/release/docker"
)

type smokeCommand struct {
	cmd     *cobra.Command
	browser browserFlags
	useIt   bool // --browser
	format  string
}

func newSmokeCommand() *smokeCommand {
	verb := &smokeCommand{}
	b := &verb.browser
	verb.cmd = &cobra.Command{
		Use: "smoke URL",
		// Not noCleanup: interrupted, it waits for its browser to be
		// killed, children and all, before the process ends.
		Short: "Load a page in headless Chromium as a visitor would: fail on blocked mixed content, failed stylesheets, scripts and images, and script errors; save a screenshot",
		Long: `smoke loads URL (https://, through the proxy, as a visitor asks for it)
in headless Chromium and fails when a visitor would see something wrong that
an HTTP check cannot: a stylesheet, script or frame linked over http:// that
the browser blocks as mixed content on the https page (an app behind a TLS
proxy that does not trust its X-Forwarded-Proto builds such URLs, and the
page renders unstyled), a stylesheet, script, image, font or media file that
answers 4xx or 5xx or does not load, an uncaught exception, console.error,
or a page that answers 4xx or 5xx or never finishes loading (--timeout).
It saves a screenshot of the viewport (--screenshot) and prints its path.

The browser is Debian's chromium (apt-get install chromium), or the one
SHIPSHAPE_CHROMIUM names. Where none is installed, smoke runs the plain HTTP
checks instead (the page answers below 500, and its HTML links no asset over
http://) and says so; --browser insists on the browser (exit 2 without one),
--browser=false never starts it.

A proxy with a self-signed or test CA's certificate: pass its certificate
file with --trust-cert (accepted when the chain the server sends holds one
of its certificates). A proxy that DNS does not point at yet: --resolve
HOST:ADDR sends the browser there, with the URL, Host and certificate name
unchanged.

Exit 0: the page rendered without a problem; 1: a problem; 2: a usage
error, or --browser and no browser.`,
		Example: `  shipshape smoke https://shop.example.com/
  shipshape smoke https://shop.example.com/ --resolve shop.example.com:127.0.0.1 --trust-cert /etc/shipshape/cert.pem
  shipshape smoke https://shop.example.com/cart --screenshot cart.png --format json`,
		Args: argsBetween(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			b.url = args[0]
			if err := verb.Validate(cmd); err != nil {
				return err
			}
			return verb.run(cmd)
		},
	}
	f := verb.cmd.Flags()
	f.BoolVar(&verb.useIt, "browser", true, "load the page in headless Chromium (default: when one is installed; else the plain HTTP checks, and smoke says so)")
	f.StringVar(&b.trustCert, "trust-cert", "", "accept the certificates in this PEM file for the page (the proxy's own: self-signed, or a chain that carries its CA)")
	f.StringSliceVar(&b.resolve, "resolve", nil, "HOST:ADDR: the browser connects to ADDR for HOST instead of asking DNS (repeatable)")
	f.StringVar(&b.screenshot, "screenshot", "", "write a PNG of the viewport here (default: shipshape-smoke-HOST.png in the temporary directory)")
	f.DurationVar(&b.timeout, "timeout", browser.DefaultTimeout, "how long the page may take to load and settle")
	f.StringVar(&verb.format, "format", "text", "text or json")
	return verb
}

// Validate checks the flags before anything starts; a browser asked for
// with --browser must be installed.
func (s *smokeCommand) Validate(cmd *cobra.Command) error {
	if err := validateTextOrJSON(s.format); err != nil {
		return err
	}
	if err := s.browser.validate("", ""); err != nil {
		return err
	}
	if s.browser.timeout <= 0 {
		return usageErrorf("--timeout %v: a positive duration, e.g. 30s", s.browser.timeout)
	}
	asked := cmd.Flags().Changed("browser")
	switch {
	case !s.useIt:
	case s.browser.chromium != "":
	case asked:
		return usageErrorf("smoke --browser: %v (or leave out --browser for the plain HTTP checks)", browser.ErrNoChromium)
	case s.browser.trustCert != "" || len(s.browser.resolve) > 0:
		return usageErrorf("--trust-cert and --resolve are for the browser, and %v", browser.ErrNoChromium)
	default:
		s.useIt = false
		fmt.Fprintf(cmd.ErrOrStderr(), "shipshape: %v; HTTP checks only (the page answers, its HTML links no asset over http://)\n", browser.ErrNoChromium)
	}
	return nil
}

func (s *smokeCommand) run(cmd *cobra.Command) error {
	out := cmd.OutOrStdout()
	if !s.useIt {
		u, _ := url.Parse(s.browser.url)
		path := u.EscapedPath()
		if path == "" {
			path = "/"
		}
		err := release.Smoke(cmd.Context(), u.Scheme+"://"+u.Host, path, "")
		res := struct {
			URL     string `json:"url"`
			Browser string `json:"browser"`
			Passed  bool   `json:"passed"`
			Problem string `json:"problem,omitempty"`
		}{URL: s.browser.url, Browser: "none: HTTP checks only", Passed: err == nil}
		if err != nil {
			res.Problem = err.Error()
		}
		if s.format == "json" {
			if werr := writeJSON(out, res); werr != nil {
				return werr
			}
		} else if err == nil {
			fmt.Fprintf(out, "%s (HTTP checks only): answers, and its HTML links no asset over http://\n", s.browser.url)
		}
		if err != nil {
			return &exitError{code: exitFindings, err: fmt.Errorf("%s (HTTP checks only): %v", s.browser.url, err)}
		}
		return nil
	}
	rep, err := browser.Check(cmd.Context(), s.browser.options())
	if err != nil {
		return &exitError{code: exitFindings, err: err}
	}
	if s.format == "json" {
		err = writeJSON(out, rep)
	} else {
		err = rep.WriteText(out)
	}
	if err != nil {
		return err
	}
	if rep.Failed() {
		return &exitError{code: exitFindings}
	}
	return nil
}

// browserFlags are what the browser check needs from the command line:
// smoke's, and deploy's --smoke-browser with its --smoke-* companions.
type browserFlags struct {
	url        string
	trustCert  string
	resolve    []string
	screenshot string
	timeout    time.Duration

	// What validate found.
	chromium string
	opts     browser.Options
}

// registerDeploy adds deploy's flags for the browser check after the switch.
func (b *browserFlags) registerDeploy(f *pflag.FlagSet) {
	f.StringVar(&b.url, "smoke-browser", "", "once the proxy has switched (on Kubernetes: the rollout is done), load this page (https://, as a visitor asks for it) in headless Chromium; blocked mixed content, failed stylesheets, scripts or images and script errors switch back (see shipshape smoke). A whole project checks each service's page: this URL with the service's route host and prefix; with --port-forward, the page goes through the port-forward")
	f.StringVar(&b.trustCert, "smoke-trust-cert", "", "with --smoke-browser: accept the certificates in this PEM file (the proxy's own, self-signed or from a test CA)")
	f.StringSliceVar(&b.resolve, "smoke-resolve", nil, "with --smoke-browser: HOST:ADDR, connect to ADDR for HOST instead of asking DNS (the proxy on this machine: HOST:127.0.0.1)")
}

// validate checks the page, reads the certificates and finds the browser
// (b.chromium stays "" when there is none). prefix is how the flags are
// spelled ("smoke-" for deploy's); page names the URL's flag or argument.
func (b *browserFlags) validate(prefix, page string) error {
	if page == "" {
		page = "URL"
	}
	u, err := url.Parse(b.url)
	if err != nil || u.Scheme != "https" || u.Host == "" {
		return usageErrorf("%s %q: the page as a visitor asks for it, https://HOST/PATH: mixed content is what an https page may not load", page, b.url)
	}
	o := browser.Options{URL: b.url, Screenshot: b.screenshot, Timeout: b.timeout}
	if b.trustCert != "" {
		certs, err := browser.ReadCertificates(b.trustCert)
		if err != nil {
			return usageErrorf("--%strust-cert: %v", prefix, err)
		}
		o.Trust = certs
	}
	for _, r := range b.resolve {
		host, addr, ok := strings.Cut(r, ":")
		ip, perr := netip.ParseAddr(addr)
		if !ok || host == "" || strings.ContainsAny(host, " ,/") || perr != nil {
			return usageErrorf("--%sresolve %q: HOST:ADDR with ADDR an IP address, e.g. %s:127.0.0.1", prefix, r, u.Hostname())
		}
		if o.Resolve == nil {
			o.Resolve = map[string]string{}
		}
		o.Resolve[strings.ToLower(host)] = ip.String()
	}
	if o.Screenshot == "" {
		o.Screenshot = filepath.Join(os.TempDir(), "shipshape-smoke-"+fileName(u.Host)+".png")
	} else if dir := filepath.Dir(o.Screenshot); !isDir(dir) {
		return usageErrorf("--screenshot %s: no directory %s", o.Screenshot, dir)
	}
	b.opts = o
	if path, err := browser.Find(); err == nil {
		b.chromium, b.opts.Chromium = path, path
	}
	return nil
}

func (b *browserFlags) options() browser.Options { return b.opts }

// pageCheck is deploy's check after the switch: nil without
// --smoke-browser; a usage error when it cannot run here. It loads the page
// as given; on Kubernetes through --port-forward, deployKube puts it behind
// the port-forward instead (checkPage), and a whole project checks each
// service's page (servicePage).
func (b *browserFlags) pageCheck(whole, kubernetes bool) (func(context.Context) (string, error), error) {
	if b.url == "" {
		if b.trustCert != "" || len(b.resolve) > 0 {
			return nil, usageErrorf("--smoke-trust-cert and --smoke-resolve go with --smoke-browser URL")
		}
		return nil, nil
	}
	if err := b.validate("smoke-", "--smoke-browser"); err != nil {
		return nil, err
	}
	if b.chromium == "" {
		return nil, usageErrorf("--smoke-browser: %v; without --smoke-browser, deploy runs its plain HTTP smoke checks", browser.ErrNoChromium)
	}
	return checkPage(b.options(), ""), nil
}

// checkPage is the browser check of the page o names. With upstream (an
// http:// address here: a Kubernetes port-forward to a pod) the browser
// loads it over HTTPS through a browser.Front that passes the forwarded
// headers to upstream as the cluster's TLS ingress would.
func checkPage(o browser.Options, upstream string) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		page, through := o, ""
		if upstream != "" {
			front, err := browser.StartFront(o.URL, upstream)
			if err != nil {
				return "", err
			}
			defer front.Close()
			page, through = front.Options(o), " (through the port-forward)"
		}
		rep, err := browser.Check(ctx, page)
		if err != nil {
			return "", err
		}
		if err := rep.Err(); err != nil {
			if through != "" {
				return "", fmt.Errorf("%w%s", err, through)
			}
			return "", err
		}
		if rep.Screenshot == "" {
			return rep.Summary() + through + "; no screenshot: " + rep.NoScreenshot, nil
		}
		return rep.Summary() + through + "; screenshot " + rep.Screenshot, nil
	}
}

// servicePage is the browser check's page for one web service of a whole
// project: --smoke-browser's URL (scheme, port, and the proxy's address
// from --smoke-resolve) with the host and path prefix of the service's
// first route; its screenshot is named after the service. A host the
// flags do not resolve goes where the URL's host does: every service is
// behind the same proxy.
func (b *browserFlags) servicePage(service string, routes []docker.Route) browser.Options {
	o := b.options()
	u, _ := url.Parse(o.URL)
	if len(routes) > 0 {
		if h := routes[0].Host; h != "" {
			if port := u.Port(); port != "" {
				h = net.JoinHostPort(h, port)
			}
			u.Host = h
		}
		if p := routes[0].Prefix; p != "" && p != "/" {
			u.Path, u.RawPath = strings.TrimSuffix(p, "/")+"/", ""
		}
	}
	o.URL = u.String()
	if addr, ok := o.Resolve[strings.ToLower(b.host())]; ok {
		if _, own := o.Resolve[strings.ToLower(u.Hostname())]; !own {
			resolve := map[string]string{strings.ToLower(u.Hostname()): addr}
			for h, a := range o.Resolve {
				resolve[h] = a
			}
			o.Resolve = resolve
		}
	}
	if o.Screenshot != "" {
		ext := filepath.Ext(o.Screenshot)
		o.Screenshot = strings.TrimSuffix(o.Screenshot, ext) + "-" + fileName(service) + ext
	}
	return o
}

// host is --smoke-browser's host name.
func (b *browserFlags) host() string {
	u, err := url.Parse(b.url)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// fileName keeps a host's letters, digits, dots and dashes.
func fileName(host string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '.', r == '-':
			return r
		}
		return '-'
	}, host)
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}
