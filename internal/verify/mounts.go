package verify

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/engine"
)

// ParseVolume reads a --volume as `docker run -v` takes it:
// SOURCE:TARGET[:ro|rw], where a SOURCE that is a path (/..., ./..., ../...,
// ~/...) is a host directory (relative to dir) and any other is a named
// volume.
func ParseVolume(spec, dir string) (mount.Mount, error) {
	parts := strings.Split(spec, ":")
	if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || !strings.HasPrefix(parts[1], "/") {
		return mount.Mount{}, fmt.Errorf("%q: use SOURCE:TARGET[:ro], e.g. ./data:/data or blog_data:/data", spec)
	}
	m := mount.Mount{Type: mount.TypeVolume, Source: parts[0], Target: parts[1]}
	if len(parts) == 3 {
		switch parts[2] {
		case "ro":
			m.ReadOnly = true
		case "rw":
		default:
			return mount.Mount{}, fmt.Errorf("%q: the mode is ro or rw, not %q", spec, parts[2])
		}
	}
	src := m.Source
	if strings.HasPrefix(src, "/") || strings.HasPrefix(src, ".") || strings.HasPrefix(src, "~") {
		m.Type = mount.TypeBind
		if !filepath.IsAbs(src) {
			abs, err := filepath.Abs(filepath.Join(dir, src))
			if err != nil {
				return mount.Mount{}, err
			}
			m.Source = abs
		}
	}
	return m, nil
}

// inspectMounts checks, before the run, that the container's user can
// write each writable mount of opts.Mounts, and adds the mount-owners check.
func inspectMounts(ctx context.Context, c *client.Client, ref string, opts Options, r *Report) error {
	if len(opts.Mounts) == 0 {
		return nil
	}
	problems, err := engine.CheckMounts(ctx, c, ref, "", opts.Mounts)
	if err != nil && !errors.Is(err, engine.ErrOwnerUnknown) {
		return fmt.Errorf("checking the owners of the mounts: %w", err)
	}
	switch {
	case len(problems) > 0:
		var msgs []string
		for _, p := range problems {
			msgs = append(msgs, p.Error())
		}
		r.add("mount-owners", false, "%s", strings.Join(msgs, "; "))
	case err != nil:
		r.warn("mount-owners", false, "not checked: %v", err)
	default:
		r.add("mount-owners", true, "the container's user can write %s", mountTargets(opts.Mounts))
	}
	return nil
}

func mountTargets(mounts []mount.Mount) string {
	var out []string
	for _, m := range mounts {
		if !m.ReadOnly {
			out = append(out, m.Target)
		}
	}
	if len(out) == 0 {
		return "no mount (all read-only)"
	}
	return strings.Join(out, ", ")
}
