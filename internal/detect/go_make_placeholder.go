package detect

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

// placeholderPath is a plain relative path a placeholder recipe may make:
// no variable, glob or shell syntax.
var placeholderPath = regexp.MustCompile(`^[\w.-]+(?:/[\w.-]+)*/?$`)

// makePlaceholder is the step of a Makefile rule that makes dir, an
// embedded directory the tree lacks, with empty files and nothing else:
// a recipe of mkdir -p and touch alone, of plain paths in the tree
// (ntfy's cli-deps-static-sites, which its own server builds depend on:
// mkdir -p server/docs server/site; touch server/docs/index.html
// server/site/app.html). The step keeps only the paths in dir (ntfy's
// server/site is its front end's, built). nil when no rule does so, or
// when a line of the build files makes dir otherwise (a front end's
// `mv build ../server/site`): an empty front end is not a placeholder.
func (r *repo) makePlaceholder(dir string) *Evidence {
	if r.madeOtherwise(dir) {
		return nil
	}
	for _, f := range []string{"Makefile", "makefile", "GNUmakefile"} {
		lines := r.read(f)
		if len(lines) == 0 {
			continue
		}
		for _, rule := range makeRules(lines) {
			if step := placeholderStep(rule.cmds, dir); step != "" {
				return &Evidence{Value: step, File: f, Line: rule.line,
					Why: fmt.Sprintf("its rule %s makes %s with empty files, as its own build does: what it would hold is not built", rule.target, dir)}
			}
		}
		break
	}
	return nil
}

// placeholderStep is the mkdir and touch of a recipe's paths in dir, ""
// unless every command is a mkdir -p or touch of plain paths in the
// tree and one file in dir is touched.
func placeholderStep(cmds []string, dir string) string {
	var dirs, files []string
	for _, c := range cmds {
		for _, part := range strings.Split(c, "&&") {
			w := strings.Fields(part)
			if len(w) < 2 || !(w[0] == "touch" || w[0] == "mkdir" && w[1] == "-p") {
				return ""
			}
			args := w[1:]
			if w[0] == "mkdir" {
				args = w[2:]
			}
			for _, a := range args {
				clean := path.Clean(a)
				if !placeholderPath.MatchString(a) || outside(clean) {
					return ""
				}
				if clean != dir && !strings.HasPrefix(clean, dir+"/") {
					continue
				}
				if w[0] == "touch" {
					files = append(files, clean)
				} else {
					dirs = append(dirs, clean)
				}
			}
		}
	}
	if len(files) == 0 {
		return ""
	}
	for _, f := range files {
		dirs = append(dirs, path.Dir(f))
	}
	slices.Sort(dirs)
	slices.Sort(files)
	return "mkdir -p " + strings.Join(slices.Compact(dirs), " ") + " && touch " + strings.Join(slices.Compact(files), " ")
}

// madeOtherwise reports whether a line of the repository's build files
// names dir in a command other than mkdir, touch or a removal, or as a
// rule's target: each command of a line (&&, ; and | apart) is judged on
// its own (`rm -rf server/docs && mkdocs build --site-dir server/docs`
// builds it).
func (r *repo) madeOtherwise(dir string) bool {
	for _, f := range buildFiles {
		for _, line := range r.read(f) {
			if isComment(line) || !strings.Contains(line, dir) {
				continue
			}
			for _, part := range shellParts.Split(line, -1) {
				cmd := strings.TrimLeft(strings.TrimSpace(part), "@-")
				if !strings.Contains(cmd, dir) || strings.HasPrefix(cmd, "rm ") || strings.HasPrefix(cmd, "mkdir -p ") {
					continue
				}
				if placeholderStep([]string{cmd}, dir) == "" {
					return true
				}
			}
		}
	}
	return false
}

// shellParts splits a shell line into its commands.
var shellParts = regexp.MustCompile(`&&|\|\||[;|]`)
