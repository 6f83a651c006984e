package crossfile

import (
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "XF006", Name: "required-env-missing", Severity: lint.Error,
			Summary: "The application reads an environment variable without a default, and neither compose nor the Dockerfile provides it.",
			Rationale: "`os.environ[\"DATABASE_URL\"]` raises at import time: the container exits on start and restarts in a loop, " +
				"and the deploy only finds out when it times out.",
			Fix: "Provide it in the service's `environment:` (from an env file for secrets), or give the code a default.",
			Differences: "Judged for Python's os.environ[...] reads, which fail hard, unless the same file tests for the variable first " +
				"(`if \"X\" in os.environ`, `os.getenv(\"X\")`); env_file entries count as providing everything. A service without a build " +
				"section is read through the Dockerfile its image is built from (CI's, or the repository's).",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			m := r.Model()
			dir := contextDir(m, p, s)
			if dir == "" || len(s.EnvFiles) > 0 {
				return
			}
			provided := map[string]bool{}
			for k := range s.Environment {
				provided[k] = true
			}
			f, _ := dockerfileOf(m, p, s)
			for _, e := range missingEnv(m, dir, f, provided) {
				rel, _ := filepath.Rel(p.WorkingDir, e.File)
				r.AddPos(p.LocateFirst([]string{"services", name, "environment"}, []string{"services", name}),
					"%s requires %s (%s:%d reads os.environ[%q]) but the service does not set it", name, e.Value, rel, e.Line, e.Value)
			}
		},
	})
}
