package docker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shipshape/shipshape/internal/engine"
)

// checkMounts refuses the release before any of it runs (its release
// command included) when the image's user cannot write one of the
// release's writable volumes: the app would fail on its first write, as
// seed 000's did ("unable to open database file"). A mount whose owner
// cannot be read here (a remote Podman) is said in the step, not refused.
func (d *deployment) checkMounts(ctx context.Context) error {
	if len(d.o.Mounts) == 0 {
		return nil
	}
	t := time.Now()
	problems, err := engine.CheckMounts(ctx, d.c, d.imageID, "", d.o.Mounts)
	if len(problems) > 0 {
		msgs := make([]string, len(problems))
		for i, p := range problems {
			msgs[i] = p.Error()
		}
		return fmt.Errorf("release of %s refused before it started: %s; %s", d.o.imageName(), strings.Join(msgs, "; "), d.serving())
	}
	switch {
	case errors.Is(err, engine.ErrOwnerUnknown):
		d.step("mounts", t, "not checked: %v", err)
	case err != nil:
		return engineGone(err, "checking who owns the release's volumes", d.serving())
	default:
		d.step("mounts", t, "the image's user can write %s", writableTargets(d.o))
	}
	return nil
}

func writableTargets(o Options) string {
	var out []string
	for _, m := range o.Mounts {
		if !m.ReadOnly && m.Source != "" {
			out = append(out, m.Target)
		}
	}
	if len(out) == 0 {
		return "every mount (none is writable)"
	}
	return strings.Join(out, ", ")
}
