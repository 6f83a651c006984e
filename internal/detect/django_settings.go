package detect

import (
	"fmt"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

var (
	// djangoSettingsDefault is the settings module a Python file sets
	// unless the environment does: os.environ.setdefault(
	// "DJANGO_SETTINGS_MODULE", "mysite.settings").
	djangoSettingsDefault = regexp.MustCompile(`setdefault\(\s*["']DJANGO_SETTINGS_MODULE["']\s*,\s*["']([\w.-]+)["']|environ\[\s*["']DJANGO_SETTINGS_MODULE["']\s*\]\s*=\s*["']([\w.-]+)["']`)
	// djangoSettingsSet is a deployment file's setting of it: ENV
	// DJANGO_SETTINGS_MODULE pinry.settings.docker, KEY=V, KEY: V,
	// --env KEY=V, export KEY="V".
	djangoSettingsSet = regexp.MustCompile(`\bDJANGO_SETTINGS_MODULE["']?\s*(?:=|:|\s)\s*["']?([A-Za-z_][\w.-]*)`)
	// djangoSettingsKey is a platform template's key line, whose value
	// comes on a line after it (DigitalOcean's .do/deploy.template.yaml:
	// `- key: DJANGO_SETTINGS_MODULE` ... `value: "babybuddy.settings.base"`).
	djangoSettingsKey = regexp.MustCompile(`^\s*-?\s*(?:key|name)\s*:\s*["']?DJANGO_SETTINGS_MODULE["']?\s*$`)
	djangoValueLine   = regexp.MustCompile(`^\s*value\s*:\s*["']?([A-Za-z_][\w.-]*)`)
	// devSettings names a settings module for development or tests.
	devSettings = regexp.MustCompile(`(?i)(?:^|[._-])(?:dev|develop|development|local|test|tests|testing|ci)$`)
)

var (
	// djangoSettingsByName sets the default from a name:
	// os.environ.setdefault('DJANGO_SETTINGS_MODULE', settings_module).
	djangoSettingsByName = regexp.MustCompile(`setdefault\(\s*["']DJANGO_SETTINGS_MODULE["']\s*,\s*([A-Za-z_]\w*)\s*\)`)
	// pyChosenModule is that name's assignment, a literal or a choice by
	// a condition (Azure-Samples' Django apps: settings_module =
	// 'azureproject.production' if 'WEBSITE_HOSTNAME' in os.environ else
	// 'azureproject.settings'): the first group the literal, or the
	// branch taken with the condition's variable unset, the second.
	pyChosenModule = `^\s*%s\s*=\s*["']([\w.-]+)["']\s*(?:if\b.*\belse\s*["']([\w.-]+)["'])?\s*$`
)

// djangoSettingsDefaultIn is the settings module file sets by default: a
// literal in setdefault (or environ[...] = ...), or the value of the
// name it passes, which where the name is chosen by a condition on a
// platform's variable (WEBSITE_HOSTNAME in os.environ: set by Azure's
// App Service alone) is the module taken without it.
func (r *repo) djangoSettingsDefaultIn(file string) *Evidence {
	if e := r.findAcrossLines(file, djangoSettingsDefault); e != nil {
		return e
	}
	by := r.find(file, djangoSettingsByName)
	if by == nil {
		return nil
	}
	chosen := regexp.MustCompile(fmt.Sprintf(pyChosenModule, regexp.QuoteMeta(by.Value)))
	e := r.find(file, chosen)
	if e == nil {
		return nil
	}
	line := r.read(file)[e.Line-1]
	if m := chosen.FindStringSubmatch(line); m[2] != "" {
		switch {
		case strings.Contains(line, " not in os.environ"):
			e.Value = m[1] // 'x.settings' if 'VAR' not in os.environ else ...
		case strings.Contains(line, " in os.environ"):
			e.Value = m[2]
		default:
			return nil // a condition on something else: which one runs is not known
		}
		e.Why = "taken where the condition's variable is unset"
	}
	return e
}

// djangoSettingsFiles are the files where a repository says how it runs
// in a deployment, in the order their word counts: its container files,
// compose files, start scripts, then platform templates.
var djangoSettingsFiles = []string{"Dockerfile*", "Containerfile*", "*.dockerfile", "docker/Dockerfile*", "docker-compose*.y*ml",
	"compose*.y*ml", "Procfile*", "*.sh", "docker/*.sh", "docker/*/*.sh", "scripts/*.sh", "bin/*.sh", "app.json", "render.yaml",
	"fly.toml", "app.yaml", "heroku.yml", ".do/*.y*ml", "deploy/*.y*ml"}

// djangoSettings is the settings module the image runs a Django app with,
// where the module it serves (its wsgi.py or asgi.py) sets none by
// default or sets one for development: the one the repository's own
// deployment files set (babybuddy's wsgi.py sets none, and its
// DigitalOcean template sets babybuddy.settings.base; pinry's manage.py
// defaults to pinry.settings.development, and its Dockerfile.autobuild
// sets pinry.settings.docker), where that module exists. With none, and
// no default at all, the app cannot start: a need says so, with the
// settings modules the project holds.
func (r *repo) djangoSettings(s *Stack) *Evidence {
	if s.Framework == nil || s.Framework.Value != "django" || len(s.Entrypoints) == 0 || s.ambiguousEntry() {
		return nil
	}
	module, served, ok := djangoServed(s)
	if !ok {
		return nil
	}
	def := r.djangoSettingsDefaultIn(served)
	if def != nil && !devSettings.MatchString(def.Value) {
		return nil
	}
	if e := r.deployedDjangoSettings(s.ImportRoot); e != nil {
		if def == nil {
			e.Why += "; " + served + " sets none"
		} else {
			e.Why += "; " + def.Where() + " defaults to " + def.Value + ", for development"
		}
		return e
	}
	manage := path.Join(s.ImportRoot, "manage.py")
	if m := r.djangoSettingsDefaultIn(manage); def == nil && m != nil {
		// The served module sets none; collectstatic and the migration
		// run with manage.py's, and so does the app then.
		m.Why = "manage.py's default, which " + served + " lacks"
		if devSettings.MatchString(m.Value) {
			m.Why += " (for development: no deployment file of the repository sets another it holds)"
		}
		return m
	}
	if def == nil && isFile(r.dir, served) {
		at := Evidence{File: served, Line: 1}
		at.Value = "set DJANGO_SETTINGS_MODULE: " + served + " sets none (os.environ.setdefault(\"DJANGO_SETTINGS_MODULE\", ...)), " +
			"nor does manage.py or any Dockerfile, compose file, start script or platform file of the repository, and Django " +
			"cannot start without it: add the default to " + served
		if mods := r.djangoSettingsModules(module, s.ImportRoot); len(mods) > 0 {
			at.Value += " (the project's settings modules: " + strings.Join(mods, ", ") + ")"
		}
		s.Needs = append(s.Needs, at)
	}
	return nil
}

// djangoServed is the module Django serves (its wsgi.py or asgi.py, from
// the entry point) and its file; ok is false for an entry of another kind.
func djangoServed(s *Stack) (module, file string, ok bool) {
	module, _, ok = strings.Cut(s.Entrypoints[0].Value, ":")
	if !ok || strings.HasPrefix(module, "call") {
		return "", "", false
	}
	return module, path.Join(s.ImportRoot, strings.ReplaceAll(module, ".", "/")+".py"), true
}

// deployedDjangoSettings is the first settings module the repository's
// deployment files set that is not for development and that the project
// holds (a module file or package).
func (r *repo) deployedDjangoSettings(root string) *Evidence {
	seen := map[string]bool{}
	for _, pattern := range djangoSettingsFiles {
		matches, _ := filepath.Glob(filepath.Join(r.dir, pattern))
		slices.Sort(matches)
		for _, m := range matches {
			rel, err := filepath.Rel(r.dir, m)
			if err != nil || seen[rel] || !isFile(r.dir, rel) {
				continue
			}
			seen[rel] = true
			rel = filepath.ToSlash(rel)
			lines := r.read(rel)
			for i, line := range lines {
				v := ""
				if m := djangoSettingsSet.FindStringSubmatch(line); m != nil {
					v = m[1]
				} else if djangoSettingsKey.MatchString(line) {
					for j := i + 1; j < len(lines) && j <= i+3; j++ {
						if m := djangoValueLine.FindStringSubmatch(lines[j]); m != nil {
							v = m[1]
							break
						}
					}
				}
				if v == "" || devSettings.MatchString(v) || !r.pyModuleImports(v, root) {
					continue
				}
				return &Evidence{Value: v, File: rel, Line: i + 1, Why: rel + " runs the app with it"}
			}
		}
	}
	return nil
}

// pyModuleImports reports whether the project holds the dotted module, as
// a file or a package, at the root or under its import root, and the
// image would hold the sibling modules it imports unguarded: pinry's
// settings/docker.py ends in `from .local_settings import *`, a file git
// ignores that its start script writes at run time.
func (r *repo) pyModuleImports(module, root string) bool {
	file := r.pyModuleFile(module, root)
	if file == "" {
		return false
	}
	for _, line := range r.read(file) {
		m := pyRelativeImport.FindStringSubmatch(line)
		if m == nil {
			continue // an indented import is in a try or a branch
		}
		sibling := path.Join(path.Dir(file), m[1])
		if !isFile(r.dir, sibling+".py") && !isFile(r.dir, path.Join(sibling, "__init__.py")) ||
			!r.shippable(sibling+".py") && !isFile(r.dir, path.Join(sibling, "__init__.py")) {
			return false
		}
	}
	return true
}

// pyRelativeImport is an unindented import of a sibling module: from
// .local_settings import *.
var pyRelativeImport = regexp.MustCompile(`^from\s+\.(\w+)\s+import\b`)

// pyModuleFile is the file of a dotted module the project holds, at the
// root or under its import root; "" for none.
func (r *repo) pyModuleFile(module, root string) string {
	p := strings.ReplaceAll(module, ".", "/")
	for _, dir := range []string{".", root} {
		if dir == "" {
			continue
		}
		for _, f := range []string{path.Join(dir, p+".py"), path.Join(dir, p, "__init__.py")} {
			if isFile(r.dir, f) {
				return f
			}
		}
	}
	return ""
}

// findAcrossLines is the first match of re in file read whole (a call
// black wraps over lines), at the line it starts on, with the first
// non-empty group as its value.
func (r *repo) findAcrossLines(file string, re *regexp.Regexp) *Evidence {
	lines := r.read(file)
	if len(lines) == 0 {
		return nil
	}
	text := strings.Join(lines, "\n")
	m := re.FindStringSubmatchIndex(text)
	if m == nil {
		return nil
	}
	v := ""
	for g := 1; g < len(m)/2; g++ {
		if m[2*g] >= 0 {
			v = text[m[2*g]:m[2*g+1]]
			break
		}
	}
	return &Evidence{Value: v, File: file, Line: strings.Count(text[:m[0]], "\n") + 1}
}

// djangoSettingsModules are the settings modules beside the served one:
// pkg.settings, or the modules of a pkg/settings package.
func (r *repo) djangoSettingsModules(served, root string) []string {
	pkg := served
	if i := strings.LastIndex(pkg, "."); i >= 0 {
		pkg = pkg[:i]
	}
	dir := path.Join(root, strings.ReplaceAll(pkg, ".", "/"))
	var out []string
	if isFile(r.dir, path.Join(dir, "settings.py")) {
		out = append(out, pkg+".settings")
	}
	matches, _ := filepath.Glob(filepath.Join(r.dir, dir, "settings", "*.py"))
	slices.Sort(matches)
	for _, m := range matches {
		name := strings.TrimSuffix(filepath.Base(m), ".py")
		if name != "__init__" {
			out = append(out, pkg+".settings."+name)
		}
	}
	return out
}

var (
	// staticRoot sets STATIC_ROOT, at any indentation (in a branch too).
	staticRoot = regexp.MustCompile(`^\s*STATIC_ROOT\s*(?::[^=]+)?=`)
	// splitSettings assembles settings from files a call names
	// (django-split-settings' include('components/*.py'), wemake-django-
	// template's): what they set is not read here.
	splitSettings = regexp.MustCompile(`\bsplit_settings\b|^\s*include\(`)
	// pyStarImport takes a module's names whole: from .base import *,
	// from mysite.settings.base import *.
	pyStarImport = regexp.MustCompile(`^\s*from\s+(\.*[\w.]*)\s+import\s+\*`)
)

// djangoNoStaticRoot is the settings module the image runs a Django app
// with, where neither it nor a module it takes whole (from .base import
// *) sets STATIC_ROOT: collectstatic stops the build with
// ImproperlyConfigured then (Azure-Samples/msdocs-django-postgresql-
// sample-app sets it only in production.py, which runs on App Service
// alone). nil where it is set, or the module is not found to read.
func (r *repo) djangoNoStaticRoot(s *Stack) *Evidence {
	if s.Framework == nil || s.Framework.Value != "django" || len(s.Entrypoints) == 0 || s.ambiguousEntry() {
		return nil
	}
	module := ""
	if s.DjangoSettings != nil {
		module = s.DjangoSettings.Value
	} else if _, served, ok := djangoServed(s); ok {
		if e := r.djangoSettingsDefaultIn(served); e != nil {
			module = e.Value
		} else if e := r.djangoSettingsDefaultIn(path.Join(s.ImportRoot, "manage.py")); e != nil {
			module = e.Value
		}
	}
	file := r.pyModuleFile(module, s.ImportRoot)
	if module == "" || file == "" {
		return nil
	}
	seen := map[string]bool{}
	var sets func(file string, depth int) bool
	sets = func(file string, depth int) bool {
		if seen[file] || depth > 4 {
			return true // not known: as if set
		}
		seen[file] = true
		for _, line := range r.read(file) {
			if staticRoot.MatchString(line) || splitSettings.MatchString(line) {
				return true // set, or not known: as if set
			}
			m := pyStarImport.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			var next string
			if rel := strings.TrimLeft(m[1], "."); len(rel) < len(m[1]) {
				dir := path.Dir(file)
				for range len(m[1]) - len(rel) - 1 {
					dir = path.Dir(dir)
				}
				next = path.Join(dir, strings.ReplaceAll(rel, ".", "/"))
				if isFile(r.dir, next+".py") {
					next += ".py"
				} else {
					next = path.Join(next, "__init__.py")
				}
			} else {
				next = r.pyModuleFile(m[1], s.ImportRoot)
			}
			if next != "" && isFile(r.dir, next) && sets(next, depth+1) {
				return true
			}
		}
		return false
	}
	if sets(file, 0) {
		return nil
	}
	return &Evidence{Value: module, File: file, Why: "sets no STATIC_ROOT"}
}
