package docker

import (
	"context"
	"fmt"
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

// smoke checks the new release directly, before any traffic moves.
func (d *deployment) smoke(ctx context.Context) error {
	t := time.Now()
	if err := release.Smoke(ctx, d.target, d.o.HealthPath, d.host()); err != nil {
		return fmt.Errorf("smoke check of %s failed before any traffic moved: %v; removed it, %s", d.name, err, d.serving())
	}
	d.step("smoke", t, "%s and / answer", d.o.HealthPath)
	return nil
}

// switchTo has the proxy send the service's traffic to the new release
// once its own probe agrees; the old one starts draining.
func (d *deployment) switchTo(ctx context.Context) error {
	o := &d.o
	t := time.Now()
	if err := ensureService(ctx, d.admin, d.current, o.Service, o.HealthPath, o.Routes); err != nil {
		return err
	}
	if _, err := d.admin.Switch(ctx, o.Service, proxy.SwitchRequest{
		Target: d.target, Timeout: proxy.Duration(o.Timeout), Drain: proxy.Duration(o.Drain)}); err != nil {
		return fmt.Errorf("the proxy refused %s: %v; removed it, %s", d.name, err, d.serving())
	}
	d.res.Release, d.res.Target = d.release, d.target
	d.step("switch", t, "proxy sends %s to %s", o.Service, d.target)
	return nil
}

// hold is the verification window: the --post-switch hook runs, then
// o.PageCheck, then smoke checks for o.Window, the old release still running; a failure
// switches the proxy back and the new release is removed. Interrupted, it
// keeps the new release, which serves. Without an old release there is
// nothing to go back to: a failure is reported and the new one stays.
func (d *deployment) hold(ctx context.Context) error {
	o := &d.o
	old := d.current.Active
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
	if err == nil && o.Window > 0 && old != "" {
		err = release.Hold(ctx, o.Window, time.Second, func(ctx context.Context) error {
			return release.Smoke(ctx, d.target, o.HealthPath, d.host())
		})
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
	case old == "":
		d.switched = true
		return fmt.Errorf("%s %s (%v); it keeps serving: there is no earlier release to switch back to", d.name, failed, err)
	}
	if _, berr := d.admin.Switch(context.WithoutCancel(ctx), o.Service, proxy.SwitchRequest{
		Target: old, Timeout: proxy.Duration(o.Timeout), Drain: proxy.Duration(o.Drain)}); berr != nil {
		d.switched = true // leave the new release: it is what serves
		return fmt.Errorf("%s %s (%v) and switching back to %s failed too: %v", d.name, failed, err, old, berr)
	}
	_ = waitDrained(ctx, d.admin, o.Service, o.Drain+5*time.Second)
	d.step("rollback", t, "switched back to %s", old)
	return fmt.Errorf("%s %s (%v): switched back automatically; removed it, %s", d.name, failed, err, d.serving())
}

// retire lets the old releases drain in the proxy, stops them, and keeps
// the newest o.Keep stopped ones for rollback.
func (d *deployment) retire(ctx context.Context) error {
	o := &d.o
	t := time.Now()
	if len(d.previous) > 0 {
		d.res.Previous = d.previous[0].release
		_ = waitDrained(ctx, d.admin, o.Service, o.Drain+5*time.Second)
	}
	stopped := 0
	for _, p := range d.previous {
		if p.running {
			if _, err := d.c.ContainerStop(ctx, p.id, client.ContainerStopOptions{Timeout: &o.StopTimeout}); err != nil {
				return engineGone(err, "stopping the previous release "+p.name+" after the switch to "+d.name, "")
			}
			stopped++
		}
	}
	for i, p := range d.previous {
		if i >= o.Keep {
			_, _ = d.c.ContainerRemove(ctx, p.id, client.ContainerRemoveOptions{Force: true})
		}
	}
	d.step("drain", t, "stopped %d previous release(s); %d kept for rollback", stopped, min(len(d.previous), o.Keep))
	return nil
}
