package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/lint/credential"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF072", Name: "secret-in-env-or-arg", Severity: lint.Error,
			Hadolint:  []string{"DL3064"},
			Summary:   "ENV or ARG holds what looks like a credential.",
			Rationale: "ENV values are stored in the image config and ARG values in its build history: anyone who can pull the image can read them (`docker history`, `docker inspect`).",
			Fix:       "Pass secrets at run time (env file, orchestrator secrets) or to the build with `RUN --mount=type=secret,id=...`.",
			Differences: "Judged by name (PASSWORD, TOKEN, SECRET, API_KEY, ... but not *_FILE, *_PATH, *_URL) with a non-empty value, " +
				"or by a value in a known token format (AWS, GitHub, GitLab, Slack, Stripe, OpenAI, npm, private keys) whatever the name. " +
				"An ENV that copies a secret ARG (`ENV TOKEN=$TOKEN`) is flagged, since the value then ships.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "ENV" && in.Keyword != "ARG" {
				return
			}
			for _, p := range in.Pairs {
				v := strings.TrimSpace(p.Value)
				switch {
				case credential.LooksSecretValue(v):
					r.Add(in, "%s %s holds a value in a known credential format", in.Keyword, p.Key)
				case credential.LooksSecretName(p.Key) && p.HasValue && v != "" && (in.Keyword == "ENV" || !strings.HasPrefix(v, "$")):
					r.Add(in, "%s %s looks like a credential and is stored in the image", in.Keyword, p.Key)
				}
			}
		},
	})
}
