// Package release is what a release is, whatever it runs on: the steps it
// takes and reports, the smoke check a person would do, the verification
// window that decides whether to keep a new release or go back, and the
// records `shipshape releases` lists. The targets live beneath it:
// release/docker (one Docker host through shipshape's proxy) and
// release/kube (Kubernetes through client-go). They share this package
// and never import each other.
package release

import (
	"fmt"
	"time"
)

// Step is one thing a release did, for progress output; one printer
// serves both targets.
type Step struct {
	// Service is set when a release covers several services (a compose
	// project).
	Service string        `json:"service,omitempty"`
	Name    string        `json:"step"`
	Took    time.Duration `json:"took_ns"`
	Detail  string        `json:"detail"`
}

// Recorder returns a function that records a step begun at start in
// *steps and hands it to progress (nil: none).
func Recorder(steps *[]Step, progress func(Step)) func(name string, start time.Time, format string, args ...any) {
	return func(name string, start time.Time, format string, args ...any) {
		s := Step{Name: name, Took: time.Since(start), Detail: fmt.Sprintf(format, args...)}
		*steps = append(*steps, s)
		if progress != nil {
			progress(s)
		}
	}
}
