package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF020", Name: "shell-form-entrypoint", Severity: lint.Warning,
			Hadolint: []string{"DL3025"},
			Summary:  "CMD or ENTRYPOINT in shell form: the app runs under /bin/sh and never receives SIGTERM.",
			Rationale: "In shell form the shell is PID 1 and does not forward signals: `docker stop` waits its whole timeout and then " +
				"SIGKILLs the app, dropping in-flight requests on every deploy.",
			Fix: "Use the exec (JSON) form: `CMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]`.",
			Differences: "A shell-form command that starts with `exec` hands PID 1 to the app and is accepted. A shell-form " +
				"HEALTHCHECK CMD is not judged (hadolint's DL3025 judges it): the probe is short-lived and gets no stop signal.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if (in.Keyword != "CMD" && in.Keyword != "ENTRYPOINT") || in.Exec || len(in.Args) == 0 {
				return
			}
			if strings.HasPrefix(strings.TrimSpace(in.Args[0]), "exec ") {
				return
			}
			r.Add(in, "%s in shell form runs under /bin/sh -c, which does not pass SIGTERM to the app; use the JSON form", in.Keyword)
		},
	})
}
