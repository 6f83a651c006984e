// Package deploy releases an image on one Docker host behind shipshape
// proxy without dropping a request: the new release's container starts
// beside the old one, must turn healthy, the proxy switches to it once its
// own probe agrees and drains the old one, which is then stopped. Any
// failure before the switch removes the new container and leaves the old
// one serving. State lives in container labels and the proxy, not here.
package deploy

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/engine"
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
	Drain      time.Duration // for requests in flight on the old release (default 30 s)
	Keep       int           // stopped releases kept for rollback (default 3)
	// Window is how long after the switch the new release is smoke-checked
	// again, the old one still running; a failure switches back (0 or
	// negative: no window; shipshape deploy's --window defaults to 10 s).
	Window  time.Duration
	LockDir string // default /run/shipshape

	// What a compose service adds (FromCompose sets them).
	Networks      []string                     // more networks to join, after Network
	Aliases       []string                     // DNS names on every network (a compose service's name)
	NetworkLabels map[string]map[string]string // labels of a network deploy creates, by name
	Mounts        []mount.Mount                // named volumes
	Healthcheck   *container.HealthConfig      // replaces the image's
	StopTimeout   int                          // seconds from SIGTERM to SIGKILL for an old release (default 30)

	imageLabel string // the name shown for Image when Image is an ID (rollback)
}

func (o *Options) imageName() string {
	if o.imageLabel != "" {
		return o.imageLabel
	}
	return o.Image
}

// Route is where the proxy sends the service's traffic.
type Route = proxy.ServiceRoute

// Step is one thing a deploy did, for progress output.
type Step struct {
	Name   string        `json:"step"`
	Took   time.Duration `json:"took_ns"`
	Detail string        `json:"detail"`
}

// Recorder returns a function that records a step begun at start in
// *steps and hands it to progress (nil: none), for both deploy targets.
func Recorder(steps *[]Step, progress func(Step)) func(name string, start time.Time, format string, args ...any) {
	return func(name string, start time.Time, format string, args ...any) {
		s := Step{Name: name, Took: time.Since(start), Detail: fmt.Sprintf(format, args...)}
		*steps = append(*steps, s)
		if progress != nil {
			progress(s)
		}
	}
}

// Result is a finished deploy.
type Result struct {
	Release  string `json:"release"`
	Target   string `json:"target"`
	Previous string `json:"previous,omitempty"`
	Steps    []Step `json:"steps"`
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
	if o.LockDir == "" {
		o.LockDir = "/run/shipshape"
	}
	if o.StopTimeout <= 0 {
		o.StopTimeout = 30
	}
}

// Deploy releases o.Image as o.Service. progress is called after each step.
func Deploy(ctx context.Context, c *client.Client, o Options, progress func(Step)) (*Result, error) {
	o.defaults()
	if o.Service == "" || strings.ContainsAny(o.Service, " /:") {
		return nil, fmt.Errorf("service %q: a name of letters, digits, - and _", o.Service)
	}
	res := &Result{}
	step := Recorder(&res.Steps, progress)
	unlock, err := lock(o.LockDir, o.Service)
	if err != nil {
		return nil, err
	}
	defer unlock()

	t := time.Now()
	img, err := c.ImageInspect(ctx, o.Image)
	if err != nil {
		if engine.Unreachable(err) {
			return nil, engineGone(err, "inspecting the image", "")
		}
		return nil, fmt.Errorf("image %s: %v (build it first)", o.Image, err)
	}
	facts := engine.FactsOf(img.Config)
	if o.Port == 0 {
		o.Port = facts.Port
	}
	if o.Port == 0 {
		return nil, fmt.Errorf("image %s EXPOSEs no TCP port: pass --port", o.Image)
	}
	if o.Healthcheck != nil {
		facts.Healthcheck = o.Healthcheck
	}
	hasHealth := facts.Healthcheck != nil
	if o.HealthPath == "" {
		o.HealthPath = facts.HealthPath
	}
	step("image", t, "%s (%s), port %d, health %s", o.Image, shortID(img.ID), o.Port, o.HealthPath)

	t = time.Now()
	for _, n := range append([]string{o.Network}, o.Networks...) {
		if err := ensureNetwork(ctx, c, n, o.NetworkLabels[n]); err != nil {
			return nil, err
		}
	}
	admin := proxy.NewClient(o.Proxy)
	before, err := admin.State(ctx)
	if err != nil {
		return nil, err
	}
	previous, cleaned, err := converge(ctx, c, o, serviceState(before, o.Service))
	if err != nil {
		return nil, err
	}
	if cleaned != "" {
		step("converge", t, "%s", cleaned)
		t = time.Now()
	}
	release := time.Now().UTC().Format("20060102-150405.000")
	release = strings.ReplaceAll(release, ".", "")
	name := o.Service + "-" + release
	// The image's own health check, probed every 2 s: Docker's first probe
	// waits a whole interval (10 s and more in most images), and Docker
	// 20.10 has no start interval.
	// The health check, probed every 2 s: see engine.FastProbe.
	var probe *container.HealthConfig
	if hasHealth {
		probe = engine.FastProbe(*facts.Healthcheck, 2*time.Second)
	}
	endpoint := func() *network.EndpointSettings { return &network.EndpointSettings{Aliases: o.Aliases} }
	created, err := c.ContainerCreate(ctx, client.ContainerCreateOptions{
		Name: name,
		// The image's ID, not its tag: the release runs what was inspected,
		// and a rollback finds it again however the tag moves.
		Config: &container.Config{Image: img.ID, Env: o.Env, Healthcheck: probe,
			Labels: map[string]string{LabelApp: o.Service, LabelRelease: release, LabelImage: o.imageName(), LabelImageID: img.ID}},
		HostConfig: &container.HostConfig{
			ReadonlyRootfs: true,
			Tmpfs:          map[string]string{"/tmp": "rw,noexec,nosuid,size=64m"},
			CapDrop:        []string{"ALL"},
			SecurityOpt:    []string{"no-new-privileges"},
			RestartPolicy:  container.RestartPolicy{Name: container.RestartPolicyUnlessStopped},
			NetworkMode:    container.NetworkMode(o.Network),
			Mounts:         o.Mounts,
		},
		NetworkingConfig: &network.NetworkingConfig{EndpointsConfig: map[string]*network.EndpointSettings{o.Network: endpoint()}},
	})
	if err != nil {
		return nil, engineGone(err, "creating "+name, serving(previous))
	}
	id := created.ID
	// Until the switch, any failure removes the new release (when the
	// engine is gone, the next deploy does: see converge).
	switched := false
	defer func() {
		if !switched {
			_, _ = c.ContainerRemove(context.WithoutCancel(ctx), id, client.ContainerRemoveOptions{Force: true})
		}
	}()
	for _, n := range o.Networks {
		if _, err := c.NetworkConnect(ctx, n, client.NetworkConnectOptions{Container: id, EndpointConfig: endpoint()}); err != nil {
			return nil, engineGone(err, "connecting "+name+" to "+n, serving(previous))
		}
	}
	if _, err := c.ContainerStart(ctx, id, client.ContainerStartOptions{}); err != nil {
		return nil, engineGone(err, "starting "+name, serving(previous))
	}
	st, err := engine.WaitReady(ctx, c, id, hasHealth, o.Timeout)
	if err != nil {
		return nil, engineGone(err, "waiting for "+name+" to turn healthy", serving(previous))
	}
	switch {
	case !st.Running:
		return nil, fmt.Errorf("release %s exited with code %d before turning healthy; removed it, %s", name, st.ExitCode, serving(previous))
	case hasHealth && (st.Health == nil || st.Health.Status != container.Healthy):
		status, last := "starting", ""
		if st.Health != nil {
			status, last = string(st.Health.Status), engine.LastProbe(st.Health)
		}
		return nil, fmt.Errorf("release %s is %s after %v%s; removed it, %s", name, status, o.Timeout, last, serving(previous))
	}
	step("start", t, "%s healthy", name)

	t = time.Now()
	ins, err := c.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		return nil, engineGone(err, "inspecting "+name, serving(previous))
	}
	ep := ins.Container.NetworkSettings.Networks[o.Network]
	if ep == nil || !ep.IPAddress.IsValid() {
		return nil, fmt.Errorf("%s has no address on network %s", name, o.Network)
	}
	target := "http://" + net.JoinHostPort(ep.IPAddress.String(), fmt.Sprint(o.Port))
	host := ""
	if len(o.Routes) > 0 {
		host = o.Routes[0].Host
	}
	if err := Smoke(ctx, target, o.HealthPath, host); err != nil {
		return nil, fmt.Errorf("smoke check of %s failed before any traffic moved: %v; removed it, %s", name, err, serving(previous))
	}
	step("smoke", t, "%s and / answer", o.HealthPath)

	t = time.Now()
	// The proxy's state read at the start: the lock keeps other deploys
	// of this service from changing it since.
	current := serviceState(before, o.Service)
	if err := ensureService(ctx, admin, current, o.Service, o.HealthPath, o.Routes); err != nil {
		return nil, err
	}
	oldTarget := current.Active
	if _, err := admin.Switch(ctx, o.Service, proxy.SwitchRequest{
		Target: target, Timeout: proxy.Duration(o.Timeout), Drain: proxy.Duration(o.Drain)}); err != nil {
		return nil, fmt.Errorf("the proxy refused %s: %v; removed it, %s", name, err, serving(previous))
	}
	res.Release, res.Target = release, target
	step("switch", t, "proxy sends %s to %s", o.Service, target)

	// The verification window: the old release still runs; if the new one
	// fails a smoke check now, the proxy switches back.
	if o.Window > 0 && oldTarget != "" {
		t = time.Now()
		deadline := time.Now().Add(o.Window)
		for time.Now().Before(deadline) {
			if err := Smoke(ctx, target, o.HealthPath, host); err != nil {
				if _, berr := admin.Switch(context.WithoutCancel(ctx), o.Service, proxy.SwitchRequest{
					Target: oldTarget, Timeout: proxy.Duration(o.Timeout), Drain: proxy.Duration(o.Drain)}); berr != nil {
					switched = true // leave the new release: it is what serves
					return res, fmt.Errorf("%s failed its smoke check after the switch (%v) and switching back to %s failed too: %v", name, err, oldTarget, berr)
				}
				_ = waitDrained(ctx, admin, o.Service, o.Drain+5*time.Second)
				step("rollback", t, "switched back to %s", oldTarget)
				return nil, fmt.Errorf("%s failed its smoke check %v after the switch (%v): switched back automatically; removed it, %s",
					name, time.Since(t).Round(time.Second), err, serving(previous))
			}
			select {
			case <-ctx.Done():
				switched = true
				return res, ctx.Err()
			case <-time.After(time.Second):
			}
		}
		step("verify", t, "smoke checks passed for %v", o.Window)
	}
	switched = true

	// The old releases drain in the proxy, then stop.
	t = time.Now()
	if len(previous) > 0 {
		res.Previous = previous[0].release
		_ = waitDrained(ctx, admin, o.Service, o.Drain+5*time.Second)
	}
	stopped := 0
	for _, p := range previous {
		if p.running {
			if _, err := c.ContainerStop(ctx, p.id, client.ContainerStopOptions{Timeout: &o.StopTimeout}); err != nil {
				return res, engineGone(err, "stopping the previous release "+p.name+" after the switch to "+name, "")
			}
			stopped++
		}
	}
	// Keep the newest o.Keep stopped releases for rollback.
	for i, p := range previous {
		if i >= o.Keep {
			_, _ = c.ContainerRemove(ctx, p.id, client.ContainerRemoveOptions{Force: true})
		}
	}
	step("drain", t, "stopped %d previous release(s); %d kept for rollback", stopped, min(len(previous), o.Keep))
	return res, nil
}

// serving says what keeps serving while a deploy fails before its switch.
func serving(previous []releaseInfo) string {
	for _, p := range previous {
		if p.running {
			return p.name + " keeps serving"
		}
	}
	return "nothing was serving yet"
}

// engineGone words an engine error: when the engine stopped answering,
// the proxy (a process of its own) still serves the running release, and
// the next deploy removes what this one could not.
func engineGone(err error, doing, serving string) error {
	if !engine.Unreachable(err) {
		if serving != "" {
			return fmt.Errorf("%s: %v; %s", doing, err, serving)
		}
		return fmt.Errorf("%s: %v", doing, err)
	}
	msg := fmt.Sprintf("the container engine stopped answering while %s (%v)", doing, err)
	if serving != "" {
		msg += "; the proxy did not switch: " + serving
	}
	return fmt.Errorf("%s; start the engine again and rerun: the next deploy removes what this one left", msg)
}

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

// converge makes the containers agree with the proxy after a deploy that
// was killed or lost its engine half-way: a running release newer than the
// one the proxy serves never took traffic and is removed; an older running
// one the proxy neither serves nor drains is stopped (kept for rollback).
// Without an active target in the proxy nothing is touched. It returns the
// releases left, newest first, and what it did.
func converge(ctx context.Context, c *client.Client, o Options, svc proxy.ServiceState) ([]releaseInfo, string, error) {
	list, err := releases(ctx, c, o.Service)
	if err != nil {
		return nil, "", engineGone(err, "listing the releases of "+o.Service, "")
	}
	if svc.Active == "" {
		return list, "", nil
	}
	inProxy := map[string]bool{}
	for _, t := range append([]string{svc.Active}, svc.Draining...) {
		if u, err := url.Parse(t); err == nil {
			inProxy[u.Hostname()] = true
		}
	}
	active := -1
	for i, r := range list {
		if r.running && r.ip != "" && inProxy[r.ip] && active < 0 {
			active = i
		}
	}
	if active < 0 {
		return list, "", nil // the proxy serves something deploy did not start
	}
	var kept []releaseInfo
	var did []string
	for i, r := range list {
		switch {
		case (r.running || r.created) && i < active && !inProxy[r.ip]:
			if _, err := c.ContainerRemove(ctx, r.id, client.ContainerRemoveOptions{Force: true}); err != nil {
				return nil, "", engineGone(err, "removing "+r.name, "")
			}
			did = append(did, "removed "+r.name+" (left by an interrupted deploy, never served)")
		case !r.running || inProxy[r.ip]:
			kept = append(kept, r)
		default:
			if _, err := c.ContainerStop(ctx, r.id, client.ContainerStopOptions{Timeout: &o.StopTimeout}); err != nil {
				return nil, "", engineGone(err, "stopping "+r.name, "")
			}
			r.running = false
			kept = append(kept, r)
			did = append(did, "stopped "+r.name+" (the proxy no longer sends it traffic)")
		}
	}
	return kept, strings.Join(did, "; "), nil
}

type releaseInfo struct {
	id, name, release, image, imageID string
	ip                                string // on any network: what the proxy's targets name
	running                           bool
	// created: made but never started (a deploy lost its engine between
	// create and start): it never served.
	created bool
}

// releases lists a service's release containers, newest first.
func releases(ctx context.Context, c *client.Client, service string) ([]releaseInfo, error) {
	list, err := c.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("label", LabelApp+"="+service)})
	if err != nil {
		return nil, err
	}
	var out []releaseInfo
	for _, s := range list.Items {
		name := s.ID[:12]
		if len(s.Names) > 0 {
			name = strings.TrimPrefix(s.Names[0], "/")
		}
		r := releaseInfo{id: s.ID, name: name, release: s.Labels[LabelRelease], image: s.Labels[LabelImage],
			imageID: s.Labels[LabelImageID], running: s.State == container.StateRunning, created: s.State == container.StateCreated}
		if s.NetworkSettings != nil {
			for _, ep := range s.NetworkSettings.Networks {
				if ep != nil && ep.IPAddress.IsValid() && r.running {
					r.ip = ep.IPAddress.String()
				}
			}
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].release > out[j].release })
	return out, nil
}

func ensureNetwork(ctx context.Context, c *client.Client, name string, labels map[string]string) error {
	_, err := c.NetworkInspect(ctx, name, client.NetworkInspectOptions{})
	if err == nil {
		return nil
	}
	if engine.Unreachable(err) {
		return engineGone(err, "looking up network "+name, "")
	}
	if labels == nil {
		labels = map[string]string{LabelApp: "network"}
	}
	_, err = c.NetworkCreate(ctx, name, client.NetworkCreateOptions{Driver: "bridge", Labels: labels})
	if err != nil && !strings.Contains(err.Error(), "already exists") {
		return fmt.Errorf("creating network %s: %v", name, err)
	}
	return nil
}

// lock takes the deploy lock of service: a second deploy of the same
// service fails at once, saying who holds it. The kernel releases it when
// the process dies, so a killed deploy never leaves it stuck.
func lock(dir, service string) (func(), error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "deploy-"+service+".lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		return nil, fmt.Errorf("another deploy of %s is running (%s); wait for it, or run again when it ends", service, strings.TrimSpace(string(holder)))
	}
	_ = f.Truncate(0)
	fmt.Fprintf(f, "pid %d since %s", os.Getpid(), time.Now().UTC().Format(time.RFC3339))
	return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}

// Release is one release container of a service.
type Release struct {
	Release string `json:"release"`
	Name    string `json:"container"`
	Image   string `json:"image"`
	Running bool   `json:"running"`
}

// Releases lists service's releases, newest first.
func Releases(ctx context.Context, c *client.Client, service string) ([]Release, error) {
	list, err := releases(ctx, c, service)
	if err != nil {
		return nil, err
	}
	out := make([]Release, len(list))
	for i, r := range list {
		out[i] = Release{Release: r.release, Name: r.name, Image: r.image, Running: r.running}
	}
	return out, nil
}

// Rollback deploys the image of an earlier release (the one before the
// running one, or the named one) the same way as Deploy: it becomes a new
// release, healthy before the switch, so a rollback is as safe as a deploy.
func Rollback(ctx context.Context, c *client.Client, o Options, release string, progress func(Step)) (*Result, error) {
	list, err := releases(ctx, c, o.Service)
	if err != nil {
		return nil, err
	}
	current := -1
	for i, r := range list {
		if r.running {
			current = i
			break
		}
	}
	// A release is its image's ID (the tag may have moved since); a
	// release from before the ID label, its tag.
	ident := func(r releaseInfo) string {
		if r.imageID != "" {
			return r.imageID
		}
		return r.image
	}
	for i, r := range list {
		if (release == "" && current >= 0 && i > current && ident(r) != ident(list[current])) || (release != "" && r.release == release) {
			o.Image, o.imageLabel = r.image, r.image
			if r.imageID != "" {
				if _, err := c.ImageInspect(ctx, r.imageID); err == nil {
					o.Image = r.imageID // the engine still has what the release ran
				}
			}
			return Deploy(ctx, c, o, progress)
		}
	}
	if release != "" {
		return nil, fmt.Errorf("%s has no release %s; shipshape releases %s lists them", o.Service, release, o.Service)
	}
	return nil, fmt.Errorf("%s has no earlier release with another image to roll back to", o.Service)
}
