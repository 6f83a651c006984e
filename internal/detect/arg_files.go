package detect

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// MissingFile is a configuration file the program's arguments name that
// neither the repository nor the image holds (glance's Dockerfile runs
// it with --config /app/config/glance.yml, a file its users mount).
type MissingFile struct {
	Evidence        // Value is the path as the arguments name it
	Repo     string // the repository path that would be copied there, "" for none
	Sample   string // a sample of it the repository holds, "" for none
	// Library is the configuration library that reads it where no
	// argument names it (node-config's config/default.json), "" else.
	Library string
}

// nodeRequireConfig is node-config's import: require('config'), import
// config from 'config'.
// nodeConfigDependency is node-config among package.json's dependencies
// (a version, not npm's own "config" object).
var nodeConfigDependency = regexp.MustCompile(`"config"\s*:\s*"[~^<>=v]*\d`)

var nodeRequireConfig = regexp.MustCompile(`(?:require\(\s*|from\s+)['"]config['"]`)

// nodeConfigFiles is node-config's settings file where the code reads its
// settings through it and the repository's config/ holds none of the
// files it loads (default, production, as NODE_ENV the image sets):
// bradtraversy/devconnector_2.0 reads config.get('mongoURI'), and git
// ignores config/default.json, so the image's app throws at start
// (`Configuration property "mongoURI" is not defined`).
func (r *repo) nodeConfigFiles() []MissingFile {
	if r.find("package.json", nodeConfigDependency) == nil {
		return nil
	}
	var at *Evidence
	for _, f := range r.codeFiles() {
		if e := r.find(f, nodeRequireConfig); e != nil && !strings.HasPrefix(f, "client/") {
			at = e
			break
		}
	}
	if at == nil {
		return nil
	}
	entries, _ := os.ReadDir(filepath.Join(r.dir, "config"))
	for _, e := range entries {
		stem := strings.TrimSuffix(e.Name(), path.Ext(e.Name()))
		if (stem == "default" || stem == "production") && r.shippable(path.Join("config", e.Name())) {
			return nil
		}
	}
	m := MissingFile{Evidence: *at, Repo: "config/default.json", Library: "node-config (the config package)"}
	m.Value = "/app/config/default.json"
	m.Why = "from config/default.json"
	if r.gitIgnored("config/default.json") {
		m.Why += " (git ignores it)"
	}
	m.Why += " and, under the image's NODE_ENV, config/production.json"
	m.Sample = r.configSample("default.json", "config/default.json")
	return []MissingFile{m}
}

// argFiles are the repository's files and directories the program's
// arguments name, by a path relative to its working directory or one in
// the image's, /app (json-server's fixtures/db.json; glance's --config
// config/glance.yml): a compiled program's image copies its build output
// alone otherwise, so they go beside it. Python's and untranspiled Node's
// images copy the repository whole.
func (r *repo) argFiles(s *Stack) []Evidence {
	if s.Args == nil || s.Language == "python" || s.Language == "node" && s.TypeScript == nil {
		return nil
	}
	var out []Evidence
	for i, w := range s.ArgWords {
		if i == 0 && strings.Contains(s.Args.Why, "subcommand") {
			continue // gogs' `web` is its urfave/cli command, not its web/ directory
		}
		p, ok := argRepoPath(w)
		if !ok || !exists(r.dir, p) || !r.shippable(p) || s.carries(w) ||
			slices.ContainsFunc(append(s.RuntimeFiles, out...), func(e Evidence) bool { return e.Value == p }) {
			continue
		}
		e := *s.Args
		e.Value, e.Why = p, "the program's arguments name it"
		out = append(out, e)
	}
	return out
}

// argRepoPath is the repository path an argument names (its value, for
// --flag=value): a relative path, or one under the image's working
// directory /app; false for a flag, the repository itself, or a path
// outside it.
func argRepoPath(w string) (string, bool) {
	if name, v, ok := strings.Cut(w, "="); ok && strings.HasPrefix(name, "-") {
		w = v
	}
	if w == "" || strings.HasPrefix(w, "-") || strings.ContainsAny(w, "$*?") {
		return "", false
	}
	p := path.Clean(w)
	if rest, ok := strings.CutPrefix(p, "/app/"); ok {
		p = rest
	}
	if p == "." || path.IsAbs(p) || p == ".." || strings.HasPrefix(p, "../") {
		return "", false
	}
	return p, true
}

// carries reports whether the image puts a file where the argument w
// names one: the repository's Dockerfile copies it there (CarriedFiles).
func (s *Stack) carries(w string) bool {
	if name, v, ok := strings.Cut(w, "="); ok && strings.HasPrefix(name, "-") {
		w = v
	}
	return slices.ContainsFunc(s.CarriedFiles, func(c CarriedFile) bool { return path.Clean(c.Dest) == path.Clean(w) })
}

// configExts are the extensions of a configuration file an argument
// names.
var configExts = map[string]bool{".yml": true, ".yaml": true, ".toml": true, ".json": true, ".ini": true, ".conf": true, ".cfg": true, ".hcl": true}

// missingArgConfigs are the configuration files the program's arguments
// hand it (the value of --config or -conf, either --config=F or --config
// F) that the image will not hold: the repository holds no file at the
// path they name (or git ignores it, so a clone has none), and no COPY of
// the repository's Dockerfile puts one there. Each names the sample the
// repository holds, where it holds one.
func (r *repo) missingArgConfigs(s *Stack) []MissingFile {
	if s.Args == nil {
		return nil
	}
	var out []MissingFile
	for i, w := range s.ArgWords {
		name, value, ok := strings.Cut(w, "=")
		switch {
		case ok && strings.HasPrefix(name, "-"):
		case i > 0 && !strings.HasPrefix(w, "-") && !strings.Contains(s.ArgWords[i-1], "="):
			name, value = s.ArgWords[i-1], w
		default:
			continue
		}
		if !strings.HasPrefix(name, "-") || !configFlag.MatchString(strings.TrimLeft(name, "-")) || !configExts[path.Ext(value)] || s.carries(value) {
			continue
		}
		m := MissingFile{Evidence: *s.Args}
		m.Value = value
		if p, ok := argRepoPath(value); ok {
			if exists(r.dir, p) && r.shippable(p) {
				continue
			}
			m.Repo = p
		}
		m.Sample = r.configSample(path.Base(value), m.Repo)
		out = append(out, m)
	}
	return out
}

// configSample is a sample of the configuration file named base that the
// repository holds (glance's docs/glance.yml; config.example.toml,
// app.yml.sample): a file of that name or a marked copy of it, beside
// where it belongs or in a directory that keeps such files. "" for none.
func (r *repo) configSample(base, at string) string {
	ext := path.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	names := []string{base}
	for _, mark := range []string{"example", "sample", "dist", "default", "template"} {
		names = append(names, base+"."+mark, stem+"."+mark+ext, stem+"-"+mark+ext, stem+"_"+mark+ext)
	}
	dirs := []string{".", "docs", "doc", "config", "configs", "conf", "examples", "example", "contrib", "deploy"}
	if at != "" && path.Dir(at) != "." {
		dirs = append([]string{path.Dir(at)}, dirs...)
	}
	for _, d := range dirs {
		for _, n := range names {
			p := path.Join(d, n)
			if p != at && isFile(r.dir, p) && !SecretPath.MatchString(p) {
				return p
			}
		}
	}
	return ""
}
