package docker

import (
	"context"
	"fmt"

	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/release"
)

// Rollback deploys the image of an earlier release (the one before the
// running one, or the named one) the same way as Deploy: it becomes a new
// release, healthy before the switch, so a rollback is as safe as a deploy.
func Rollback(ctx context.Context, c *client.Client, o Options, release string, progress func(release.Step)) (*Result, error) {
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
