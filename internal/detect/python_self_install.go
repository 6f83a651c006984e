package detect

import (
	"regexp"
	"strings"
)

var (
	// pyProjectName is the name a pyproject.toml's [project] (or
	// [tool.poetry]) table gives the project.
	pyProjectName = regexp.MustCompile(`^\s*name\s*=\s*["']([A-Za-z0-9][\w.-]*)["']`)
	// pyOwnVersion reads an installed distribution's metadata by name:
	// importlib.metadata's version("isso"), Radicale's
	// utils.package_version("radicale"), pkg_resources'
	// get_distribution("x").version.
	pyOwnVersion = regexp.MustCompile(`\b(?:version|package_version|get_distribution|distribution|metadata|require)\(\s*["']([A-Za-z0-9][\w.-]*)["']\s*\)`)
	// pyGitVersion is a build plugin that takes the version from git.
	pyGitVersion = regexp.MustCompile(`setuptools[_-]scm|hatch-vcs|use_scm_version`)
	// pyBuildSystem is pyproject.toml's [build-system] table.
	pyBuildSystem = regexp.MustCompile(`^\s*\[build-system\]`)
)

// pySelfInstall is where the code reads its own distribution's metadata
// (isso's __version__ = version("isso"), Radicale's
// package_version("radicale")): it raises PackageNotFoundError at import
// unless the project itself is installed, not only its dependencies. The
// image then installs it (without dependencies). nil when the code reads
// none, or pyproject.toml declares no build system to install it with.
func (r *repo) pySelfInstall() *Evidence {
	if r.find("pyproject.toml", pyBuildSystem) == nil {
		return nil
	}
	name := ""
	table := ""
	for _, line := range r.read("pyproject.toml") {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "[") {
			table = t
			continue
		}
		if m := pyProjectName.FindStringSubmatch(line); m != nil && (table == "[project]" || table == "[tool.poetry]") {
			name = m[1]
			break
		}
	}
	if name == "" {
		return nil
	}
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".py") || strings.HasPrefix(f, "tests/") || strings.HasPrefix(f, "docs/") {
			continue
		}
		for i, line := range r.read(f) {
			for _, m := range pyOwnVersion.FindAllStringSubmatch(line, -1) {
				if pyDistName(m[1]) == pyDistName(name) {
					return &Evidence{Value: name, File: f, Line: i + 1,
						Why: "the code reads its own installed distribution's metadata: " + strings.TrimSpace(line)}
				}
			}
		}
	}
	return nil
}

// pyDistName is a distribution's name as pip compares it (PEP 503):
// case, -, _ and . do not count.
func pyDistName(n string) string {
	return strings.NewReplacer("-", "", "_", "", ".", "").Replace(strings.ToLower(n))
}
