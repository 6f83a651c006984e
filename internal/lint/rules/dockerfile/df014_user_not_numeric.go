package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF014", Name: "user-not-numeric", Severity: lint.Info, Production: lint.Warning,
			Hadolint:  []string{"DL3066"},
			Summary:   "The final USER is a name rather than a numeric UID.",
			Rationale: "Kubernetes `runAsNonRoot` can only verify a numeric UID; a name also depends on /etc/passwd in the image and breaks on scratch or distroless.",
			Fix:       "Use the numeric UID (and GID): `USER 10001:10001`.",
			Differences: "Only the final stage's last USER is judged (hadolint judges every USER): names in build stages do not matter at run time. " +
				"`root` is DF012's business and a variable is not judged.",
		},
		File: func(r *lint.Report, f *df.File) {
			u := finalNonRootUser(f)
			if u == nil {
				return
			}
			name := userName(u)
			user, _, _ := strings.Cut(name, ":")
			if user != "" && !strings.Contains(user, "$") && strings.Trim(user, "0123456789") != "" {
				r.Add(u, "USER %q is a name; use the numeric UID so that runAsNonRoot can verify it", name)
			}
		},
	})
}
