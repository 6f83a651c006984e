package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF052", Name: "gem-unpinned", Severity: lint.Warning,
			Hadolint:  []string{"DL3028"},
			Summary:   "gem install without a version.",
			Rationale: "An unpinned gem installs whatever is newest at build time.",
			Fix:       "Pin it: `gem install bundler -v 2.5.23` or `gem install bundler:2.5.23`; better, use the Gemfile.lock with `bundle install`.",
			Differences: "As in hadolint, `gem i` is judged like `gem install`, and what follows `--` (build options for a native extension) " +
				"names no gem. hadolint takes the word after every option as its value, so `gem install --no-document rails` passes " +
				"there; here only options that take a value, and true or false after an option, are skipped.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !c.Is("gem") || c.Sub() != "install" && c.Sub() != "i" || c.HasOption([]string{"--version"}, "v") {
				return
			}
			var unpinned []string
			for _, p := range gemNames(c) {
				if !strings.Contains(p, ":") && !isPathLike(p) && !strings.HasSuffix(p, ".gem") {
					unpinned = append(unpinned, p)
				}
			}
			if len(unpinned) > 0 {
				r.AddCommand(c, "gem install of unpinned gems: %s", strings.Join(unpinned, " "))
			}
		},
	})
}

// gemValued are gem install options whose value is the next word.
var gemValued = map[string]bool{"-i": true, "--install-dir": true, "-n": true, "--bindir": true, "--source": true, "-s": true,
	"--platform": true, "--build-root": true, "-P": true, "--trust-policy": true, "-g": true, "--file": true, "--document": true}

// gemNames returns the gems a gem install names: not its options, their
// values, or the extension build options after `--`.
func gemNames(c *df.Command) []string {
	var out []string
	sub := false
	for i := 0; i < len(c.Args); i++ {
		a := c.Args[i]
		switch {
		case a == "--":
			return out
		case strings.HasPrefix(a, "-"):
			if gemValued[a] || i+1 < len(c.Args) && (c.Args[i+1] == "true" || c.Args[i+1] == "false") {
				i++
			}
		case !sub:
			sub = true // install
		default:
			out = append(out, a)
		}
	}
	return out
}
