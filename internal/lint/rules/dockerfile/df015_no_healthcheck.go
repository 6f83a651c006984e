package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF015", Name: "no-healthcheck", Severity: lint.Info, Production: lint.Error,
			Hadolint:  []string{"DL3057"},
			Summary:   "The final stage has no HEALTHCHECK (or disables it with HEALTHCHECK NONE).",
			Rationale: "Without a health check Docker, compose `service_healthy` and a deploy cannot tell a hung app from a working one (seed 004).",
			Fix: "Add a HEALTHCHECK that uses what the image has, e.g. `HEALTHCHECK CMD [\"python\", \"-c\", \"import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz')\"]`. " +
				"Each finding names the check for its image: the runtime's own (node -e fetch, python -c urllib, php -r), busybox wget on Alpine, the program's own subcommand on distroless or scratch.",
			Differences: "On by default (hadolint's DL3057 is off); an error under the production profile. A HEALTHCHECK inherited from an earlier stage counts.",
		},
		File: func(r *lint.Report, f *df.File) {
			final := f.FinalStage()
			if final == nil {
				return
			}
			hc := final.Last("HEALTHCHECK")
			switch {
			case hc == nil:
				r.WithFix(healthFix(final)).Add(final.From, "the final stage has no HEALTHCHECK")
			case len(hc.Args) > 0 && strings.EqualFold(hc.Args[0], "NONE"):
				r.WithFix(healthFix(final)).Add(hc, "HEALTHCHECK NONE disables the health check the image would have")
			}
		},
	})
}
