package docker

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"

	"github.com/shipshape/shipshape/internal/proxy"
)

// Labels on every release container.
const (
	LabelApp     = "dev.shipshape.app"
	LabelRelease = "dev.shipshape.release"
	LabelImage   = "dev.shipshape.image"
	// LabelImageID pins the image's content: a rollback runs what the
	// release ran even when its tag has moved since.
	LabelImageID = "dev.shipshape.image-id"
	// LabelReplica numbers a release's containers from 1 (none: 1).
	LabelReplica = "dev.shipshape.replica"
)

// Options describe one deploy.
type Options struct {
	Service    string // the app's name: container names, labels, the proxy's service
	Image      string
	Port       int    // the container port (default: the image's lowest EXPOSEd TCP port)
	HealthPath string // default: the image's label or HEALTHCHECK URL
	Network    string // default "shipshape"
	Proxy      string // the proxy's admin socket path
	Routes     []Route
	Env        []string
	Timeout    time.Duration // to turn healthy (default 60 s)
	// Window is how long after the switch the new release is smoke-checked
	// again, the old one still running; a failure switches back (0 or
	// negative: no window; shipshape deploy's --window defaults to 10 s).
	Window time.Duration
	Drain  time.Duration // then, for requests in flight on the old release (default 30 s)
	Keep   int           // stopped releases kept for rollback (default 3)
	// Deprecated: ignored. The deploy lock lives on the engine (see lock),
	// so that deploys from several machines exclude each other.
	LockDir string

	// Replicas is how many containers of the release run, at most
	// proxy.MaxReplicas (0: as many as the release serving now has, or 1);
	// the proxy spreads requests over them as Balance says (default
	// least-requests) and switches only once every one is healthy.
	Replicas int
	Balance  proxy.Balance
	// Canary, when above 0, is the percentage of clients the new release
	// gets for CanaryFor before the proxy promotes it; its error rate or
	// p99 past CanaryThresholds compared with the stable release aborts it
	// (see proxy.CanaryRequest). Without a release serving, the first one
	// is switched to as usual.
	Canary           float64
	CanaryFor        time.Duration
	CanaryThresholds proxy.Thresholds

	// ReleaseCommand (exec form) runs to completion in a one-off container
	// of the new image, with the release's environment, networks and
	// volumes, before the release starts: a migration. Non-zero stops the
	// deploy.
	ReleaseCommand []string
	// PreSwitch and PostSwitch are host commands (sh -c) run before and
	// after the switch; a failure before removes the new release, after
	// switches back. See deployment.hook for their environment.
	PreSwitch, PostSwitch string
	// PageCheck, when set, loads the service's page through the proxy once
	// it has switched, before the window (deploy --smoke-browser: headless
	// Chromium); a failure switches back as the window's do. It returns
	// what it saw, for the step's line.
	PageCheck func(context.Context) (string, error)

	// What a compose service adds (FromCompose sets them).
	Networks      []string                     // more networks to join, after Network
	Aliases       []string                     // DNS names on every network (a compose service's name)
	NetworkLabels map[string]map[string]string // labels of a network deploy creates, by name
	Mounts        []mount.Mount                // named volumes
	Healthcheck   *container.HealthConfig      // replaces the image's (Test NONE: no health check)
	StopTimeout   int                          // seconds from SIGTERM to SIGKILL for an old release (default 30)

	imageLabel  string // the name shown for Image when Image is an ID (rollback)
	releaseArgs bool   // ReleaseCommand is arguments to the image's ENTRYPOINT (a compose command:)
}

// SetReleaseCommand replaces the release command (exec form, run as the
// container's entrypoint), as a --release-command flag does over the
// compose file's release step.
func (o *Options) SetReleaseCommand(cmd []string) {
	o.ReleaseCommand, o.releaseArgs = cmd, false
}

// Route is where the proxy sends the service's traffic.
type Route = proxy.ServiceRoute

// Validate checks what can be checked before anything connects.
func (o *Options) Validate() error {
	if o.Service == "" || strings.ContainsAny(o.Service, " /:") {
		return fmt.Errorf("service %q: a name of letters, digits, - and _", o.Service)
	}
	if o.Replicas < 0 || o.Replicas > proxy.MaxReplicas {
		return fmt.Errorf("%d replicas: from 1 to %d (0: as many as serve now)", o.Replicas, proxy.MaxReplicas)
	}
	if o.Canary != 0 && !(o.Canary > 0 && o.Canary < 100) {
		return fmt.Errorf("canary share %g%%: above 0 and below 100", o.Canary)
	}
	if o.Canary > 0 && (o.CanaryFor <= 0 || o.CanaryFor > proxy.MaxCanaryFor) {
		return fmt.Errorf("canary time %v: above 0, at most %v", o.CanaryFor, proxy.MaxCanaryFor)
	}
	return nil
}

func (o *Options) imageName() string {
	if o.imageLabel != "" {
		return o.imageLabel
	}
	return o.Image
}

func (o *Options) defaults() {
	if o.Network == "" {
		o.Network = "shipshape"
	}
	if o.Timeout <= 0 {
		o.Timeout = 60 * time.Second
	}
	if o.Drain <= 0 {
		o.Drain = 30 * time.Second
	}
	if o.Keep <= 0 {
		o.Keep = 3
	}
	if o.StopTimeout <= 0 {
		o.StopTimeout = 30
	}
	if o.Balance == "" {
		o.Balance = proxy.LeastRequests
	}
}

// healthDisabled: the options turn the image's health check off.
func (o *Options) healthDisabled() bool {
	return o.Healthcheck != nil && len(o.Healthcheck.Test) > 0 && o.Healthcheck.Test[0] == "NONE"
}
