package compose

import (
	"regexp"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "CO001", Name: "image-not-pinned", Severity: lint.Warning, Production: lint.Error,
			Summary: "A service image has no tag, uses `latest`, or defaults to `latest` through `${TAG:-latest}`.",
			Rationale: "`docker compose pull` then fetches whatever is newest: two hosts, or two deploys of the same commit, run different code, " +
				"and a rollback to the previous release is impossible.",
			Differences: "A service that builds its image and names it without a registry or namespace (`build: .` with `image: shop-web`) " +
				"names a local build, which nothing pulls.",
			Fix: "Pin an exact tag, and make the variable required instead of defaulting: `image: ghcr.io/acme/web:${TAG:?set TAG to the release}`.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			img, ok := imageOf(s)
			if !ok || s.Build != nil && !strings.Contains(s.Image, "/") {
				return
			}
			pos := at(p, name, "image")
			raw, _ := p.Raw("services", name, "image")
			switch {
			case latestDefault.MatchString(raw):
				r.AddPos(pos, "image %q falls back to `latest` when its variable is unset", raw)
			case img.Digest != "":
			case img.Tag == "":
				r.AddPos(pos, "image %q has no tag, so it means whatever `latest` is when pulled", s.Image)
			case img.Tag == "latest":
				r.AddPos(pos, "image %q uses the moving `latest` tag", s.Image)
			}
		},
	})
}

var latestDefault = regexp.MustCompile(`\$\{[A-Za-z_][A-Za-z0-9_]*:?-latest\}`)
