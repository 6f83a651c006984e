// Package docker releases an image on one Docker host behind shipshape
// proxy without dropping a request: the new release's container starts
// beside the old one, must turn healthy, the proxy switches to it once its
// own probe agrees and drains the old one, which is then stopped. Any
// failure before the switch removes the new container and leaves the old
// one serving. State lives in container labels and the proxy, not here.
package docker

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/engine"
	"github.com/shipshape/shipshape/internal/proxy"
	"github.com/shipshape/shipshape/internal/release"
)

// Result is a finished deploy.
type Result struct {
	Release  string   `json:"release"`
	Target   string   `json:"target"`  // its first replica's address
	Targets  []string `json:"targets"` // every replica's
	Previous string   `json:"previous,omitempty"`
	// Canary is the proxy's verdict on the release, when it was tried as
	// a canary first.
	Canary *proxy.CanaryResult `json:"canary,omitempty"`
	// Served and Failed are the requests the proxy answered for the
	// service while the deploy ran, and how many of those were 5xx (its
	// own 502, 503 and 504 included), from the proxy's counters.
	Served uint64         `json:"served"`
	Failed uint64         `json:"failed"`
	Steps  []release.Step `json:"steps"`
}

// deployment is one deploy under way: what it learnt so far and what it
// must undo if it fails before the switch.
type deployment struct {
	c     *client.Client
	o     Options
	res   *Result
	step  func(name string, start time.Time, format string, args ...any)
	began time.Time

	imageID     string
	healthcheck *container.HealthConfig // nil: the release has none
	admin       *proxy.Client
	current     proxy.ServiceState // the service in the proxy before the switch
	previous    []releaseInfo      // the service's releases before this one, newest first
	// currentRoutes are the service's routes before the switch: kept when
	// the deploy names none.
	currentRoutes []Route

	name, release string   // the new release's (first) container and stamp
	target        string   // its (first) address, as the proxy reaches it
	ids, names    []string // its replicas' containers
	targets       []string // and their addresses
	switched      bool     // the proxy sends it traffic: never remove it
	unlock        func()   // releases the service's deploy lock (see lock)
}

// Deploy releases o.Image as o.Service. progress is called after each step.
func Deploy(ctx context.Context, c *client.Client, o Options, progress func(release.Step)) (*Result, error) {
	d, err := begin(ctx, c, o, progress)
	if d == nil {
		return nil, err
	}
	defer d.unlock()
	if err == nil {
		err = d.retire(ctx)
	}
	d.traffic(ctx)
	if err != nil && !d.switched {
		return nil, err
	}
	return d.res, err
}

// traffic reports how many requests the proxy answered for the service
// while the deploy ran, and how many failed, from its counters (nothing
// when the deploy never read them, or the proxy restarted meanwhile).
func (d *deployment) traffic(ctx context.Context) {
	if d.current.Name == "" && d.res.Release == "" {
		return
	}
	st, err := d.admin.State(context.WithoutCancel(ctx))
	if err != nil {
		return
	}
	now := serviceState(st, d.o.Service)
	if now.Requests < d.current.Requests || now.Failed < d.current.Failed {
		return
	}
	d.res.Served, d.res.Failed = now.Requests-d.current.Requests, now.Failed-d.current.Failed
	d.step("traffic", d.began, "the proxy answered %d requests for %s during the deploy, %d of them 5xx", d.res.Served, d.o.Service, d.res.Failed)
}

// begin takes a release as far as it goes with the old one still running:
// through the switch and the verification window. It returns nil when it
// did not start (nothing to undo, nothing locked); otherwise the
// deployment holds the service's lock until unlock. On an error before the
// switch the new release is already removed; when d.switched, it serves.
func begin(ctx context.Context, c *client.Client, o Options, progress func(release.Step)) (*deployment, error) {
	o.defaults()
	if err := o.Validate(); err != nil {
		return nil, err
	}
	res := &Result{}
	d := &deployment{c: c, o: o, res: res, step: release.Recorder(&res.Steps, progress), began: time.Now(), admin: proxy.NewClient(o.Proxy)}
	t := time.Now()
	unlock, broke, err := lock(ctx, c, o.Service, o.Image)
	if err != nil {
		return nil, err
	}
	d.unlock = unlock
	if broke != "" {
		d.step("lock", t, "%s", broke)
	}
	if err := d.inspect(ctx); err != nil {
		return d, err
	}
	if err := d.prepare(ctx); err != nil {
		return d, err
	}
	// Until the switch, any failure removes the new release (when the
	// engine is gone, the next deploy does: see converge).
	defer d.removeUnlessSwitched(ctx)
	for _, phase := range []func(context.Context) error{d.checkMounts, d.releaseCommand, d.start, d.smoke, d.preSwitch, d.switchTo} {
		if err := phase(ctx); err != nil {
			return d, err
		}
	}
	if err := d.hold(ctx); err != nil {
		return d, err
	}
	d.switched = true
	return d, nil
}

// inspect reads the image: its ID, port, health check and health route.
func (d *deployment) inspect(ctx context.Context) error {
	o := &d.o
	t := time.Now()
	img, err := engine.InspectImage(ctx, d.c, o.Image)
	if err != nil {
		if engine.Unreachable(err) {
			return engineGone(err, "inspecting the image", "")
		}
		return fmt.Errorf("image %s: %v (build it first)", o.imageName(), err)
	}
	facts := engine.FactsOf(img.Config)
	if o.Port == 0 {
		o.Port = facts.Port
	}
	if o.Port == 0 {
		return fmt.Errorf("image %s EXPOSEs no TCP port: pass --port", o.imageName())
	}
	if o.HealthPath == "" {
		o.HealthPath = facts.HealthPath
	}
	d.imageID, d.healthcheck = img.ID, facts.Healthcheck
	switch {
	case o.healthDisabled():
		d.healthcheck = nil
	case o.Healthcheck != nil:
		d.healthcheck = o.Healthcheck
	}
	d.step("image", t, "%s (%s), port %d, health %s", o.imageName(), shortID(img.ID), o.Port, o.HealthPath)
	return nil
}

// prepare makes the networks, reads the proxy's state and converges what
// an interrupted deploy left.
func (d *deployment) prepare(ctx context.Context) error {
	o := &d.o
	t := time.Now()
	for _, n := range append([]string{o.Network}, o.Networks...) {
		if err := ensureNetwork(ctx, d.c, n, o.NetworkLabels[n]); err != nil {
			return err
		}
	}
	// The proxy's state read now: the lock keeps other deploys of this
	// service from changing it until this one ends.
	before, err := d.admin.State(ctx)
	if err != nil {
		return err
	}
	d.current, d.currentRoutes = serviceState(before, o.Service), proxyRoutes(before, o.Service)
	if o.Replicas == 0 {
		o.Replicas = max(1, len(activeTargets(d.current))) // as many as serve now
	}
	previous, cleaned, err := converge(ctx, d.c, *o, d.current)
	if err != nil {
		return err
	}
	d.previous = previous
	if cleaned != "" {
		d.step("converge", t, "%s", cleaned)
	}
	d.release = strings.ReplaceAll(time.Now().UTC().Format("20060102-150405.000"), ".", "")
	d.name = o.Service + "-" + d.release
	return nil
}

// removeUnlessSwitched removes the new release unless the proxy sends it
// traffic, even when ctx has ended (Ctrl-C).
func (d *deployment) removeUnlessSwitched(ctx context.Context) {
	if d.switched {
		return
	}
	for _, id := range d.ids {
		_, _ = d.c.ContainerRemove(context.WithoutCancel(ctx), id, client.ContainerRemoveOptions{Force: true})
	}
}

// serving says, for an error before the switch, what keeps serving.
func (d *deployment) serving() string { return serving(d.previous) }

func shortID(id string) string {
	id = strings.TrimPrefix(id, "sha256:")
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

func serviceState(st proxy.State, service string) proxy.ServiceState {
	for _, s := range st.Services {
		if s.Name == service {
			return s
		}
	}
	return proxy.ServiceState{}
}
