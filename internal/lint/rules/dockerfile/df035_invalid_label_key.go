package dockerfile

import (
	"regexp"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF035", Name: "invalid-label-key", Severity: lint.Info,
			Hadolint:  []string{"DL3048"},
			Summary:   "A label key breaks Docker's key format or uses a reserved namespace.",
			Rationale: "Keys should be lower-case reverse-DNS (`org.opencontainers.image.source`); `com.docker.*`, `io.docker.*` and `org.dockerproject.*` are reserved.",
			Fix:       "Rename the key, e.g. `org.opencontainers.image.version`.",
			Differences: "As in hadolint, a key must begin with a lower-case letter, as Docker's guideline says. A key with `$` is a " +
				"variable reference and is not judged (hadolint judges the text as written).",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "LABEL" {
				return
			}
			for _, p := range in.Pairs {
				key := strings.Trim(p.Key, `"'`)
				switch {
				case strings.Contains(key, "$"):
				case strings.HasPrefix(key, "com.docker.") || strings.HasPrefix(key, "io.docker.") || strings.HasPrefix(key, "org.dockerproject."):
					r.Add(in, "label %q uses a namespace reserved by Docker", key)
				case !labelKey.MatchString(key):
					r.Add(in, "label %q is not a lower-case key of letters, digits, dots and dashes that begins with a letter", key)
				}
			}
		},
	})
}

var labelKey = regexp.MustCompile(`^[a-z]([a-z0-9]|[.-][a-z0-9])*$`)
