package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF024", Name: "privileged-port-non-root", Severity: lint.Warning,
			Summary: "The image exposes a port below 1024 but runs as a non-root user.",
			Rationale: "Binding ports below 1024 needs root or CAP_NET_BIND_SERVICE; the app fails to start with \"permission denied\" " +
				"as soon as the user is made non-root.",
			Fix: "Listen on a high port (8080, 8000) and map it at the proxy or with `-p 80:8080`.",
		},
		File: func(r *lint.Report, f *df.File) {
			u := finalNonRootUser(f)
			if u == nil {
				return
			}
			for _, in := range f.FinalStage().All("EXPOSE") {
				for _, p := range in.ExposedPorts() {
					if p.Err == "" && p.Low < 1024 {
						r.Add(in, "port %d needs root to bind, but the container runs as %q", p.Low, userName(u))
					}
				}
			}
		},
	})
}
