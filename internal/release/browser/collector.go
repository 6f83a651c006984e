package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
)

// collector turns the DevTools events of one page into problems. Its event
// method runs on chromedp's reading goroutine, so it only records.
type collector struct {
	mu       sync.Mutex
	requests map[network.RequestID]*request // at most maxTracked
	// early are statuses of ResponseReceivedExtraInfo that came before
	// their request's RequestWillBeSent, kept for it should DevTools send
	// them in that order (at most maxTracked).
	early     map[network.RequestID]int64
	requested int // subresources, also those past maxTracked
	inflight  int
	lastEvent time.Time
	problems  []Problem
	dropped   int
	seen      map[string]bool // a problem reported once, however often it recurs
}

type request struct {
	url      string
	resource network.ResourceType
	status   int64 // the response's, when one came
	reported bool  // its 4xx/5xx is a problem already
	done     bool
	// problem is the index of its "not loaded" problem, whose detail
	// becomes its status when that comes after the failure (-1: none).
	problem int
}

func newCollector() *collector {
	return &collector{requests: map[network.RequestID]*request{}, early: map[network.RequestID]int64{}, seen: map[string]bool{}, lastEvent: time.Now()}
}

// subresources are the kinds whose failure changes what a visitor sees.
// Fetch and XHR answers of 4xx are often the app's own business (a
// session check); the app's own scripts report what matters as errors.
var subresources = map[network.ResourceType]bool{
	network.ResourceTypeStylesheet: true,
	network.ResourceTypeScript:     true,
	network.ResourceTypeImage:      true,
	network.ResourceTypeFont:       true,
	network.ResourceTypeMedia:      true,
}

func (c *collector) event(ev any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		c.lastEvent = time.Now()
		if r := c.requests[ev.RequestID]; r != nil { // a redirect: the same request goes on
			r.url = ev.Request.URL
			return
		}
		c.inflight++
		if ev.Type != network.ResourceTypeDocument {
			c.requested++
		}
		if len(c.requests) < maxTracked {
			c.requests[ev.RequestID] = &request{url: ev.Request.URL, resource: ev.Type, problem: -1, status: c.early[ev.RequestID]}
			delete(c.early, ev.RequestID)
		}
	case *network.EventResponseReceived:
		c.lastEvent = time.Now()
		r := c.requests[ev.RequestID]
		if r == nil || ev.Response == nil {
			return
		}
		r.status = ev.Response.Status
		if ev.Response.Status >= 400 && subresources[ev.Type] {
			r.reported = true
			c.addLocked(Problem{Kind: KindFailedResource, Resource: string(ev.Type), URL: r.url,
				Detail: fmt.Sprintf("HTTP %d %s", ev.Response.Status, ev.Response.StatusText)})
		}
	case *network.EventResponseReceivedExtraInfo:
		// The status of a response the renderer then refused (a 404
		// stylesheet served as text/plain), which gets no ResponseReceived.
		r := c.requests[ev.RequestID]
		if r == nil {
			// Before its request: kept for it.
			if len(c.early) < maxTracked {
				c.early[ev.RequestID] = ev.StatusCode
			}
			return
		}
		if r.status == 0 {
			c.lastEvent = time.Now()
			r.status = ev.StatusCode
			if r.problem >= 0 && r.status >= 400 {
				c.problems[r.problem].Detail = fmt.Sprintf("HTTP %d", r.status)
			}
		}
	case *network.EventLoadingFinished:
		c.finish(ev.RequestID)
	case *network.EventLoadingFailed:
		r := c.finish(ev.RequestID)
		if r == nil {
			if len(c.requests) < maxTracked {
				return // not this page's
			}
			r = &request{resource: ev.Type}
		}
		switch {
		case ev.BlockedReason == network.BlockedReasonMixedContent:
			c.addLocked(Problem{Kind: KindMixedContent, Resource: string(ev.Type), URL: r.url,
				Detail: "blocked: the page is https and this is http://; behind a TLS proxy the app must build its URLs from X-Forwarded-Proto (trust the proxy's forwarded headers)"})
		case !subresources[ev.Type] || r.reported:
			// Not a subresource, or its 4xx/5xx is already reported.
		case r.status >= 400:
			c.addLocked(Problem{Kind: KindFailedResource, Resource: string(ev.Type), URL: r.url,
				Detail: fmt.Sprintf("HTTP %d", r.status)})
		case ev.Canceled && ev.BlockedReason == "":
			// Chromium cancels a stylesheet it refuses for its MIME
			// type (the console says why) and what the page dropped;
			// the status of the response may come after this.
			r.problem = c.addLocked(Problem{Kind: KindFailedResource, Resource: string(ev.Type), URL: r.url, Detail: "not loaded (" + ev.ErrorText + ")"})
		default:
			detail := ev.ErrorText
			if ev.BlockedReason != "" {
				detail += " (blocked: " + string(ev.BlockedReason) + ")"
			}
			c.addLocked(Problem{Kind: KindFailedResource, Resource: string(ev.Type), URL: r.url, Detail: detail})
		}
	case *runtime.EventExceptionThrown:
		c.lastEvent = time.Now()
		d := ev.ExceptionDetails
		if d == nil {
			return
		}
		text := d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			text += " " + firstLine(d.Exception.Description)
		}
		c.addLocked(Problem{Kind: KindException, URL: where(d.URL, d.LineNumber, d.ColumnNumber), Detail: text})
	case *runtime.EventConsoleAPICalled:
		c.lastEvent = time.Now()
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		place := ""
		if ev.StackTrace != nil && len(ev.StackTrace.CallFrames) > 0 {
			f := ev.StackTrace.CallFrames[0]
			place = where(f.URL, f.LineNumber, f.ColumnNumber)
		}
		c.addLocked(Problem{Kind: KindConsoleError, URL: place, Detail: "console." + string(ev.Type) + ": " + consoleText(ev.Args)})
	case *log.EventEntryAdded:
		e := ev.Entry
		// The network's own entries ("Failed to load resource") and the
		// mixed-content ones repeat what the network events said, with
		// less: the resource's kind is missing.
		if e == nil || e.Level != log.EntryLevelError || e.Source == log.EntrySourceNetwork || strings.HasPrefix(e.Text, "Mixed Content:") {
			return
		}
		c.addLocked(Problem{Kind: KindConsoleError, URL: e.URL, Detail: string(e.Source) + ": " + e.Text})
	}
}

// finish marks a request done and returns it (nil when it was not tracked).
func (c *collector) finish(id network.RequestID) *request {
	c.lastEvent = time.Now()
	r := c.requests[id]
	if r != nil && r.done {
		return r
	}
	if c.inflight > 0 && (r != nil || len(c.requests) >= maxTracked) {
		c.inflight--
	}
	if r != nil {
		r.done = true
	}
	return r
}

// add records p once; past maxProblems it only counts.
func (c *collector) add(p Problem) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.addLocked(p)
}

// addLocked is add with mu held; it returns p's index in c.problems, or
// -1 when p was a repeat or past the limit.
func (c *collector) addLocked(p Problem) int {
	p.URL, p.Detail = clip(p.URL), clip(p.Detail)
	key := string(p.Kind) + " " + p.URL + " " + p.Detail
	if c.seen[key] {
		return -1
	}
	c.seen[key] = true
	if len(c.problems) >= maxProblems {
		c.dropped++
		return -1
	}
	c.problems = append(c.problems, p)
	return len(c.problems) - 1
}

// settle waits after the load event until no request has been in flight
// and nothing has happened for quiet, at most maxSettle: scripts that run
// late, and what they load, are judged too.
func (c *collector) settle(ctx context.Context) error {
	deadline := time.Now().Add(maxSettle)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for time.Now().Before(deadline) {
		c.mu.Lock()
		idle := time.Since(c.lastEvent)
		calm := c.inflight == 0 && idle >= quiet && (idle >= quiet+statusWait || !c.awaitingStatus())
		c.mu.Unlock()
		if calm {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	return nil
}

// statusWait is how long settle waits beyond quiet for the status of a
// resource Chromium refused: its ExtraInfo event may come well after the
// failure on a busy machine, and without it the problem lacks "HTTP 404".
const statusWait = 2 * time.Second

// awaitingStatus reports whether a refused resource's status has not come
// yet (c.mu held).
func (c *collector) awaitingStatus() bool {
	for _, r := range c.requests {
		if r.problem >= 0 && r.status == 0 {
			return true
		}
	}
	return false
}

// pending names up to three requests still in flight, for a page that
// never finished loading.
func (c *collector) pending() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var urls []string
	for _, r := range c.requests {
		if !r.done && len(urls) < 3 {
			urls = append(urls, clip(r.url))
		}
	}
	if len(urls) == 0 {
		return ""
	}
	// Map order: sorted, so that the same page reads the same.
	slices.Sort(urls)
	return "; still waiting for " + strings.Join(urls, ", ")
}

func (c *collector) result() (int, []Problem, int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.requested, append([]Problem(nil), c.problems...), c.dropped
}

// consoleText is what DevTools prints for console.error's arguments.
func consoleText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		if a == nil {
			continue
		}
		var s string
		if len(a.Value) > 0 && json.Unmarshal(a.Value, &s) == nil {
			parts = append(parts, s)
		} else if a.Description != "" {
			parts = append(parts, firstLine(a.Description))
		} else if len(a.Value) > 0 {
			parts = append(parts, string(a.Value))
		} else {
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

// where is a script's place as DevTools shows it: lines and columns from 1.
func where(url string, line, column int64) string {
	if url == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d:%d", url, line+1, column+1)
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// clip bounds a text the page controls.
func clip(s string) string {
	if len(s) <= maxText {
		return s
	}
	cut := maxText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
