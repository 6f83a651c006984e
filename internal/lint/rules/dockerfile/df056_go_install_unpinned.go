package dockerfile

import (
	"path"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF056", Name: "go-install-unpinned", Severity: lint.Warning,
			Hadolint:  []string{"DL3062"},
			Summary:   "go install, go get or go run of a remote module without a version, or with @latest.",
			Rationale: "@latest resolves at build time, so the tool changes under you; without a version go install fails outside a module.",
			Fix:       "Pin a version: `go install golang.org/x/tools/cmd/goimports@v0.28.0`.",
			Differences: "As in hadolint, `go get` and `go run` are judged like `go install`; every module `go get` names needs a " +
				"version, and only the package `go run` runs is judged, not the program's arguments. Unlike hadolint, `go run` and " +
				"`go install` without a version after the stage copied a go.mod are not judged: in a module they build the version " +
				"go.mod requires (checked against go.sum), or fail; only @latest is unpinned there.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !c.Is("go") {
				return
			}
			verb := c.Sub()
			packages := c.Positional("-ldflags", "-tags", "-o", "-gcflags", "-modfile", "-pkgdir", "-C", "-exec", "-overlay", "-p")
			switch verb {
			case "install", "get":
			case "run":
				packages = packages[:min(1, len(packages))] // the rest are the program's arguments
			default:
				return
			}
			for _, p := range packages {
				if strings.HasPrefix(p, ".") || strings.HasPrefix(p, "/") || strings.HasPrefix(p, "$") || strings.HasSuffix(p, ".go") {
					continue // a local package or file
				}
				if verb != "get" && !(strings.Contains(p, ".") && strings.Contains(p, "/")) {
					continue // a package of the module being built
				}
				_, ver, ok := strings.Cut(p, "@")
				if !ok && verb != "get" && copiesGoMod(c) {
					continue // the module's go.mod pins it
				}
				if !ok || ver == "latest" {
					r.AddCommand(c, "go %s %s is not pinned to a version", verb, p)
					return
				}
			}
		},
	})
}

// copiesGoMod reports whether the command's stage (or a stage it is built
// on) copied a go.mod before the command's RUN: go then works in that
// module.
func copiesGoMod(c *df.Command) bool {
	in := c.Instruction
	if in == nil || in.Stage == nil {
		return false
	}
	for _, st := range in.Stage.Chain() {
		for _, i := range st.Instructions {
			if i.Line >= in.Line && st == in.Stage {
				break
			}
			if (i.Keyword != "COPY" && i.Keyword != "ADD") || len(i.Args) < 2 {
				continue
			}
			for _, src := range i.Args[:len(i.Args)-1] {
				if path.Base(src) == "go.mod" {
					return true
				}
			}
		}
	}
	return false
}
