package browser

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
)

// TestCollector_WaitsForARefusedResourcesStatus: Chromium cancels a 404
// stylesheet served as text/plain (LoadingFailed, canceled) and sends its
// status in an ExtraInfo event, which on a busy machine came after the
// page had been quiet for 500ms: the report then said "not loaded
// (net::ERR_ABORTED)" without "HTTP 404" (the full run of 89faafc). settle
// waits up to statusWait more for it, and the status lands in the problem.
func TestCollector_WaitsForARefusedResourcesStatus(t *testing.T) {
	c := newCollector()
	c.event(&network.EventRequestWillBeSent{RequestID: "css", Type: network.ResourceTypeStylesheet, Request: &network.Request{URL: "https://shop.test/static/missing.css"}})
	c.event(&network.EventLoadingFailed{RequestID: "css", Type: network.ResourceTypeStylesheet, ErrorText: "net::ERR_ABORTED", Canceled: true})
	go func() {
		time.Sleep(quiet + 300*time.Millisecond)
		c.event(&network.EventResponseReceivedExtraInfo{RequestID: "css", StatusCode: 404})
	}()
	start := time.Now()
	if err := c.settle(context.Background()); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < quiet+300*time.Millisecond {
		t.Errorf("settled after %v, before the status came", waited)
	}
	if len(c.problems) != 1 || c.problems[0].Detail != "HTTP 404" {
		t.Errorf("problems %+v, want one whose detail is HTTP 404", c.problems)
	}

	// A status that never comes holds settle back statusWait at most.
	c = newCollector()
	c.event(&network.EventRequestWillBeSent{RequestID: "css", Type: network.ResourceTypeStylesheet, Request: &network.Request{URL: "https://shop.test/static/missing.css"}})
	c.event(&network.EventLoadingFailed{RequestID: "css", Type: network.ResourceTypeStylesheet, ErrorText: "net::ERR_ABORTED", Canceled: true})
	start = time.Now()
	if err := c.settle(context.Background()); err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited > quiet+statusWait+time.Second {
		t.Errorf("settled after %v, want at most about %v", waited, quiet+statusWait)
	}
	if len(c.problems) != 1 || c.problems[0].Detail != "not loaded (net::ERR_ABORTED)" {
		t.Errorf("problems %+v", c.problems)
	}
}

// A response's ExtraInfo sent before its request's RequestWillBeSent
// is kept for the request, and the refused stylesheet is reported with
// its status.
func TestCollector_StatusBeforeItsRequest(t *testing.T) {
	c := newCollector()
	c.event(&network.EventResponseReceivedExtraInfo{RequestID: "css", StatusCode: 404})
	c.event(&network.EventRequestWillBeSent{RequestID: "css", Type: network.ResourceTypeStylesheet, Request: &network.Request{URL: "https://shop.test/static/missing.css"}})
	c.event(&network.EventLoadingFailed{RequestID: "css", Type: network.ResourceTypeStylesheet, ErrorText: "net::ERR_ABORTED", Canceled: true})
	if len(c.problems) != 1 || c.problems[0].Detail != "HTTP 404" {
		t.Errorf("problems %+v, want one whose detail is HTTP 404", c.problems)
	}
	if len(c.early) != 0 {
		t.Errorf("early statuses kept after their request came: %v", c.early)
	}
}
