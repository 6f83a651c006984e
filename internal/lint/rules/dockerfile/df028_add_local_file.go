package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF028", Name: "add-local-file", Severity: lint.Warning,
			Hadolint:    []string{"DL3020"},
			Summary:     "ADD copies local files or folders; COPY says that plainly.",
			Rationale:   "ADD also unpacks archives and fetches URLs. Using it for plain files hides which of those happens and surprises the next editor.",
			Fix:         "Use `COPY` for local files; keep ADD for local tar archives you want unpacked.",
			Differences: "Reported as a warning (hadolint: error). Sources that are variables are not judged.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "ADD" {
				return
			}
			for _, src := range in.SourcePaths() {
				if isRemote(src) || isArchive(src) || strings.HasPrefix(src, "$") {
					continue
				}
				r.Add(in, "ADD %s copies a local file; use COPY", src)
				return
			}
		},
	})
}

func isRemote(src string) bool {
	return strings.Contains(src, "://") || strings.HasPrefix(src, "git@")
}

func isArchive(src string) bool {
	lower := strings.ToLower(src)
	for _, ext := range []string{".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".gz", ".bz2", ".xz"} {
		if strings.HasSuffix(lower, ext) {
			return true
		}
	}
	return false
}
