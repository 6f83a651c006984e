package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF012", Name: "last-user-root", Severity: lint.Warning, Production: lint.Error,
			Hadolint:  []string{"DL3002"},
			Summary:   "The final stage switches back to the root user.",
			Rationale: "A process running as root in the container is root on the host after a container escape (seed 004: \"instant fail\").",
			Fix:       "End the final stage with a non-root `USER 10001:10001`; do root-only work before it.",
			Differences: "Judged on the final stage only (root in a build stage is fine); `USER 0`, `0:0` and `root:root` count as root. " +
				"A final stage without USER is DF013.",
		},
		File: func(r *lint.Report, f *df.File) {
			final := f.FinalStage()
			if final == nil {
				return
			}
			if u := final.Last("USER"); u != nil && len(u.Args) > 0 && isRootUser(u) {
				r.Add(u, "the final stage runs as %q", u.Args[0])
			}
		},
	})
}

// finalNonRootUser returns the USER the final image runs as when it is set
// and not root, or nil.
func finalNonRootUser(f *df.File) *df.Instruction {
	final := f.FinalStage()
	if final == nil {
		return nil
	}
	if u := final.Last("USER"); u != nil && !isRootUser(u) {
		return u
	}
	return nil
}

func userName(u *df.Instruction) string {
	if len(u.Args) == 0 {
		return ""
	}
	v, _ := u.Expand(u.Args[0])
	return v
}

func isRootUser(u *df.Instruction) bool {
	name := userName(u)
	if i := indexByte(name, ':'); i >= 0 {
		name = name[:i]
	}
	return name == "root" || name == "0"
}

func indexByte(s string, b byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == b {
			return i
		}
	}
	return -1
}
