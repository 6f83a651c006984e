package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF029", Name: "add-url-without-checksum", Severity: lint.Warning, Production: lint.Error,
			Summary: "ADD downloads a URL without `--checksum`.",
			Rationale: "Whatever the server returns at build time goes into the image unverified: a compromised or changed download " +
				"ships silently. Git sources are pinned by commit instead.",
			Fix:         "Add `--checksum=sha256:<digest>` (BuildKit 1.6+), or pin git sources to a commit (`#<sha>` or `?ref=<sha>` with `--keep-git-dir`).",
			Differences: "No hadolint rule (DL3020 only says to prefer COPY).",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "ADD" {
				return
			}
			if _, ok := in.Flag("checksum"); ok {
				return
			}
			for _, src := range in.SourcePaths() {
				if !strings.HasPrefix(src, "http://") && !strings.HasPrefix(src, "https://") {
					continue
				}
				if strings.HasSuffix(strings.SplitN(src, "#", 2)[0], ".git") && strings.Contains(src, "#") {
					continue // a git source pinned to a ref
				}
				r.Add(in, "ADD %s is not verified; add --checksum=sha256:...", src)
			}
		},
	})
}
