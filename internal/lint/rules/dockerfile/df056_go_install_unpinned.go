package dockerfile

import (
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
				"version, and only the package `go run` runs is judged, not the program's arguments.",
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
				if _, ver, ok := strings.Cut(p, "@"); !ok || ver == "latest" {
					r.AddCommand(c, "go %s %s is not pinned to a version", verb, p)
					return
				}
			}
		},
	})
}
