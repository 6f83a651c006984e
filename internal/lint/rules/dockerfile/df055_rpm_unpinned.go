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
			ID: "DF055", Name: "rpm-unpinned", Severity: lint.Warning,
			Hadolint:    []string{"DL3033", "DL3037", "DL3041"},
			Summary:     "yum, dnf or zypper install without package versions.",
			Rationale:   "Unpinned packages change with the mirror, so a rebuild is not the image you tested.",
			Fix:         "Pin versions: `dnf install -y httpd-2.4.62` or `zypper install curl=8.0`.",
			Differences: "One rule for hadolint's three per-manager rules.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !rpmInstall(c) {
				return
			}
			var unpinned []string
			for _, p := range c.Positional("--enablerepo", "--disablerepo", "--setopt", "--releasever", "--installroot", "-r", "--repo") {
				switch {
				case isPathLike(p), strings.HasPrefix(p, "@"):
				case c.Is("zypper") && strings.ContainsAny(p, "=<>"):
				case !c.Is("zypper") && rpmVersion.MatchString(p):
				default:
					unpinned = append(unpinned, p)
				}
			}
			if len(unpinned) > 0 {
				r.AddCommand(c, "%s install of unpinned packages: %s", c.Name, strings.Join(unpinned, " "))
			}
		},
	})
}

var rpmVersion = regexp.MustCompile(`-\d`)
