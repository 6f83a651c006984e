package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF061", Name: "cd-instead-of-workdir", Severity: lint.Warning,
			Hadolint:  []string{"DL3003"},
			Summary:   "A RUN uses cd to change directory.",
			Rationale: "The directory change is lost at the end of the RUN; WORKDIR states it once for every later instruction and reads better.",
			Fix:       "Use `WORKDIR /path` before the RUN, or `make -C /path` style flags.",
			Differences: "hadolint's DL3003 flags every cd. Not reported: cd into a directory the same RUN fetched or made before it " +
				"(git clone, go get, tar, unzip, mkdir, a new user's home; WORKDIR before the RUN cannot name it yet) and cd into a temporary directory (/tmp, " +
				"a mktemp result), which no later instruction should start in.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if c.Is("cd") && c.Instruction.Keyword == "RUN" && !scratchDir(c) {
				r.AddCommand(c, "use WORKDIR to switch directories instead of cd")
			}
		},
	})
}

// scratchDir reports whether a cd goes into a directory that only this RUN
// works in: one an earlier command of the RUN fetched or made, or a
// temporary one.
func scratchDir(cd *df.Command) bool {
	target := ""
	if len(cd.Args) > 0 {
		target = cd.Args[0]
	}
	if target == "/tmp" || strings.HasPrefix(target, "/tmp/") || strings.HasPrefix(target, "$(") {
		return true
	}
	for _, o := range sameRun(cd) {
		if o == cd {
			return false
		}
		switch {
		case o.Is("git") && o.Sub() == "clone", o.Is("go") && o.Sub() == "get",
			o.Is("tar", "unzip", "mkdir", "mktemp", "bsdtar", "7z", "useradd", "adduser"):
			return true
		}
	}
	return false
}
