package crossfile

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/project"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	registerDockerfile(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "XF013", Name: "app-port-not-exposed", Severity: lint.Warning,
			Summary: "The Dockerfile EXPOSEs a port the application's code does not listen on.",
			Rationale: "EXPOSE is what compose, Kubernetes manifests, proxies and health checks are written against. When the code binds 3000 " +
				"and the image says 8080, everything built on the image points at a port nothing listens on.",
			Fix: "EXPOSE the port the code binds (or pass the port to the server in CMD, or set `ENV PORT` if the code reads it).",
			Differences: "The code is read lightly: literal ports in listen/run/bind calls (Go, Python, Node, Rust) and PORT defaults. " +
				"Judged only when the final stage EXPOSEs something, its CMD/ENTRYPOINT (and the scripts they run) name no port, no `ENV PORT` is set, " +
				"and none of the ports the code binds is exposed. A Dockerfile that builds one Go package (`go build ./cmd/api`) is judged " +
				"by the ports of the packages that one imports, not another program's of the same module; a server that only redirects " +
				"to HTTPS or is named for another job (ListenAndServeDebug) is not the app's, as for init. A Dockerfile in a package of a " +
				"monorepo built from the root (packages/api/Dockerfile) is judged by that package's code, not a sibling package's.",
		},
		File: func(r *lint.Report, f *df.File) {
			final := f.FinalStage()
			if final == nil || !f.ContextKnown() {
				return
			}
			exposed := exposedPorts(f)
			if len(exposed) == 0 {
				return
			}
			if _, ok := final.ServerPort(); ok || final.EnvKeys()["PORT"] {
				return
			}
			m := r.Model()
			if launched := commandPorts(m.Launch(f.ContextDir, imageCommand(final))); len(launched) > 0 {
				return // the entrypoint script tells the server where to listen
			}
			listens := ownPackage(m, f, builtEvidence(f, project.AppListens(m.App(f.ContextDir).Listens)))
			if len(listens) == 0 {
				return
			}
			for _, l := range listens {
				if n, err := strconv.Atoi(l.Value); err == nil && exposed[n] {
					return
				}
			}
			expose := final.FirstExpose()
			l := listens[0]
			rel, _ := filepath.Rel(f.ContextDir, l.File)
			r.Add(expose, "the image EXPOSEs %s, but the app listens on %s (%s:%d)", df.PortList(exposed), l.Value, rel, l.Line)
		},
	})
}

// ownPackage keeps, for a Dockerfile in a package directory below its
// build context (hoppscotch's packages/hoppscotch-backend/Dockerfile,
// built from the repository's root), the evidence in that package: a
// sibling package's server (hoppscotch-agent's Tauri server on 9119) is
// another program's. A Dockerfile in a directory of no package of its
// own (docker/Dockerfile, built from the root) keeps all.
func ownPackage(m *project.Model, f *df.File, ev []project.Evidence) []project.Evidence {
	dir := filepath.Dir(f.Path)
	if filepath.Clean(dir) == filepath.Clean(f.ContextDir) || !slices.ContainsFunc(project.Manifests, func(name string) bool {
		_, err := m.File(filepath.Join(dir, name))
		return err == nil
	}) {
		return ev
	}
	var out []project.Evidence
	for _, e := range ev {
		if rel, err := filepath.Rel(dir, e.File); err == nil && !strings.HasPrefix(rel, "..") {
			out = append(out, e)
		}
	}
	return out
}

// builtEvidence keeps the evidence (listens, programs run) in the Go
// packages the Dockerfile builds when it builds exactly one package of its
// context's module (`go build -o /out/app ./cmd/wtfd`): another main
// package's port is another program's.
func builtEvidence(f *df.File, listens []project.Evidence) []project.Evidence {
	var pkgs []string
	for _, st := range f.Stages {
		for _, in := range st.Instructions {
			if in.Keyword != "RUN" || in.Script == nil {
				continue
			}
			for _, c := range in.Script.Commands {
				if c.Is("go") && c.Sub() == "build" {
					for _, p := range c.Positional("-ldflags", "-tags", "-o", "-gcflags", "-modfile", "-pkgdir", "-C", "-exec", "-overlay", "-p") {
						if strings.HasPrefix(p, ".") && !strings.HasSuffix(p, "...") {
							pkgs = append(pkgs, p)
						}
					}
				}
			}
		}
	}
	if len(pkgs) != 1 {
		return listens
	}
	scope := project.GoScope(f.ContextDir, pkgs[0])
	if scope == nil {
		return listens
	}
	var out []project.Evidence
	for _, l := range listens {
		rel, err := filepath.Rel(f.ContextDir, l.File)
		if err == nil && scope[filepath.ToSlash(filepath.Dir(rel))] {
			out = append(out, l)
		}
	}
	return out
}
