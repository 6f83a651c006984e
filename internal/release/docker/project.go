package docker

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/engine"
	"github.com/shipshape/shipshape/internal/proxy"
	"github.com/shipshape/shipshape/internal/release"
)

// ServiceResult is one service's release in a project deploy.
type ServiceResult struct {
	Service string `json:"service"`
	*Result
	// Reverted: it switched, a later service failed, and it switched back.
	Reverted bool `json:"reverted,omitempty"`
}

// DeployProject releases the services of a compose project (FromProject
// gives them, in dependency order) under one lock, each the way Deploy
// releases one, health-gated through the proxy. The old releases keep
// running until every service has switched and passed its window; if one
// fails, those already switched in this run switch back and their new
// releases are removed, so the project serves as it did. Accessories are
// not touched. progress gets each step with its service.
func DeployProject(ctx context.Context, c *client.Client, project string, services []Options, progress func(release.Step)) ([]ServiceResult, error) {
	if len(services) == 0 {
		return nil, fmt.Errorf("project %s has no web service to release", project)
	}
	t := time.Now()
	unlock, broke, err := lock(ctx, c, "project-"+project, services[0].Image)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if broke != "" && progress != nil {
		progress(release.Step{Name: "lock", Took: time.Since(t), Detail: broke})
	}
	if err := portsKnown(ctx, c, services); err != nil {
		return nil, err
	}
	var begun []*deployment
	defer func() {
		for _, d := range begun {
			d.unlock()
		}
	}()
	results := make([]ServiceResult, 0, len(services))
	for _, o := range services {
		step := func(s release.Step) {
			s.Service = o.Service
			if progress != nil {
				progress(s)
			}
		}
		d, err := begin(ctx, c, o, step)
		switch {
		case d != nil && (err == nil || d.switched):
			begun = append(begun, d)
			results = append(results, ServiceResult{Service: o.Service, Result: d.res})
		case d != nil:
			d.unlock()
		}
		if err != nil {
			return results, revertAll(ctx, begun, results, fmt.Errorf("%s: %w", o.Service, err))
		}
	}
	for _, d := range begun {
		if err := d.retire(ctx); err != nil {
			return results, err
		}
	}
	return results, nil
}

// revertAll switches back, newest first, every service this run switched,
// after cause stopped the project deploy, and says what serves now.
func revertAll(ctx context.Context, begun []*deployment, results []ServiceResult, cause error) error {
	var notes []string
	for i := len(begun) - 1; i >= 0; i-- {
		d := begun[i]
		if err := d.revert(ctx); err != nil {
			notes = append(notes, err.Error())
			continue
		}
		results[i].Reverted = true
		notes = append(notes, d.o.Service+" switched back to its previous release")
	}
	if len(notes) == 0 {
		return fmt.Errorf("%w; no service of the project had switched: it serves as before", cause)
	}
	return fmt.Errorf("%w; %s", cause, strings.Join(notes, "; "))
}

// revert undoes a release that switched, for a project deploy whose later
// service failed: the proxy switches back to the release that served
// before (still running: retire has not run) and the new one is removed.
// A service released for the first time has nothing to go back to: it
// stays, and the error says so.
func (d *deployment) revert(ctx context.Context) error {
	o := &d.o
	old := activeTargets(d.current)
	if len(old) == 0 {
		return fmt.Errorf("%s keeps serving: it is the first release of %s, there is nothing to switch back to", d.name, o.Service)
	}
	ctx = context.WithoutCancel(ctx)
	t := time.Now()
	if _, err := d.admin.Switch(ctx, o.Service, proxy.SwitchRequest{
		Targets: old, Timeout: proxy.Duration(o.Timeout), Drain: proxy.Duration(o.Drain)}); err != nil {
		return fmt.Errorf("switching %s back to %s failed (%v): %s serves", o.Service, strings.Join(old, ", "), err, d.name)
	}
	_ = waitDrained(ctx, d.admin, o.Service, o.Drain+5*time.Second)
	d.switched = false
	d.removeUnlessSwitched(ctx)
	d.step("revert", t, "switched back to %s; removed %s", strings.Join(old, ", "), d.name)
	return nil
}

// portsKnown refuses, before anything starts, services with no port to
// switch: no ports: or expose: in the compose file, no EXPOSE in the image.
func portsKnown(ctx context.Context, c *client.Client, services []Options) error {
	var none []string
	for _, o := range services {
		if o.Port != 0 {
			continue
		}
		img, err := c.ImageInspect(ctx, o.Image)
		if err != nil {
			return fmt.Errorf("image %s of %s: %v (build it first)", o.Image, o.Service, err)
		}
		if engine.FactsOf(img.Config).Port == 0 {
			none = append(none, o.Service)
		}
	}
	if len(none) > 0 {
		slices.Sort(none)
		return fmt.Errorf("%s: no port to switch (no ports: or expose: in the compose file, no EXPOSE in the image); a worker is left to compose with the label dev.shipshape.deploy: \"false\", a web service needs its port", strings.Join(none, ", "))
	}
	return nil
}
