package compose

import (
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"gopkg.in/yaml.v3"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "CO020", Name: "podman-bind-mount-owner", Severity: lint.Warning,
			Summary: "A compose file run by Podman bind-mounts a host directory into a service that runs as a non-root user, without `userns_mode: keep-id`.",
			Rationale: "Rootless Podman maps the host user to root in the container and every other uid to a subordinate one: a service running as " +
				"uid 1000 sees the host user's directory as root's and cannot write it, while the same file works under Docker " +
				"(seed 000: StarPunk's SQLite \"unable to open database file\" until the container ran with `--userns=keep-id`).",
			Fix: "Add `userns_mode: keep-id` to the service, so the host user is the same uid inside (`keep-id:uid=1000,gid=1000` maps it to the " +
				"app's user), or mount with Podman's `:U` option, which hands the directory to the container's user; or run " +
				"`podman unshare chown UID:GID DIR` once.",
			Differences: "A file counts as Podman's when its name says so (podman-compose.yml, docker-compose.podman.yml), it has an `x-podman` " +
				"key, a service uses a Podman-only `userns_mode` (keep-id, auto, nomap) or a comment names Podman. The user is compose's `user:` " +
				"(a variable such as `${UID}` is not root), else the USER of the Dockerfile the service builds; a service running as root, or " +
				"one whose image's user is unknown, is not judged. Read-only mounts, single files and sockets are not judged.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			why := podmanRuns(p)
			if why == "" {
				return
			}
			user, ok := serviceUser(r.Model(), p, name, s)
			if !ok || isRootUser(user) {
				return
			}
			userns, _ := p.Raw("services", name, "userns_mode")
			keepID, mapped := keepIDUID(userns)
			if keepID && (mapped < 0 || !numericUIDDiffers(user, mapped)) {
				return
			}
			for _, item := range p.Items("services", name, "volumes") {
				target, options, ok := shortVolume(item.Node)
				if !ok || slices.Contains(options, "U") {
					continue
				}
				v, ok := mergedVolume(s, target)
				if !ok || v.Type != types.VolumeTypeBind || v.ReadOnly || looksLikeFile(v.Source) || isSocket(v.Source) || isHostSystemPath(v.Source) {
					continue
				}
				src := v.Source
				if rel, err := filepath.Rel(p.WorkingDir, src); err == nil && !strings.HasPrefix(rel, "..") {
					src = "./" + filepath.ToSlash(rel)
				}
				if keepID {
					r.AddPos(item.Pos, "%s runs as %s but `userns_mode: %s` maps the host user to uid %d, so it cannot write the host directory %s at %s: "+
						"map it to the service's uid (keep-id:uid=%s) or run as uid %d", name, user, userns, mapped, src, v.Target, uidOf(user), mapped)
					continue
				}
				r.AddPos(item.Pos, "%s runs as %s and writes the host directory %s at %s, but rootless Podman runs that user as a subordinate uid "+
					"that cannot write your directory (the file is Podman's: %s): add `userns_mode: keep-id` (keep-id:uid=%s for the app's user) "+
					"or mount it with `:U`", name, user, src, v.Target, why, uidOf(user))
			}
		},
	})
}

// podmanRuns says why the project's files are run by Podman, or "".
func podmanRuns(p *compose.Project) string {
	for _, f := range p.Files {
		if strings.Contains(strings.ToLower(filepath.Base(f.Path)), "podman") {
			return "its name, " + filepath.Base(f.Path)
		}
	}
	if p.Written("x-podman") {
		return "its x-podman key"
	}
	for _, n := range p.ServiceNames() {
		if p.Written("services", n, "x-podman") {
			return "the x-podman key of " + n
		}
		if mode, ok := p.Raw("services", n, "userns_mode"); ok {
			for _, only := range []string{"keep-id", "auto", "nomap"} {
				if mode == only || strings.HasPrefix(mode, only+":") {
					return "userns_mode: " + mode + " on " + n
				}
			}
		}
	}
	for _, c := range p.FileComments() {
		if strings.Contains(strings.ToLower(c), "podman") {
			return "a comment naming Podman"
		}
	}
	return ""
}

// serviceUser is whom a service runs as: compose's user: as written
// (before interpolation: `${UID}:${GID}` is the host user, not root),
// else the USER of the Dockerfile it builds; false when neither says.
func serviceUser(m *project.Model, p *compose.Project, name string, s types.ServiceConfig) (string, bool) {
	if raw, ok := p.Raw("services", name, "user"); ok && raw != "" {
		return raw, true
	}
	if s.User != "" {
		return s.User, true
	}
	f, ok := builtFrom(m, p, s)
	if !ok {
		return "", false
	}
	final := f.FinalStage()
	if final == nil {
		return "", false
	}
	for _, st := range final.Chain() {
		if u := st.Last("USER"); u != nil && len(u.Args) > 0 {
			user, _ := u.Expand(u.Args[0])
			return user, user != ""
		}
	}
	return "root", true // no USER: the image runs as root
}

func isRootUser(user string) bool {
	name, _, _ := strings.Cut(user, ":")
	return name == "" || name == "root" || name == "0"
}

// keepIDUID reads a userns_mode: whether it is keep-id, and the uid it
// maps the host user to (-1: the host user's own uid).
func keepIDUID(mode string) (keepID bool, uid int) {
	if mode != "keep-id" && !strings.HasPrefix(mode, "keep-id:") {
		return false, -1
	}
	_, opts, _ := strings.Cut(mode, ":")
	for _, o := range strings.Split(opts, ",") {
		if v, ok := strings.CutPrefix(o, "uid="); ok {
			if n, err := strconv.Atoi(v); err == nil {
				return true, n
			}
		}
	}
	return true, -1
}

// numericUIDDiffers: the user is a number other than uid (a name may be
// that uid: not judged).
func numericUIDDiffers(user string, uid int) bool {
	n, err := strconv.Atoi(uidOf(user))
	return err == nil && n != uid
}

func uidOf(user string) string {
	name, _, _ := strings.Cut(user, ":")
	return name
}

// shortVolume reads a volume item's target and, for the short syntax,
// its options (SOURCE:TARGET:OPTIONS, with ${VAR:?message} sources kept
// whole); false for an item without a target.
func shortVolume(n *yaml.Node) (target string, options []string, ok bool) {
	switch n.Kind {
	case yaml.ScalarNode:
		parts := splitOutsideVars(n.Value)
		if len(parts) < 2 {
			return "", nil, false
		}
		if len(parts) > 2 {
			options = strings.Split(parts[2], ",")
		}
		return parts[1], options, true
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "target" {
				return n.Content[i+1].Value, nil, true
			}
		}
	}
	return "", nil, false
}

// splitOutsideVars splits a short volume spec at the colons that are not
// inside ${...}.
func splitOutsideVars(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '$' && i+1 < len(s) && s[i+1] == '{':
			depth++
			i++
		case s[i] == '}' && depth > 0:
			depth--
		case s[i] == ':' && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// mergedVolume is the service's volume mounted at target, as compose-go
// resolved it (its type, absolute source, read-only flag).
func mergedVolume(s types.ServiceConfig, target string) (types.ServiceVolumeConfig, bool) {
	for _, v := range s.Volumes {
		if path.Clean(v.Target) == path.Clean(target) {
			return v, true
		}
	}
	return types.ServiceVolumeConfig{}, false
}
