package detect

import (
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

// A makeRule is a Makefile rule: its target, prerequisites, the line of
// its head and its recipe, one command per logical line (continuations
// joined).
type makeRule struct {
	target  string
	prereqs []string
	line    int
	cmds    []string
}

// makeRuleHead is a rule's head, a target that may be a path
// (hound's `ui/.build/ui: node_modules/build $(UI)`), not an assignment.
var makeRuleHead = regexp.MustCompile(`^([^\s:=#$]+)\s*:([^=].*|)$`)

// makeRules reads a Makefile's rules, with its variables expanded in
// their recipes and prerequisites (makeExpand, bounded).
func makeRules(lines []string) []makeRule {
	values := project.MakeValues(lines)
	var rules []makeRule
	var parts [][][]string // by rule, its commands' continued lines
	cont := false
	for i, line := range lines {
		if strings.HasPrefix(line, "\t") && len(parts) > 0 && parts[len(parts)-1] != nil {
			cmds := parts[len(parts)-1]
			cmd := strings.TrimSpace(line)
			if cont {
				cmds[len(cmds)-1] = append(cmds[len(cmds)-1], strings.TrimSuffix(cmd, "\\"))
			} else if cmd != "" && !strings.HasPrefix(cmd, "#") {
				// make's @ only hides the command; its - ignores a
				// failure, which a Node stage's && would not: kept, for
				// nodeRecipe to refuse.
				c := strings.TrimLeft(cmd, "@-")
				if strings.Contains(cmd[:len(cmd)-len(c)], "-") {
					c = "-" + c
				}
				cmds = append(cmds, []string{strings.TrimSuffix(c, "\\")})
			}
			parts[len(parts)-1] = cmds
			cont = strings.HasSuffix(cmd, "\\") && (cont || cmd != "" && !strings.HasPrefix(cmd, "#"))
			continue
		}
		if t := strings.TrimSpace(line); t == "" || strings.HasPrefix(t, "#") {
			continue // blank lines and comments do not end a recipe
		}
		cont = false
		if len(parts) > 0 && parts[len(parts)-1] != nil {
			parts = append(parts, nil) // a rule's recipe ends here
		}
		if m := makeRuleHead.FindStringSubmatch(line); m != nil && !strings.HasPrefix(m[1], ".") {
			rules = append(rules, makeRule{target: strings.TrimPrefix(m[1], "./"), line: i + 1,
				prereqs: strings.Fields(project.MakeExpand(values, strings.SplitN(m[2], "#", 2)[0]))})
			parts = append(parts, [][]string{})
		}
	}
	n := 0
	for _, p := range parts {
		if p == nil {
			continue
		}
		for _, c := range p {
			rules[n].cmds = append(rules[n].cmds, strings.Join(strings.Fields(project.MakeExpand(values, strings.Join(c, " "))), " "))
		}
		n++
	}
	return rules
}

// nodeMakeStep is a recipe command a Node stage can run: the package
// managers, node, and the file commands around them.
var nodeMakeStep = regexp.MustCompile(`^(?:npm|npx|yarn|pnpm|node|cd|mkdir|cp|mv|rm)(?:\s|$)`)

// makeFrontend is the front end a Makefile rule builds into an embedded
// directory the tree lacks, with Node alone: hound's `ui/.build/ui:
// node_modules/build $(UI)` (mkdir, cp, npx webpack, after a rule that
// runs npm install), ntfy's web-build (`cd web && npm run build && ...
// && mv build ../server/site`). The image runs the rule's commands from
// the root in a Node stage after installing the package's dependencies
// (install commands of its own or of a prerequisite's are that install).
// nil when no rule makes an embed so, or its commands or prerequisites
// need more than Node (a shell's ; | > $, Python's mkdocs, go).
func (r *repo) makeFrontend(embeds []Evidence) *Frontend {
	var file string
	var lines []string
	for _, f := range []string{"Makefile", "makefile", "GNUmakefile"} {
		if lines = r.read(f); len(lines) > 0 {
			file = f
			break
		}
	}
	if file == "" {
		return nil
	}
	for _, l := range lines {
		if strings.HasPrefix(l, ".ONESHELL:") {
			return nil // one shell for a recipe's lines: read otherwise
		}
	}
	rules := makeRules(lines)
	seen := map[string]bool{}
	byTarget := map[string]*makeRule{}
	for i := range rules {
		byTarget[rules[i].target] = &rules[i]
	}
	for _, e := range embeds {
		if exists(r.dir, e.Value) {
			continue
		}
		for i := range rules {
			rule := &rules[i]
			steps, dir, makes, ok := nodeRecipe(rule, e.Value)
			if !ok || !makes || dir == "" || !exists(r.dir, path.Join(dir, "package.json")) || !onlyInstalls(rule, byTarget, dir, seen) {
				continue
			}
			sub := &repo{dir: filepath.Join(r.dir, dir), lines: map[string][]string{}, lang: "node"}
			var pkg packageJSON
			if json.Unmarshal([]byte(strings.Join(sub.read("package.json"), "\n")), &pkg) != nil {
				continue
			}
			st := &Stack{Language: "node"}
			sub.nodeTools(st)
			for _, ev := range []*Evidence{st.Version, st.PackageManager} {
				if ev != nil && ev.File != "" {
					ev.File = path.Join(dir, ev.File)
				}
			}
			if pm := recipeManager(steps); pm != "" && (st.PackageManager == nil || st.PackageManager.Value != pm) {
				continue // the stage installs with another package manager
			}
			run := strings.Join(steps, " && ")
			return &Frontend{Dir: dir, Out: e.Value, Embed: e, Stack: st, Run: run, FromRoot: true,
				Script: Evidence{Value: run, File: file, Line: rule.line,
					Why: fmt.Sprintf("its rule %s makes %s with Node alone", rule.target, e.Value)}}
		}
	}
	return nil
}

// nodeRecipe reads a rule's recipe as Node-stage steps run from the root:
// the commands but the installs, each && part of each line in the
// directory the line's cd's leave (make runs each line in a shell of its
// own, from the root). dir is where the first package-manager or node
// command runs; makes says whether the rule makes out (its target, or a
// mv or cp into it). ok is false when a command is not one nodeMakeStep
// allows or holds shell syntax beyond &&.
func nodeRecipe(rule *makeRule, out string) (steps []string, dir string, makes, ok bool) {
	makes = rule.target == out
	for _, c := range rule.cmds {
		c = strings.ReplaceAll(c, "$@", rule.target)
		// Shell syntax beyond &&: a comment would swallow the steps
		// joined after it, a lone & background the build, a backslash
		// continue the Dockerfile's RUN into the next instruction.
		if strings.ContainsAny(c, ";|<>`$(){}#\\") || strings.Contains(strings.ReplaceAll(c, "&&", ""), "&") {
			return nil, "", false, false
		}
		cwd := "."
		var parts []string
		for _, p := range strings.Split(c, "&&") {
			p = strings.TrimSpace(p)
			w := strings.Fields(p)
			if len(w) == 0 || !nodeMakeStep.MatchString(p) {
				return nil, "", false, false
			}
			switch w[0] {
			case "cd":
				if len(w) != 2 || path.IsAbs(w[1]) || outside(path.Join(cwd, w[1])) {
					return nil, "", false, false
				}
				cwd = path.Join(cwd, w[1])
			case "mv", "cp", "mkdir", "rm":
				for _, a := range w[1:] {
					if !strings.HasPrefix(a, "-") && (path.IsAbs(a) || outside(path.Join(cwd, a))) {
						return nil, "", false, false
					}
				}
				if dst := path.Join(cwd, w[len(w)-1]); (w[0] == "mv" || w[0] == "cp") && (dst == out || strings.HasPrefix(dst, out+"/")) {
					makes = true
				}
			case "npm", "npx", "yarn", "pnpm", "node":
				if dir == "" {
					dir = cwd
				}
				if nodeInstallStep.MatchString(p) {
					// The stage's own install, in dir alone, as it is:
					// one elsewhere or with flags of its own is not.
					if cwd != dir || !plainInstall(w) {
						return nil, "", false, false
					}
					continue
				}
				if slices.Contains(w, "--prefix") || slices.ContainsFunc(w, func(a string) bool {
					return strings.HasPrefix(a, "--prefix=") || strings.HasPrefix(a, "--cwd") || strings.HasPrefix(a, "-C") || strings.HasPrefix(a, "--dir")
				}) {
					return nil, "", false, false // a package elsewhere
				}
			}
			parts = append(parts, p)
		}
		switch {
		case len(parts) == 0 || len(parts) == 1 && strings.HasPrefix(parts[0], "cd "):
		case cwd != ".":
			steps = append(steps, "("+strings.Join(parts, " && ")+")") // its cd ends with the line
		default:
			steps = append(steps, parts...)
		}
	}
	if len(steps) == 0 {
		return nil, "", false, false
	}
	if len(steps) == 1 {
		steps[0] = strings.TrimSuffix(strings.TrimPrefix(steps[0], "("), ")") // its cd ends with the build
	}
	return steps, dir, makes, true
}

// recipeManager is the package manager a recipe's steps run (yarn or
// pnpm; npm and npx run with any), "" for none of those.
func recipeManager(steps []string) string {
	for _, st := range steps {
		for _, part := range strings.Split(strings.Trim(st, "()"), "&&") {
			if w := strings.Fields(part); len(w) > 0 && (w[0] == "yarn" || w[0] == "pnpm") {
				return w[0]
			}
		}
	}
	return ""
}

// outside says whether a path joined from the root leaves the repository.
func outside(p string) bool { return p == ".." || strings.HasPrefix(p, "../") }

// plainInstall is an install command with no flags or packages of its
// own: npm ci, npm install, yarn, yarn install, pnpm install.
func plainInstall(w []string) bool {
	switch len(w) {
	case 1:
		return w[0] == "yarn"
	case 2:
		return w[1] == "ci" || w[1] == "install" || w[1] == "i"
	}
	return false
}

// onlyInstalls says whether the rule's prerequisites that are rules of
// the Makefile, and theirs, only install the Node packages in dir, as
// the stage does (hound's node_modules/build: npm install, then a date
// stamp); others (files, a variable's list of sources) are the
// context's. seen holds each rule's verdict, so a rule named many times
// is read once.
func onlyInstalls(rule *makeRule, rules map[string]*makeRule, dir string, seen map[string]bool) bool {
	for _, p := range rule.prereqs {
		p = strings.TrimPrefix(p, "./")
		dep := rules[p]
		if dep == nil {
			continue
		}
		key := dir + "\x00" + p
		ok, known := seen[key]
		if !known {
			seen[key] = false // a cycle is no install
			ok = installsOnly(dep, dir) && onlyInstalls(dep, rules, dir, seen)
			seen[key] = ok
		}
		if !ok {
			return false
		}
	}
	return true
}

// installsOnly says whether a rule's recipe installs the Node packages in
// dir and does nothing else but stamp a file.
func installsOnly(dep *makeRule, dir string) bool {
	installs := false
	for _, c := range dep.cmds {
		cwd := "."
		for _, part := range strings.Split(c, "&&") {
			part = strings.TrimSpace(part)
			w := strings.Fields(part)
			switch {
			case len(w) == 0, w[0] == "date", w[0] == "touch", w[0] == "mkdir":
			case w[0] == "cd" && len(w) == 2:
				cwd = path.Join(cwd, w[1])
			case nodeMakeStep.MatchString(part) && nodeInstallStep.MatchString(part) && w[0] != "rm" && cwd == dir && plainInstall(w):
				installs = true
			default:
				return false
			}
		}
	}
	return installs
}
