package docker

import (
	"context"
	"time"

	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/release"
)

// Releases lists service's releases, newest first.
func Releases(ctx context.Context, c *client.Client, service string) ([]release.Record, error) {
	list, err := releases(ctx, c, service)
	if err != nil {
		return nil, err
	}
	out := make([]release.Record, len(list))
	for i, r := range list {
		out[i] = release.Record{Release: r.release, Container: r.name, Image: r.image, Running: r.running, State: release.Stopped}
		if len(r.release) >= 15 {
			if t, err := time.Parse("20060102-150405", r.release[:15]); err == nil {
				out[i].Created = t
			}
		}
		if r.running {
			out[i].State = release.Running
		}
	}
	return out, nil
}
