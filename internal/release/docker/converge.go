package docker

import (
	"context"
	"net/url"
	"sort"
	"strconv"
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
	for _, t := range append(activeTargets(svc), svc.Draining...) {
		if u, err := url.Parse(t); err == nil {
			inProxy[u.Hostname()] = true
		}
	}
	served := func(r releaseInfo) bool {
		for _, ip := range r.ips() {
			if inProxy[ip] {
				return true
			}
		}
		return false
	}
	active := -1
	for i, r := range list {
		if r.running && served(r) && active < 0 {
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
		case (r.running || r.created) && i < active && !served(r):
			for _, rep := range r.replicas {
				if _, err := c.ContainerRemove(ctx, rep.id, client.ContainerRemoveOptions{Force: true}); err != nil {
					return nil, "", engineGone(err, "removing "+rep.name, "")
				}
			}
			did = append(did, "removed "+r.name+" (left by an interrupted deploy, never served)")
		case !r.running || served(r):
			kept = append(kept, r)
		default:
			for j, rep := range r.replicas {
				if !rep.running {
					continue
				}
				if _, err := c.ContainerStop(ctx, rep.id, client.ContainerStopOptions{Timeout: &o.StopTimeout}); err != nil {
					return nil, "", engineGone(err, "stopping "+rep.name, "")
				}
				r.replicas[j].running = false
			}
			r.running = false
			kept = append(kept, r)
			did = append(did, "stopped "+r.name+" (the proxy no longer sends it traffic)")
		}
	}
	return kept, strings.Join(did, "; "), nil
}

// releaseInfo is one release of a service: its containers (replicas),
// the first one's name and address standing for it.
type releaseInfo struct {
	id, name, release, image, imageID string // id and name: its first replica's
	ip                                string // its first running replica's, on any network
	running                           bool   // one of its replicas runs
	// created: made but never started (a deploy lost its engine between
	// create and start): it never served.
	created  bool
	replicas []replicaInfo // by number
}

// replicaInfo is one container of a release.
type replicaInfo struct {
	id, name, ip string // ip: on any network, while it runs
	n            int
	running      bool
	created      bool
}

// ips are the addresses of the release's running replicas.
func (r releaseInfo) ips() []string {
	var out []string
	for _, c := range r.replicas {
		if c.ip != "" {
			out = append(out, c.ip)
		}
	}
	return out
}

// releases lists a service's releases, newest first, each with its
// replicas.
func releases(ctx context.Context, c *client.Client, service string) ([]releaseInfo, error) {
	list, err := c.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("label", LabelApp+"="+service)})
	if err != nil {
		return nil, err
	}
	byRelease := map[string]*releaseInfo{}
	for _, s := range list.Items {
		name := s.ID[:12]
		if len(s.Names) > 0 {
			name = strings.TrimPrefix(s.Names[0], "/")
		}
		rel := s.Labels[LabelRelease]
		r := byRelease[rel]
		if r == nil {
			r = &releaseInfo{release: rel, image: s.Labels[LabelImage], imageID: s.Labels[LabelImageID]}
			byRelease[rel] = r
		}
		n, _ := strconv.Atoi(s.Labels[LabelReplica])
		rep := replicaInfo{id: s.ID, name: name, n: max(n, 1), running: s.State == container.StateRunning, created: s.State == container.StateCreated}
		if s.NetworkSettings != nil && rep.running {
			for _, ep := range s.NetworkSettings.Networks {
				if ep != nil && ep.IPAddress.IsValid() {
					rep.ip = ep.IPAddress.String()
				}
			}
		}
		r.replicas = append(r.replicas, rep)
	}
	out := make([]releaseInfo, 0, len(byRelease))
	for _, r := range byRelease {
		sort.Slice(r.replicas, func(i, j int) bool { return r.replicas[i].n < r.replicas[j].n })
		r.id, r.name, r.created = r.replicas[0].id, r.replicas[0].name, true
		for _, rep := range r.replicas {
			r.running = r.running || rep.running
			r.created = r.created && rep.created
			if r.ip == "" {
				r.ip = rep.ip
			}
		}
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].release > out[j].release })
	return out, nil
}
