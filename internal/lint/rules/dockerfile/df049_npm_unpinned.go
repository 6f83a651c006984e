package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF049", Name: "npm-unpinned", Severity: lint.Warning,
			Hadolint:    []string{"DL3016"},
			Summary:     "npm install of named packages without versions.",
			Rationale:   "`npm install -g pm2` gets whatever is newest today; the lock file does not cover packages named on the command line.",
			Fix:         "Pin the version (`pm2@5.4.2`), or add the package to package.json and run `npm ci`.",
			Differences: "As in hadolint: git URLs need a #commit, tarballs and folders count as pinned. `npm i` and `npm add` are judged like `npm install`, and the value of an option such as `--loglevel verbose` is no package.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !c.Is("npm") {
				return
			}
			switch c.Sub() {
			case "install", "i", "add", "isntall":
			default:
				return
			}
			var unpinned []string
			for _, p := range c.Positional(npmValued...) {
				if !npmPinned(p) {
					unpinned = append(unpinned, p)
				}
			}
			if len(unpinned) > 0 {
				r.AddCommand(c, "npm install of unpinned packages: %s", strings.Join(unpinned, " "))
			}
		},
	})
}

// npmValued are npm options whose value is the next word: `--loglevel
// verbose` names no package.
var npmValued = []string{"--registry", "--prefix", "--cache", "--omit", "--include", "--tag", "--loglevel", "--userconfig",
	"--globalconfig", "--workspace", "-w", "--location", "--install-strategy", "--before", "--scope", "--otp", "--fetch-retries",
	"--fetch-timeout", "--maxsockets", "--proxy", "--https-proxy", "--script-shell", "--cpu", "--os", "--libc"}

// npmPinned follows hadolint's DL3016.
func npmPinned(p string) bool {
	for _, prefix := range []string{"git://", "git+ssh://", "git+http://", "git+https://"} {
		if strings.HasPrefix(p, prefix) {
			return strings.Contains(p, "#")
		}
	}
	for _, suffix := range []string{".tar", ".tar.gz", ".tgz"} {
		if strings.HasSuffix(p, suffix) {
			return true
		}
	}
	for _, prefix := range []string{"/", "./", "../", "~/", "$"} {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	name := p
	if strings.HasPrefix(name, "@") {
		if i := strings.IndexByte(name, '/'); i >= 0 {
			name = name[i:]
		}
	}
	return strings.Contains(name, "@")
}
