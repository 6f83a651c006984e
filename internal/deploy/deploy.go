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
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/verify"
)

// Labels on every release container.
const (
	LabelApp     = "dev.shipshape.app"
	LabelRelease = "dev.shipshape.release"
	LabelImage   = "dev.shipshape.image"
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
	// again, the old one still running; a failure switches back (0: 10 s;
	// negative: no window).
	Window  time.Duration
	LockDir string // default /run/shipshape
}

// Route is where the proxy sends the service's traffic.
type Route struct {
	Host   string `json:"host,omitempty"`
	Prefix string `json:"prefix,omitempty"`
}

// Step is one thing a deploy did, for progress output.
type Step struct {
	Name   string        `json:"step"`
	Took   time.Duration `json:"took_ns"`
	Detail string        `json:"detail"`
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
	if o.Window == 0 {
		o.Window = 10 * time.Second
	}
	if o.LockDir == "" {
		o.LockDir = "/run/shipshape"
	}
}

// Deploy releases o.Image as o.Service. progress is called after each step.
func Deploy(ctx context.Context, c *client.Client, o Options, progress func(Step)) (*Result, error) {
	o.defaults()
	if o.Service == "" || strings.ContainsAny(o.Service, " /:") {
		return nil, fmt.Errorf("service %q: a name of letters, digits, - and _", o.Service)
	}
	res := &Result{}
	step := func(name string, start time.Time, format string, args ...any) {
		s := Step{Name: name, Took: time.Since(start), Detail: fmt.Sprintf(format, args...)}
		res.Steps = append(res.Steps, s)
		if progress != nil {
			progress(s)
		}
	}
	unlock, err := lock(o.LockDir, o.Service)
	if err != nil {
		return nil, err
	}
	defer unlock()

	t := time.Now()
	img, err := c.ImageInspect(ctx, o.Image)
	if err != nil {
		return nil, fmt.Errorf("image %s: %v (build it first)", o.Image, err)
	}
	cfg := img.Config
	imagePort, healthcheck := verify.ImageFacts(cfg)
	if o.Port == 0 {
		o.Port = imagePort
	}
	if o.Port == 0 {
		return nil, fmt.Errorf("image %s EXPOSEs no TCP port: pass --port", o.Image)
	}
	hasHealth := healthcheck != nil
	if o.HealthPath == "" {
		o.HealthPath = verify.ImageHealthPath(cfg)
	}
	step("image", t, "%s, port %d, health %s", o.Image, o.Port, o.HealthPath)

	t = time.Now()
	if err := ensureNetwork(ctx, c, o.Network); err != nil {
		return nil, err
	}
	previous, err := releases(ctx, c, o.Service)
	if err != nil {
		return nil, err
	}
	release := time.Now().UTC().Format("20060102-150405.000")
	release = strings.ReplaceAll(release, ".", "")
	name := o.Service + "-" + release
	// The image's own health check, probed every 2 s: Docker's first probe
	// waits a whole interval (10 s and more in most images), and Docker
	// 20.10 has no start interval.
	var probe *container.HealthConfig
	if hasHealth {
		hc := *cfg.Healthcheck
		if hc.Interval == 0 || hc.Interval > 2*time.Second {
			hc.Interval = 2 * time.Second
		}
		probe = &hc
	}
	created, err := c.ContainerCreate(ctx, client.ContainerCreateOptions{
		Name: name,
		Config: &container.Config{Image: o.Image, Env: o.Env, Healthcheck: probe,
			Labels: map[string]string{LabelApp: o.Service, LabelRelease: release, LabelImage: o.Image}},
		HostConfig: &container.HostConfig{
			ReadonlyRootfs: true,
			Tmpfs:          map[string]string{"/tmp": "rw,noexec,nosuid,size=64m"},
			CapDrop:        []string{"ALL"},
			SecurityOpt:    []string{"no-new-privileges"},
			RestartPolicy:  container.RestartPolicy{Name: container.RestartPolicyUnlessStopped},
			NetworkMode:    container.NetworkMode(o.Network),
		},
	})
	if err != nil {
		return nil, fmt.Errorf("creating %s: %v", name, err)
	}
	id := created.ID
	// Until the switch, any failure removes the new release.
	switched := false
	defer func() {
		if !switched {
			_, _ = c.ContainerRemove(context.WithoutCancel(ctx), id, client.ContainerRemoveOptions{Force: true})
		}
	}()
	if _, err := c.ContainerStart(ctx, id, client.ContainerStartOptions{}); err != nil {
		return nil, fmt.Errorf("starting %s: %v", name, err)
	}
	st, err := verify.WaitReady(ctx, c, id, hasHealth, o.Timeout)
	if err != nil {
		return nil, err
	}
	serving := "nothing was serving yet"
	if len(previous) > 0 {
		serving = previous[0].name + " keeps serving"
	}
	switch {
	case !st.Running:
		return nil, fmt.Errorf("release %s exited with code %d before turning healthy; removed it, %s", name, st.ExitCode, serving)
	case hasHealth && (st.Health == nil || st.Health.Status != container.Healthy):
		status, last := "starting", ""
		if st.Health != nil {
			status, last = string(st.Health.Status), verify.LastProbe(st.Health)
		}
		return nil, fmt.Errorf("release %s is %s after %v%s; removed it, %s", name, status, o.Timeout, last, serving)
	}
	step("start", t, "%s healthy", name)

	t = time.Now()
	ins, err := c.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		return nil, err
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
		return nil, fmt.Errorf("smoke check of %s failed before any traffic moved: %v; removed it, %s", name, err, serving)
	}
	step("smoke", t, "%s and / answer", o.HealthPath)

	t = time.Now()
	admin := NewAdmin(o.Proxy)
	if err := admin.EnsureService(ctx, o.Service, o.HealthPath, o.Routes); err != nil {
		return nil, err
	}
	before, err := admin.State(ctx)
	if err != nil {
		return nil, err
	}
	oldTarget := ""
	for _, s := range before.Services {
		if s.Name == o.Service {
			oldTarget = s.Active
		}
	}
	if err := admin.Switch(ctx, o.Service, target, o.Timeout, o.Drain); err != nil {
		return nil, fmt.Errorf("the proxy refused %s: %v; removed it, %s", name, err, serving)
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
				if berr := admin.Switch(context.WithoutCancel(ctx), o.Service, oldTarget, o.Timeout, o.Drain); berr != nil {
					switched = true // leave the new release: it is what serves
					return res, fmt.Errorf("%s failed its smoke check after the switch (%v) and switching back to %s failed too: %v", name, err, oldTarget, berr)
				}
				_ = admin.WaitDrained(ctx, o.Service, o.Drain+5*time.Second)
				step("rollback", t, "switched back to %s", oldTarget)
				return nil, fmt.Errorf("%s failed its smoke check %v after the switch (%v): switched back automatically; removed it, %s",
					name, time.Since(t).Round(time.Second), err, serving)
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
		_ = admin.WaitDrained(ctx, o.Service, o.Drain+5*time.Second)
	}
	stopped := 0
	for _, p := range previous {
		if p.running {
			grace := 30
			if _, err := c.ContainerStop(ctx, p.id, client.ContainerStopOptions{Timeout: &grace}); err != nil {
				return res, fmt.Errorf("switched to %s, but stopping %s failed: %v", name, p.name, err)
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

type releaseInfo struct {
	id, name, release, image string
	running                  bool
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
		out = append(out, releaseInfo{id: s.ID, name: name, release: s.Labels[LabelRelease], image: s.Labels[LabelImage], running: s.State == container.StateRunning})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].release > out[j].release })
	return out, nil
}

func ensureNetwork(ctx context.Context, c *client.Client, name string) error {
	if _, err := c.NetworkInspect(ctx, name, client.NetworkInspectOptions{}); err == nil {
		return nil
	}
	_, err := c.NetworkCreate(ctx, name, client.NetworkCreateOptions{Driver: "bridge", Labels: map[string]string{LabelApp: "network"}})
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
	for i, r := range list {
		if (release == "" && current >= 0 && i > current && r.image != list[current].image) || (release != "" && r.release == release) {
			o.Image = r.image
			return Deploy(ctx, c, o, progress)
		}
	}
	if release != "" {
		return nil, fmt.Errorf("%s has no release %s; shipshape releases %s lists them", o.Service, release, o.Service)
	}
	return nil, fmt.Errorf("%s has no earlier release with another image to roll back to", o.Service)
}
