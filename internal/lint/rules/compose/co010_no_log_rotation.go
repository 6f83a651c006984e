package compose

import (
	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "CO010", Name: "no-log-rotation", ProductionOnly: true, Production: lint.Warning,
			Summary:     "A service logs with the json-file driver and no max-size.",
			Rationale:   "Docker's default json-file logs grow without bound until the disk is full and every container on the host fails.",
			Fix:         "Add `logging: {driver: json-file, options: {max-size: \"10m\", max-file: \"3\"}}`, or use the `local` driver.",
			Differences: "Drivers other than json-file (local, journald, syslog, fluentd, ...) rotate or ship logs elsewhere and are fine.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			if s.Logging != nil && s.Logging.Driver != "" && s.Logging.Driver != "json-file" {
				return
			}
			if s.Logging != nil && s.Logging.Options["max-size"] != "" {
				return
			}
			r.AddPos(at(p, name, "logging"), "%s logs to json-file without max-size; the log grows until the disk is full", name)
		},
	})
}
