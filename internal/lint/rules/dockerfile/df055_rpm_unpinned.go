package dockerfile

import (
	"regexp"
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF055", Name: "rpm-unpinned", Severity: lint.Warning,
			Hadolint:  []string{"DL3033", "DL3037", "DL3041"},
			Summary:   "yum, dnf or zypper install without package versions.",
			Rationale: "Unpinned packages change with the mirror, so a rebuild is not the image you tested.",
			Fix:       "Pin versions: `dnf install -y httpd-2.4.62` or `zypper install curl=8.0`.",
			Differences: "One rule for hadolint's three per-manager rules. As in hadolint, `module install` of a stream without a " +
				"version (`tomcat`, not `tomcat:9`) is unpinned, and a version from an ARG or ENV in force (`git-core-${version}`) is read as its value. A variable no ARG or ENV in force sets " +
				"counts as pinned when the file declares it as an ARG somewhere (given with --build-arg), as in hadolint's spec.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !rpmInstall(c) {
				return
			}
			packages := c.Positional("--enablerepo", "--disablerepo", "--setopt", "--releasever", "--installroot", "-r", "--repo")
			module := rpmModuleInstall(c)
			if module {
				packages = packages[1:] // install
			}
			var unpinned []string
			for _, p := range packages {
				if expanded, ok := c.Instruction.Expand(p); ok {
					p = expanded
				} else if fromBuildArg(r.File(), p) {
					continue // the version is given at build time
				}
				switch {
				case module && strings.Contains(p, ":"):
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

// fromBuildArg reports whether a word uses a variable the file declares as
// an ARG, in any stage.
func fromBuildArg(f *df.File, word string) bool {
	return len(buildArgsIn(f, word)) > 0
}

// buildArgsIn lists the variables a word uses that the file declares as
// ARGs, in any stage, in the order the word uses them.
func buildArgsIn(f *df.File, word string) []string {
	var names []string
	for _, m := range varRef.FindAllStringSubmatch(word, -1) {
		name := m[1] + m[2]
		if declaresArg(f, name) && !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return names
}

func declaresArg(f *df.File, name string) bool {
	for _, in := range f.Instructions {
		if in.Keyword != "ARG" {
			continue
		}
		for _, p := range in.Pairs {
			if p.Key == name {
				return true
			}
		}
	}
	return false
}
