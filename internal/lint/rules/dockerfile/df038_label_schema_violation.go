package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF038", Name: "label-schema-violation", Severity: lint.Warning,
			Hadolint:  []string{"DL3052", "DL3053", "DL3054", "DL3055", "DL3056", "DL3058"},
			Summary:   "A label's value does not fit the type `label-schema` gives it (url, rfc3339, spdx, hash, semver, email).",
			Rationale: "Tools parse these labels; a malformed source URL or date breaks provenance and inventory.",
			Fix:       "Fix the value, e.g. `org.opencontainers.image.created=2024-11-22T10:00:00Z`.",
			Differences: "One rule for hadolint's six type checks; values that come from unset build args are not judged. An spdx " +
				"value must be a well-formed SPDX expression; unlike hadolint, its identifiers are not checked against the SPDX licence list.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			schema := r.Config().LabelSchema
			if in.Keyword != "LABEL" || len(schema) == 0 {
				return
			}
			for i, p := range in.Pairs {
				typ, ok := schema[p.Key]
				if !ok || p.Value == "" {
					continue
				}
				if _, known := in.Expand(in.Args[2*i+1]); !known {
					continue
				}
				if msg := labelValueError(typ, p.Value); msg != "" {
					r.Add(in, "label %q value %q %s", p.Key, p.Value, msg)
				}
			}
		},
	})
}
