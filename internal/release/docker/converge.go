package docker

import (
	"context"
	"net/url"
	"sort"
	"strings"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/proxy"
)

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
	// A release command's container outlives only a killed deploy.
	if left, err := c.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("label", labelReleaseCommand+"="+o.Service)}); err == nil {
		for _, l := range left.Items {
			_, _ = c.ContainerRemove(ctx, l.ID, client.ContainerRemoveOptions{Force: true})
		}
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
