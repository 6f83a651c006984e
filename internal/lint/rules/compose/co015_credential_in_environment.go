package compose

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/lint/credential"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "CO015", Name: "credential-in-environment", Severity: lint.Error,
			Summary: "A service's environment holds a credential written into the compose file.",
			Rationale: "The compose file is committed, copied and shared; a literal `POSTGRES_PASSWORD: toor` (seed 004) is a leaked " +
				"password, and `docker inspect` shows it to anyone on the host.",
			Fix: "Reference a variable from an env file that is not committed (`POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?}`), or use " +
				"compose `secrets:` and the image's `*_FILE` variables.",
			Differences: "In development and test files (`*override*`, `*.dev.*`, `*.test.*`, `*.ci.*`) only values in a known token format are reported: " +
				"their passwords guard throwaway databases. Values that interpolate a variable are fine; so are credentials inside connection URLs only when the password part is a variable.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			for _, item := range p.Items("services", name, "environment") {
				key, value := item.Key, item.Node.Value
				if key == "" {
					key, value, _ = strings.Cut(item.Node.Value, "=")
				}
				if value == "" || strings.Contains(value, "${") || strings.HasPrefix(value, "$") {
					continue
				}
				switch {
				case credential.LooksSecretValue(value):
					r.AddPos(item.Pos, "%s sets %s to a value in a known credential format", name, key)
				case isDevelopmentFile(p, item.Pos.File):
					// A development or test database's password guards
					// nothing; a real token (above) is still a leak.
				case credential.LooksSecretName(key):
					r.AddPos(item.Pos, "%s writes the credential %s into the compose file", name, key)
				case credential.URLHasPassword(value):
					r.AddPos(item.Pos, "%s writes a password inside the URL in %s", name, key)
				}
			}
		},
	})
}
