package dockerfile

import (
	"slices"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF066", Name: "consecutive-run", Severity: lint.Info,
			Hadolint:  []string{"DL3059"},
			Summary:   "Two RUN instructions follow each other and could be one.",
			Rationale: "Each RUN is a layer; merging related steps makes the image smaller when a later step removes what an earlier one created.",
			Fix:       "Join them with `&&` in one RUN (or a heredoc).",
			Differences: "As in hadolint, RUNs with different flags are left alone, and so is a pair where either RUN already chains " +
				"commands (`RUN a && b`), which says the split is deliberate. Unlike hadolint, a comment between the two RUNs marks a " +
				"deliberate split too and is not flagged (its most reported false alarm).",
		},
		File: func(r *lint.Report, f *df.File) {
			for _, st := range f.Stages {
				for i := 1; i < len(st.Instructions); i++ {
					prev, cur := st.Instructions[i-1], st.Instructions[i]
					if prev.Keyword != "RUN" || cur.Keyword != "RUN" || len(cur.Comments) > 0 {
						continue
					}
					if !slices.Equal(prev.Flags, cur.Flags) || len(prev.Heredocs) > 0 || len(cur.Heredocs) > 0 {
						continue
					}
					if commandCount(prev) > 1 || commandCount(cur) > 1 {
						continue // already chained on purpose, as hadolint sees it
					}
					r.Add(cur, "this RUN directly follows the RUN on line %d; consider joining them", prev.Line)
				}
			}
		},
	})
}

func commandCount(in *df.Instruction) int {
	if in.Script == nil {
		return 0
	}
	return len(in.Script.Commands)
}
