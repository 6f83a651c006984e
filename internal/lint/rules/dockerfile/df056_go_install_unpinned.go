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
			Summary:   "go install of a remote module without a version, or with @latest.",
			Rationale: "@latest resolves at build time, so the tool changes under you; without a version go install fails outside a module.",
			Fix:       "Pin a version: `go install golang.org/x/tools/cmd/goimports@v0.28.0`.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !c.Is("go") || c.Sub() != "install" {
				return
			}
			for _, p := range c.Positional("-ldflags", "-tags", "-o", "-gcflags", "-modfile", "-pkgdir") {
				if strings.HasPrefix(p, ".") || !strings.Contains(p, ".") || !strings.Contains(p, "/") {
					continue // a local package
				}
				if _, ver, ok := strings.Cut(p, "@"); !ok || ver == "latest" {
					r.AddCommand(c, "go install %s is not pinned to a version", p)
					return
				}
			}
		},
	})
}
