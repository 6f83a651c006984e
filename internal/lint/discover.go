package lint

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"

	"github.com/shipshape/shipshape/internal/source/bounds"
	"github.com/shipshape/shipshape/internal/source/caddy"
	"github.com/shipshape/shipshape/internal/source/ignorefile"
	"github.com/shipshape/shipshape/internal/source/kube"
	"github.com/shipshape/shipshape/internal/source/nginx"
	"github.com/shipshape/shipshape/internal/source/workflow"
)

// IsDockerfileName reports whether a file name is one `check` looks for:
// Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*, Containerfile.*.
// The Dockerfile.* form is matched with its capital letter, so that source
// files such as dockerfile.go are not taken for Dockerfiles.
func IsDockerfileName(name string) bool {
	lower := strings.ToLower(name)
	switch {
	case lower == "dockerfile" || lower == "containerfile":
		return true
	case strings.HasSuffix(lower, ".dockerfile") || strings.HasSuffix(lower, ".containerfile"):
		return true
	case strings.HasPrefix(name, "Dockerfile.") || strings.HasPrefix(name, "Containerfile."):
		return !notDockerfileExt[path.Ext(lower)]
	}
	return false
}

// notDockerfileExt are names like Dockerfile.dockerignore that are not
// Dockerfiles: ignore files, docs, backups, templates and source code.
var notDockerfileExt = map[string]bool{
	".dockerignore": true, ".containerignore": true, ".md": true, ".txt": true, ".bak": true, ".orig": true, ".rej": true,
	".swp": true, ".sh": true, ".json": true, ".yaml": true, ".yml": true, ".lock": true, ".go": true, ".py": true,
	".js": true, ".ts": true, ".rs": true, ".rb": true, ".java": true, ".tmpl": true, ".tpl": true, ".j2": true,
	".jinja": true, ".erb": true, ".in": true, ".template": true, ".example": true, ".sample": true,
}

var skippedDirs = map[string]bool{".git": true, "vendor": true, "node_modules": true}

// Discover lists what to check under the given paths: Dockerfiles, and
// Compose projects grouped the way `docker compose` reads them. A path naming
// a file is taken as it is; directories are walked, skipping vendor/,
// node_modules/ and what .gitignore files ignore.
func Discover(paths []string) ([]Input, error) {
	var dockerfiles, nginxFiles, caddyfiles, workflows, charts, makefiles []string
	yamlFiles := map[string][]string{} // directory → other YAML files, maybe manifests
	var yamlDirs []string
	composeFiles := map[string][]string{} // directory → compose file names
	var composeDirs []string
	composeRoots := map[string]string{} // directory → the path given it was found under
	yamlRoots := map[string]string{}    // the same for directories of YAML files
	given := ""
	seen := map[string]bool{}
	add := func(p string) {
		if seen[p] {
			return
		}
		seen[p] = true
		if isHelmChart(p) {
			charts = append(charts, p)
			return
		}
		if workflow.IsWorkflowPath(p) {
			workflows = append(workflows, p)
			return
		}
		if IsComposeName(filepath.Base(p)) {
			dir := filepath.Dir(p)
			if composeFiles[dir] == nil {
				composeDirs = append(composeDirs, dir)
				composeRoots[dir] = given
			}
			composeFiles[dir] = append(composeFiles[dir], filepath.Base(p))
			return
		}
		if isYAML(p) {
			dir := filepath.Dir(p)
			if yamlFiles[dir] == nil {
				yamlDirs = append(yamlDirs, dir)
				yamlRoots[dir] = given
				if given == p { // a file named: its directory bounds what is read around it
					yamlRoots[dir] = dir
				}
			}
			yamlFiles[dir] = append(yamlFiles[dir], p)
			return
		}
		if caddy.IsCaddyfileName(filepath.Base(p)) {
			caddyfiles = append(caddyfiles, p)
			return
		}
		if nginx.IsConfigName(filepath.Base(p)) {
			nginxFiles = append(nginxFiles, p)
			return
		}
		if IsMakefileName(filepath.Base(p)) {
			makefiles = append(makefiles, p) // read for the build contexts it names
			return
		}
		dockerfiles = append(dockerfiles, p)
	}
	var unreadable []Input
	named := map[string]bool{}
	for _, root := range paths {
		given = root
		info, err := os.Stat(root)
		if err != nil {
			unreadable = append(unreadable, Input{Path: root, Err: pathError(err)})
			continue
		}
		if info.IsDir() && isHelmChart(root) {
			add(root)
			continue
		}
		if !info.IsDir() {
			if strings.EqualFold(filepath.Ext(root), ".conf") && !IsDockerfileName(filepath.Base(root)) {
				nginxFiles = append(nginxFiles, root) // named on purpose: an nginx config
				seen[root] = true
				continue
			}
			named[root] = true
			add(root)
			continue
		}
		if err := walk(root, add); err != nil {
			unreadable = append(unreadable, Input{Path: root, Err: pathError(err)})
		}
	}
	var composePaths []string
	for _, dir := range composeDirs {
		for _, n := range composeFiles[dir] {
			composePaths = append(composePaths, filepath.Join(dir, n))
		}
	}
	contexts := buildContexts(composePaths, workflows, makefiles)
	out := unreadable
	for _, p := range dockerfiles {
		out = append(out, Input{Kind: KindDockerfile, Path: p, ContextDir: contexts[filepath.Clean(p)]})
	}
	for _, dir := range composeDirs {
		for _, in := range composeProjects(dir, composeFiles[dir]) {
			in.Root = composeRoots[dir]
			out = append(out, in)
		}
	}
	for _, p := range nginxFiles {
		out = append(out, Input{Kind: KindNginx, Path: p})
	}
	for _, p := range caddyfiles {
		out = append(out, Input{Kind: KindCaddy, Path: p})
	}
	for _, p := range workflows {
		out = append(out, Input{Kind: KindWorkflow, Path: p})
	}
	for _, dir := range charts {
		out = append(out, Input{Kind: KindHelm, Path: dir})
	}
	for _, dir := range yamlDirs {
		if kube.IsKustomization(dir) {
			// Built with kustomize: bases, overlays and patches applied.
			out = append(out, Input{Kind: KindKustomize, Path: dir})
			continue
		}
		group := manifestGroup(dir, yamlFiles[dir])
		if len(group) > 0 {
			out = append(out, Input{Kind: KindKube, Path: group[0], Overrides: group[1:], Root: yamlRoots[dir]})
		}
		for _, f := range yamlFiles[dir] {
			if named[f] && !slices.Contains(group, f) {
				out = append(out, Input{Kind: KindKube, Path: f, Err: errUnknownYAML})
			}
		}
	}
	return out, nil
}

// errUnknownYAML is the error of a YAML file named on the command line that
// is none of the kinds check reads.
var errUnknownYAML = errors.New("not a file check knows: no apiVersion and kind (a Kubernetes manifest), " +
	"not named like a compose file (compose.yaml, docker-compose.prod.yml) and not under .github/workflows/; " +
	"a Helm values file is checked with its chart: shipshape check --helm-values FILE CHART_DIR")

// pathError words an error about a path named on the command line.
func pathError(err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return errors.New("no such file or directory; check the path")
	case errors.Is(err, syscall.ELOOP):
		return errors.New("a loop of symbolic links; point the link at a real file")
	case errors.Is(err, fs.ErrPermission):
		return errors.New("permission denied; check the file's permissions")
	}
	return err
}

// Compose file names, in the order `docker compose` picks the base file.
var composeBases = []string{"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"}

// IsComposeName reports whether a file name is a Compose file:
// compose.yaml, docker-compose.yml, and variants such as compose.prod.yaml.
func IsComposeName(name string) bool {
	lower := strings.ToLower(name)
	if !strings.HasSuffix(lower, ".yaml") && !strings.HasSuffix(lower, ".yml") {
		return false
	}
	return strings.HasPrefix(lower, "compose.") || strings.HasPrefix(lower, "docker-compose.") ||
		strings.HasPrefix(lower, "compose-") || strings.HasPrefix(lower, "docker-compose-") ||
		strings.HasPrefix(lower, "docker_compose.") || strings.HasPrefix(lower, "docker_compose_")
}

// composeProjects groups one directory's compose files into projects: the
// base file with its automatic override (compose.override.yaml), and every
// other variant (compose.prod.yaml) merged over the base on its own, as
// `docker compose -f compose.yaml -f compose.prod.yaml` would.
func composeProjects(dir string, names []string) []Input {
	has := map[string]bool{}
	for _, n := range names {
		has[n] = true
	}
	base := ""
	for _, b := range composeBases {
		if has[b] {
			base = b
			break
		}
	}
	var out []Input
	if base != "" {
		in := Input{Kind: KindCompose, Path: filepath.Join(dir, base)}
		stem := strings.TrimSuffix(strings.TrimSuffix(base, ".yaml"), ".yml")
		for _, ext := range []string{".override.yaml", ".override.yml"} {
			if has[stem+ext] {
				in.Overrides = append(in.Overrides, filepath.Join(dir, stem+ext))
				has[stem+ext] = false
				break
			}
		}
		out = append(out, in)
		has[base] = false
	}
	sort.Strings(names)
	for _, n := range names {
		if !has[n] {
			continue
		}
		in := Input{Kind: KindCompose, Path: filepath.Join(dir, n)}
		if base != "" && !isBaseName(n) {
			in = Input{Kind: KindCompose, Path: filepath.Join(dir, base), Overrides: []string{filepath.Join(dir, n)}}
		}
		out = append(out, in)
	}
	return out
}

func isBaseName(n string) bool {
	for _, b := range composeBases {
		if n == b {
			return true
		}
	}
	return false
}

func walk(root string, add func(string)) error {
	var ignores ignorefile.Stack
	if data, err := bounds.ReadFile(filepath.Join(root, ".gitignore")); err == nil {
		ignores = append(ignores, ignorefile.Parse("", data, ignorefile.Gitignore))
	}
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root {
				return err
			}
			return nil // unreadable subdirectory: skip it, keep checking the rest
		}
		if p == root {
			return nil
		}
		rel := filepath.ToSlash(strings.TrimPrefix(p, root+string(filepath.Separator)))
		if d.IsDir() {
			if skippedDirs[d.Name()] || ignores.Ignored(rel, true) {
				return filepath.SkipDir
			}
			if isHelmChart(p) {
				add(p) // the chart is checked rendered, not file by file
				return filepath.SkipDir
			}
			if data, err := bounds.ReadFile(filepath.Join(p, ".gitignore")); err == nil {
				ignores = append(ignores, ignorefile.Parse(rel, data, ignorefile.Gitignore))
			}
			return nil
		}
		if (isCheckedName(d.Name()) || looksLikeDockerfile(p, d.Name()) || workflow.IsWorkflowPath(rel) || isYAML(d.Name()) || IsMakefileName(d.Name())) && d.Type().IsRegular() && !ignores.Ignored(rel, false) {
			add(p)
		}
		return nil
	})
}

// looksLikeDockerfile accepts the lowercase dockerfile.<name> (dockerfile.sales,
// dockerfile.dev) that IsDockerfileName leaves out for fear of source files
// such as dockerfile.go: the name must not end like one of those, and the
// file must read like a Dockerfile, its first instruction FROM or ARG.
func looksLikeDockerfile(path, name string) bool {
	if !strings.HasPrefix(name, "dockerfile.") || notDockerfileExt[strings.ToLower(filepath.Ext(name))] {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 4096)
	n, _ := io.ReadFull(f, head)
	for _, line := range strings.Split(string(head[:n]), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		word, _, _ := strings.Cut(strings.ToUpper(line), " ")
		return word == "FROM" || word == "ARG"
	}
	return false
}

// isCheckedName reports whether a file name is one of the artifacts check reads.
func isCheckedName(name string) bool {
	return IsDockerfileName(name) || IsComposeName(name) || nginx.IsConfigName(name) || caddy.IsCaddyfileName(name)
}

func isYAML(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

// isHelmChart reports whether a directory is a Helm chart, whose templates
// are not YAML until rendered.
func isHelmChart(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "Chart.yaml"))
	return err == nil
}

// manifestGroup returns the Kubernetes manifests of one directory, checked
// together so that references between them can be followed.
func manifestGroup(dir string, files []string) []string {
	var out []string
	for _, f := range files {
		data, err := bounds.ReadFile(f)
		if errors.Is(err, bounds.ErrTooLarge) {
			// Not known to be a manifest, but too large to be read at all:
			// loading it says so, where skipping it would say nothing.
			out = append(out, f)
			continue
		}
		if err != nil || !kube.IsManifest(data) {
			continue
		}
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}
