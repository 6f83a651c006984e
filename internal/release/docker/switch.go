package docker

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/proxy"
	"github.com/shipshape/shipshape/internal/release"
)

// host is the name the service's first route answers to ("" for none),
// sent with the smoke check.
func (d *deployment) host() string {
	if len(d.o.Routes) > 0 {
		return d.o.Routes[0].Host
	}
	return ""
}

// smoke checks the new release directly, every replica, before any
// traffic moves.
func (d *deployment) smoke(ctx context.Context) error {
	t := time.Now()
	if err := d.smokeAll(ctx); err != nil {
		return fmt.Errorf("smoke check of %s failed before any traffic moved: %v; removed it, %s", d.name, err, d.serving())
	}
	d.step("smoke", t, "%s and / answer", d.o.HealthPath)
	return nil
}

// smokeAll smoke-checks each replica; the error names the one that failed
// when there are several.
func (d *deployment) smokeAll(ctx context.Context) error {
	for i, target := range d.targets {
		if err := release.Smoke(ctx, target, d.o.HealthPath, d.host()); err != nil {
			if len(d.targets) > 1 {
				return fmt.Errorf("%s: %v", d.names[i], err)
			}
			return err
		}
	}
	return nil
}

// switchTo has the proxy send the service's traffic to the new release
// (every replica) once its own probe agrees; the old one starts draining.
// With a canary, and a release serving to compare it with, the proxy
// tries the new release on a share of the clients first (see canary).
func (d *deployment) switchTo(ctx context.Context) error {
	o := &d.o
	t := time.Now()
	if err := ensureService(ctx, d.admin, d.current, d.currentRoutes, o.Service, o.HealthPath, o.Routes, o.Balance); err != nil {
		return err
	}
	if o.Canary > 0 && len(activeTargets(d.current)) > 0 {
		return d.canary(ctx)
	}
	if _, err := d.admin.Switch(ctx, o.Service, proxy.SwitchRequest{
		Targets: d.targets, Timeout: proxy.Duration(o.Timeout), Drain: proxy.Duration(o.Drain)}); err != nil {
		return fmt.Errorf("the proxy refused %s: %v; removed it, %s", d.name, err, d.serving())
	}
	d.switchedTo()
	detail := ""
	if o.Canary > 0 {
		detail = " (no release served yet: no canary to compare)"
	}
	d.step("switch", t, "proxy sends %s to %s%s", o.Service, strings.Join(d.targets, ", "), detail)
	return nil
}

// switchedTo records that the proxy sends the new release traffic.
func (d *deployment) switchedTo() {
	d.res.Release, d.res.Target, d.res.Targets = d.release, d.target, d.targets
}

// hold is the verification window: the --post-switch hook runs, then
// o.PageCheck, then smoke checks for o.Window, the old release still running; a failure
// switches the proxy back and the new release is removed. Interrupted, it
// keeps the new release, which serves. Without an old release there is
// nothing to go back to: a failure is reported and the new one stays.
func (d *deployment) hold(ctx context.Context) error {
	o := &d.o
	old := activeTargets(d.current)
	t := time.Now()
	var err error
	failed := ""
	if o.PostSwitch != "" {
		if err = d.hook(ctx, "post-switch", o.PostSwitch); err != nil {
			failed = "failed its post-switch hook"
		}
	}
	if err == nil && o.PageCheck != nil {
		tb, saw := time.Now(), ""
		if saw, err = o.PageCheck(ctx); err == nil {
			d.step("browser", tb, "%s", saw)
		}
		failed = "failed its browser check through the proxy"
	}
	if err == nil && o.Window > 0 && len(old) > 0 {
		err = release.Hold(ctx, o.Window, time.Second, d.smokeAll)
		if err == nil {
			d.step("verify", t, "smoke checks passed for %v", o.Window)
		}
		failed = fmt.Sprintf("failed its smoke check %v after the switch", time.Since(t).Round(time.Second))
	}
	switch {
	case err == nil:
		return nil
	case ctx.Err() != nil:
		d.switched = true
		return err
	case len(old) == 0:
		d.switched = true
		return fmt.Errorf("%s %s (%v); it keeps serving: there is no earlier release to switch back to", d.name, failed, err)
	}
	if _, berr := d.admin.Switch(context.WithoutCancel(ctx), o.Service, proxy.SwitchRequest{
		Targets: old, Timeout: proxy.Duration(o.Timeout), Drain: proxy.Duration(o.Drain)}); berr != nil {
		d.switched = true // leave the new release: it is what serves
		return fmt.Errorf("%s %s (%v) and switching back to %s failed too: %v", d.name, failed, err, strings.Join(old, ", "), berr)
	}
	_ = waitDrained(ctx, d.admin, o.Service, o.Drain+5*time.Second)
	d.step("rollback", t, "switched back to %s", strings.Join(old, ", "))
	return fmt.Errorf("%s %s (%v): switched back automatically; removed it, %s", d.name, failed, err, d.serving())
}

// retire lets the old releases drain in the proxy, stops them (every
// replica), and keeps the newest o.Keep stopped ones for rollback.
func (d *deployment) retire(ctx context.Context) error {
	o := &d.o
	t := time.Now()
	if len(d.previous) > 0 {
		d.res.Previous = d.previous[0].release
		_ = waitDrained(ctx, d.admin, o.Service, o.Drain+5*time.Second)
	}
	stopped := 0
	for _, p := range d.previous {
		if !p.running {
			continue
		}
		for _, r := range p.replicas {
			if !r.running {
				continue
			}
			if _, err := d.c.ContainerStop(ctx, r.id, client.ContainerStopOptions{Timeout: &o.StopTimeout}); err != nil {
				return engineGone(err, "stopping the previous release "+r.name+" after the switch to "+d.name, "")
			}
		}
		stopped++
	}
	for i, p := range d.previous {
		if i >= o.Keep {
			for _, r := range p.replicas {
				_, _ = d.c.ContainerRemove(ctx, r.id, client.ContainerRemoveOptions{Force: true})
			}
		}
	}
	d.step("drain", t, "stopped %d previous release(s); %d kept for rollback", stopped, min(len(d.previous), o.Keep))
	return nil
}
