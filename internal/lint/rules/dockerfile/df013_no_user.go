package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF013", Name: "no-user", Severity: lint.Warning, Production: lint.Error,
			Summary:   "The final stage never sets a USER, so the container runs as root.",
			Rationale: "Images run as root unless told otherwise; a container escape then gives root on the host. This is the most common finding in seed 004.",
			Fix: "Create a user and switch to it at the end: `RUN useradd --uid 10001 --no-create-home app` then `USER 10001:10001`. " +
				"Each finding names the command for its image: `adduser -S -D` on Alpine, `USER 1000:1000` (the official image's node user) on the node image, `USER 65532` on distroless, a bare numeric USER on scratch.",
			Differences: "hadolint's DL3002 only fires on an explicit `USER root`; this rule (like checkov CKV_DOCKER_3 and trivy DS-0002) " +
				"catches the far more common missing USER. Base images known to run as non-root (distroless `:nonroot`, Chainguard) and `scratch` " +
				"images that copy in a single static binary are still flagged, since the UID should be explicit.",
		},
		File: func(r *lint.Report, f *df.File) {
			final := f.FinalStage()
			if final == nil || final.Last("USER") != nil {
				return
			}
			if img := final.Root(); img.Distroless() && strings.Contains(img.Tag, "nonroot") {
				return
			}
			r.WithFix(userFix(final)).Add(final.From, "the final stage sets no USER, so the container runs as root")
		},
	})
}
