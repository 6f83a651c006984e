package browser

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Options say which page to load and how.
type Options struct {
	// URL is the page, as a visitor asks for it: https://shop.example.com/.
	URL string
	// Trust are certificates accepted for the page besides those the
	// system trusts: the proxy's own, self-signed or from a test CA. A
	// chain is accepted when it holds one of them; Chromium never sees a
	// CA the server does not send, so pass the server's certificate or a
	// chain that carries its CA.
	Trust []*x509.Certificate
	// Resolve sends the browser to these addresses instead of what DNS
	// says, by host name: the proxy on this machine before DNS points at
	// it. The URL, its Host header and certificate name stay the same.
	Resolve map[string]string
	// Screenshot is where a PNG of the viewport is written ("": none).
	Screenshot string
	// Timeout bounds the whole check, the browser's start included
	// (0: DefaultTimeout).
	Timeout time.Duration
	// Chromium is the browser to run (default: Find).
	Chromium string
}

const (
	// DefaultTimeout bounds a check whose Options give none.
	DefaultTimeout = 30 * time.Second
	// After the load event the page has quiet without a request in flight
	// to run its late scripts, at most maxSettle.
	quiet     = 500 * time.Millisecond
	maxSettle = 3 * time.Second
	// A hostile page cannot make the report grow without end.
	maxProblems = 20
	maxText     = 300
	maxTracked  = 10000
	// How often a page is loaded again when the host's network changed
	// under it.
	maxReloads = 2
	// How long past Options.Timeout the browser may take for the
	// screenshot of a page that never finished.
	screenshotGrace = 5 * time.Second
	// The viewport, a laptop's.
	viewportWidth, viewportHeight = 1280, 800
)

// Check loads o.URL in headless Chromium, lets it settle and reports what
// went wrong, with a screenshot when o.Screenshot is set. The error is for
// a check that could not run (no browser, it would not start, ctx ended);
// a page that fails is a Report with Problems. The browser is killed when
// Check returns, ctx cancelled or not.
func Check(ctx context.Context, o Options) (*Report, error) {
	u, err := url.Parse(o.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, fmt.Errorf("page %q: want a URL such as https://shop.example.com/", o.URL)
	}
	chromium := o.Chromium
	if chromium == "" {
		if chromium, err = Find(); err != nil {
			return nil, err
		}
	}
	timeout := o.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	// The page loads by the timeout from now, the browser's start
	// included; the browser gets a little longer, to take the screenshot
	// of a page that never finished.
	caller := ctx
	loadBy := time.Now().Add(timeout)
	ctx, cancel := context.WithDeadline(ctx, loadBy.Add(screenshotGrace))
	defer cancel()

	first, version, stopBrowser, err := startBrowser(ctx, chromium, o)
	if err != nil {
		return nil, err
	}
	defer stopBrowser() // kills the browser and waits for it
	rep := &Report{URL: o.URL, Browser: version.Product}
	for {
		// Every attempt loads the page by the same deadline.
		v, err := visit(caller, first, o, loadBy, timeout)
		if err != nil {
			return nil, err
		}
		rep.Status, rep.Screenshot, rep.NoScreenshot = v.status, v.screenshot, v.noScreenshot
		rep.Requests, rep.Problems, rep.Dropped = v.c.result()
		// A container starting on this host changes its network, and
		// Chromium aborts what is in flight then (ERR_NETWORK_CHANGED):
		// the host's doing, not the page's. Load it again while there is
		// time.
		if !networkChanged(rep.Problems) || rep.Reloads >= maxReloads || time.Until(loadBy) < timeout/4 {
			return rep, nil
		}
		rep.Reloads++
	}
}

// visited is what one load of the page saw.
type visited struct {
	c            *collector
	status       int
	screenshot   string
	noScreenshot string // why there is none, when one was asked for
}

// visit loads the page once, in a tab of its own, closed afterwards. An
// error is for the caller's cancellation (ctx) or a browser that would not
// load it; browserCtx ending by its own deadline is the page's verdict.
func visit(ctx, browserCtx context.Context, o Options, loadBy time.Time, timeout time.Duration) (*visited, error) {
	tab, closeTab := chromedp.NewContext(browserCtx)
	defer closeTab()
	v := &visited{c: newCollector()}
	c := v.c
	if err := chromedp.Listen(tab, c.event); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("loading %s: %w", o.URL, context.Cause(ctx))
		}
		return nil, fmt.Errorf("opening a tab: %v", err)
	}
	loading, stopLoading := context.WithDeadline(tab, loadBy)
	defer stopLoading()
	// The window's size leaves room for a window's frame; the page gets
	// the whole viewport asked for.
	_, err := chromedp.Run(loading, chromedp.EmulateViewport(viewportWidth, viewportHeight))
	var resp *network.Response
	if err == nil {
		resp, err = chromedp.Run(loading, chromedp.NavigateResponse(o.URL))
	}
	if err == nil && resp != nil {
		v.status = int(resp.Status)
		if resp.Status >= 400 {
			c.add(Problem{Kind: KindPage, URL: o.URL, Detail: fmt.Sprintf("HTTP %d %s", resp.Status, resp.StatusText)})
		}
		err = c.settle(loading)
	}
	var load *chromedp.LoadError
	switch {
	case ctx.Err() != nil: // the caller's cancellation
		return nil, fmt.Errorf("loading %s: %w", o.URL, context.Cause(ctx))
	case loading.Err() != nil:
		c.add(Problem{Kind: KindPage, URL: o.URL, Detail: fmt.Sprintf("did not finish loading within %v%s", timeout, c.pending())})
	case errors.As(err, &load):
		c.add(Problem{Kind: KindPage, URL: o.URL, Detail: "did not load: " + load.ErrorText + certHint(load.ErrorText)})
	case err != nil:
		return nil, fmt.Errorf("loading %s: %v", o.URL, err)
	}
	if o.Screenshot == "" {
		return v, nil
	}
	if loading.Err() != nil {
		// A stylesheet still loading blocks rendering, and the
		// screenshot waits for a frame: stop, as a visitor's Esc.
		_, _ = chromedp.Run(tab, chromedp.Stop())
	}
	var png []byte
	for try := 0; try < 2; try++ {
		if png, err = chromedp.Run(tab, chromedp.CaptureScreenshot()); err == nil || browserCtx.Err() != nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("loading %s: %w", o.URL, context.Cause(ctx))
	case browserCtx.Err() != nil:
		// A loaded machine: the page was judged, and the browser ran out
		// of the grace before its picture was taken.
		v.noScreenshot = fmt.Sprintf("the browser did not take it within %v of the page's timeout", screenshotGrace)
	case err != nil:
		// The page was judged; a picture the browser would not take
		// does not change the verdict.
		v.noScreenshot = err.Error()
	default:
		if err := os.WriteFile(o.Screenshot, png, 0o644); err != nil {
			return nil, fmt.Errorf("writing the screenshot: %v", err)
		}
		v.screenshot = o.Screenshot
	}
	return v, nil
}

// networkChanged: Chromium aborted a request because the host's network
// changed under it.
func networkChanged(problems []Problem) bool {
	for _, p := range problems {
		if strings.Contains(p.Detail, "ERR_NETWORK_CHANGED") {
			return true
		}
	}
	return false
}

// allocatorOptions are chromedp's defaults (headless, no first-run
// dialogs, no background networking) and what this check needs.
func allocatorOptions(chromium string, o Options, output *tail) []chromedp.ExecAllocatorOption {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.WindowSize(viewportWidth, viewportHeight),
		chromedp.CombinedOutput(output),
	)
	if os.Geteuid() == 0 {
		// Chromium refuses to start as root with its sandbox on; the
		// check loads one page the user named, in a profile thrown away.
		opts = append(opts, chromedp.NoSandbox)
	}
	if len(o.Trust) > 0 {
		pins := make([]string, len(o.Trust))
		for i, c := range o.Trust {
			pins[i] = spki(c)
		}
		// Effective only with a --user-data-dir, which chromedp always
		// passes (a fresh one per browser, removed afterwards).
		opts = append(opts, chromedp.Flag("ignore-certificate-errors-spki-list", strings.Join(pins, ",")))
	}
	if len(o.Resolve) > 0 {
		hosts := make([]string, 0, len(o.Resolve))
		for h := range o.Resolve {
			hosts = append(hosts, h)
		}
		slices.Sort(hosts)
		rules := make([]string, len(hosts))
		for i, h := range hosts {
			rules[i] = "MAP " + h + " " + o.Resolve[h]
		}
		opts = append(opts, chromedp.Flag("host-resolver-rules", strings.Join(rules, ", ")))
	}
	return opts
}

// certHint says what to do about a certificate the browser refused.
func certHint(errorText string) string {
	if strings.Contains(errorText, "ERR_CERT_") {
		return " (the browser does not trust the certificate: for a self-signed or test CA's certificate, pass the proxy's certificate file to trust)"
	}
	return ""
}

// startAttempts is how often the browser is started before the check
// gives up: Chromium now and then crashes as it starts (its crash handler
// reports "no stack mapping" and chromedp "chrome failed to start"; seen
// once in a full test run, 2026-12-06), which says nothing of the page.
const startAttempts = 2

// startBrowser starts Chromium and returns its first tab's context, its
// version, and the function that closes the tab and kills the browser.
// A browser that does not start is started once more, while ctx lasts.
func startBrowser(ctx context.Context, chromium string, o Options) (context.Context, browser.GetVersionResult, func(), error) {
	for attempt := 1; ; attempt++ {
		output := &tail{}
		allocator, stopBrowser := chromedp.NewExecAllocator(ctx, allocatorOptions(chromium, o, output)...)
		first, closeFirst := chromedp.NewContext(allocator)
		stop := func() {
			closeFirst()
			stopBrowser()
		}
		version, err := chromedp.CallBrowser(first, browser.GetVersion, cdp.Empty{})
		if err == nil {
			return first, version, stop, nil
		}
		stop()
		if ctx.Err() != nil || attempt == startAttempts {
			return nil, browser.GetVersionResult{}, nil, startError(ctx, chromium, err, output)
		}
	}
}

func startError(ctx context.Context, chromium string, err error, output *tail) error {
	if ctx.Err() != nil {
		return fmt.Errorf("starting %s: %w", chromium, context.Cause(ctx))
	}
	if out := output.String(); out != "" {
		return fmt.Errorf("starting %s: %v; it printed:\n%s", chromium, err, out)
	}
	return fmt.Errorf("starting %s: %v", chromium, err)
}

// tail keeps the last few kilobytes the browser printed, for an error
// when it does not start.
type tail struct {
	mu  sync.Mutex
	buf []byte
}

const tailSize = 4 << 10

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > tailSize {
		t.buf = t.buf[len(t.buf)-tailSize:]
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.buf))
}
