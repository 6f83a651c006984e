package crossfile

import (
	"path"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "XF004", Name: "volume-not-writable", Severity: lint.Warning, Production: lint.Error,
			Summary: "A service running as a non-root user mounts a volume at a path its image never creates for that user.",
			Rationale: "A new named volume copies the image directory's owner; when the image has no such directory the volume is owned by " +
				"root and the app gets \"permission denied\" on its first write (seed 000's UID trouble, seed 004 after dropping root).",
			Fix: "Create the directory in the image, owned by the app's user: `RUN mkdir -p /data && chown 10001:10001 /data` before `USER 10001`.",
			Differences: "Bind mounts keep the host's owner and are CO005's business. The user is compose's `user:`, else the image's USER " +
				"(from a stage it builds on too); an image-only service is read through the Dockerfile CI or the repository builds it from.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			f, ok := dockerfileOf(r.Model(), p, s)
			if !ok {
				return
			}
			final := f.FinalStage()
			if final == nil {
				return
			}
			user := imageUser(final)
			if s.User != "" {
				user = s.User // compose's user: replaces the image's USER
			}
			user, _, _ = strings.Cut(user, ":")
			if user == "" || user == "root" || user == "0" {
				return
			}
			for i, v := range s.Volumes {
				if v.Type != types.VolumeTypeVolume || v.Target == "" || v.ReadOnly {
					continue
				}
				if !preparedFor(final, path.Clean(v.Target), user) {
					r.AddPos(volumePos(p, name, i, v.Target),
						"%s runs as %s but its image never creates %s for it, so the new volume is owned by root", name, user, v.Target)
				}
			}
		},
	})
}

// imageUser is the USER the image runs as, from the final stage or the
// nearest stage it builds on that sets one; "" when none does.
func imageUser(final *dockerfile.Stage) string {
	for _, st := range final.Chain() {
		if u := st.Last("USER"); u != nil && len(u.Args) > 0 {
			user, _ := u.Expand(u.Args[0])
			return user
		}
	}
	return ""
}

// preparedFor reports whether the image creates dir for the user: a RUN that
// chowns it (or a parent), or a COPY --chown into it.
func preparedFor(final *dockerfile.Stage, dir, user string) bool {
	for _, st := range final.Chain() {
		for _, in := range st.Instructions {
			switch in.Keyword {
			case "RUN":
				if in.Script == nil {
					continue
				}
				for _, c := range in.Script.Commands {
					if c.Is("chown", "install") || c.Is("mkdir") && c.HasArg("-m") {
						for _, a := range c.Args {
							a, _ = in.Expand(a) // chown -R app:app $APP_HOME
							if a = path.Clean(a); a == dir || strings.HasPrefix(dir, strings.TrimSuffix(a, "/")+"/") {
								return true
							}
						}
					}
				}
			case "COPY", "ADD":
				if _, ok := in.Flag("chown"); ok {
					dest, _ := in.Expand(in.Destination())
					if path.Clean(dest) == dir || strings.HasPrefix(dir, strings.TrimSuffix(dest, "/")+"/") {
						return true
					}
				}
			}
		}
	}
	return false
}

// volumePos is where a service's volume is written: the item naming its
// target (the merged model may order volumes unlike the file), else the
// i-th item.
func volumePos(p *compose.Project, name string, i int, target string) compose.Pos {
	for _, item := range p.Items("services", name, "volumes") {
		text := item.Node.Value
		for j := 0; j+1 < len(item.Node.Content); j += 2 {
			if item.Node.Content[j].Value == "target" {
				text = ":" + item.Node.Content[j+1].Value
			}
		}
		if _, dest, ok := strings.Cut(text, ":"); ok && path.Clean(strings.Split(dest, ":")[0]) == path.Clean(target) {
			return item.Pos
		}
	}
	return p.LocateFirst([]string{"services", name, "volumes", strconv.Itoa(i)}, []string{"services", name})
}
