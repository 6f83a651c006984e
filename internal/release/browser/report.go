package browser

import (
	"fmt"
	"io"
	"strings"
)

// Kind is what went wrong on the page.
type Kind string

const (
	// KindPage: the page itself did not load, or answered 4xx or 5xx.
	KindPage Kind = "page"
	// KindMixedContent: the browser blocked an http:// stylesheet, script
	// or frame on the https page.
	KindMixedContent Kind = "mixed-content"
	// KindFailedResource: a stylesheet, script, image, font or media file
	// answered 4xx or 5xx, or did not load.
	KindFailedResource Kind = "failed-resource"
	// KindException: a script threw and nothing caught it.
	KindException Kind = "exception"
	// KindConsoleError: console.error, or an error the browser logged
	// (a stylesheet refused for its MIME type, a Content-Security-Policy
	// violation).
	KindConsoleError Kind = "console-error"
)

// Report is what the browser saw.
type Report struct {
	URL     string `json:"url"`
	Browser string `json:"browser"`          // e.g. HeadlessChrome/156.0.8078.114
	Status  int    `json:"status,omitempty"` // the page's HTTP status (0: it did not load)
	// Requests counts the subresources the page asked for.
	Requests   int       `json:"requests"`
	Problems   []Problem `json:"problems"`
	Dropped    int       `json:"dropped,omitempty"` // problems past the first maxProblems
	Screenshot string    `json:"screenshot,omitempty"`
	// NoScreenshot says why the browser took none, when one was asked for.
	NoScreenshot string `json:"no_screenshot,omitempty"`
	// Reloads counts the loads again after the host's network changed
	// mid-load (a container started), which aborts Chromium's requests.
	Reloads int `json:"reloads,omitempty"`
}

// Problem is one thing a visitor would see go wrong.
type Problem struct {
	Kind     Kind   `json:"kind"`
	Resource string `json:"resource,omitempty"` // Stylesheet, Script, Image…
	URL      string `json:"url,omitempty"`
	Detail   string `json:"detail"`
}

// Failed says whether a visitor would see something go wrong.
func (r *Report) Failed() bool { return len(r.Problems) > 0 }

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(string(p.Kind))
	if p.Resource != "" {
		b.WriteString(" " + strings.ToLower(p.Resource))
	}
	if p.URL != "" {
		b.WriteString(" " + p.URL)
	}
	b.WriteString(": " + p.Detail)
	return b.String()
}

// Err is nil for a page that rendered without a problem; otherwise one
// sentence naming every problem (a deploy's error).
func (r *Report) Err() error {
	if !r.Failed() {
		return nil
	}
	s := make([]string, len(r.Problems))
	for i, p := range r.Problems {
		s[i] = p.String()
	}
	more := ""
	if r.Dropped > 0 {
		more = fmt.Sprintf("; and %d more", r.Dropped)
	}
	shot := ""
	if r.Screenshot != "" {
		shot = "; screenshot " + r.Screenshot
	}
	return fmt.Errorf("%s in %s: %s%s%s", r.URL, r.Browser, strings.Join(s, "; "), more, shot)
}

// Summary is one line: the page, its status and how it went.
func (r *Report) Summary() string {
	status := "did not load"
	if r.Status != 0 {
		status = fmt.Sprintf("HTTP %d", r.Status)
	}
	verdict := "rendered without a problem"
	if n := len(r.Problems) + r.Dropped; n > 0 {
		verdict = fmt.Sprintf("%d problem(s)", n)
	}
	again := ""
	if r.Reloads > 0 {
		again = fmt.Sprintf(" (loaded %d more time(s): the host's network changed mid-load)", r.Reloads)
	}
	return fmt.Sprintf("%s in %s: %s, %d subresource(s), %s%s", r.URL, r.Browser, status, r.Requests, verdict, again)
}

// WriteText writes the report for a person: the summary, each problem,
// and where the screenshot is.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	b.WriteString(r.Summary() + "\n")
	for _, p := range r.Problems {
		b.WriteString("  " + p.String() + "\n")
	}
	if r.Dropped > 0 {
		fmt.Fprintf(&b, "  and %d more\n", r.Dropped)
	}
	if r.Screenshot != "" {
		b.WriteString("screenshot: " + r.Screenshot + "\n")
	}
	if r.NoScreenshot != "" {
		b.WriteString("no screenshot: " + r.NoScreenshot + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
