package lint

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"

	"github.com/shipshape/shipshape/internal/source"
	"github.com/shipshape/shipshape/internal/source/bounds"
	"github.com/shipshape/shipshape/internal/source/compose"
	"github.com/shipshape/shipshape/internal/source/ignorefile"
)

// .shipshape holds the files init --force replaced (detect.ReplacedDir):
// the user's old ones, no longer what runs. testdata/ holds test
// fixtures, often broken on purpose (argo-cd's: 34 files that do not load
// and some 1,600 findings in a run of the repository); a path given names
// one to check it.
var skippedDirs = map[string]bool{".git": true, "vendor": true, "node_modules": true, ".shipshape": true, "testdata": true}

// Discover lists what to check under the given paths: Dockerfiles, and
// Compose projects grouped the way `docker compose` reads them. A path naming
// a file is taken as it is; directories are walked, skipping vendor/,
// node_modules/, testdata/ and what .gitignore files ignore.
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
	add := func(p string, kind source.Kind) {
		if seen[p] {
			return
		}
		seen[p] = true
		switch kind {
		case source.Helm:
			charts = append(charts, p)
		case source.Workflow:
			workflows = append(workflows, p)
		case source.Compose:
			dir := filepath.Dir(p)
			if composeFiles[dir] == nil {
				composeDirs = append(composeDirs, dir)
				composeRoots[dir] = given
			}
			composeFiles[dir] = append(composeFiles[dir], filepath.Base(p))
		case source.Pending, source.Manifest, source.Unknown:
			// YAML whose content decides: read below, a directory at a
			// time, unless the directory is a kustomization.
			dir := filepath.Dir(p)
			if yamlFiles[dir] == nil {
				yamlDirs = append(yamlDirs, dir)
				yamlRoots[dir] = given
				if given == p { // a file named: its directory bounds what is read around it
					yamlRoots[dir] = dir
				}
			}
			yamlFiles[dir] = append(yamlFiles[dir], p)
		case source.Caddy:
			caddyfiles = append(caddyfiles, p)
		case source.Nginx:
			nginxFiles = append(nginxFiles, p)
		case source.Makefile:
			makefiles = append(makefiles, p) // read for the build contexts it names
		default:
			dockerfiles = append(dockerfiles, p)
		}
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
		if info.IsDir() && source.KindOfDir(root) == source.Helm {
			add(root, source.Helm)
			continue
		}
		if !info.IsDir() {
			named[root] = true
			add(root, source.KindOfNamed(root, nil))
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
	contexts, args := projectBuilds(composePaths, workflows, makefiles)
	out := unreadable
	for _, p := range dockerfiles {
		out = append(out, Input{Kind: source.Dockerfile, Path: p, ContextDir: contexts[filepath.Clean(p)], PassedArgs: args[filepath.Clean(p)]})
	}
	for _, dir := range composeDirs {
		for _, in := range composeProjects(dir, composeFiles[dir]) {
			in.Root = composeRoots[dir]
			out = append(out, in)
		}
	}
	for _, p := range nginxFiles {
		out = append(out, Input{Kind: source.Nginx, Path: p})
	}
	for _, p := range caddyfiles {
		out = append(out, Input{Kind: source.Caddy, Path: p})
	}
	for _, p := range workflows {
		out = append(out, Input{Kind: source.Workflow, Path: p})
	}
	for _, dir := range charts {
		out = append(out, Input{Kind: source.Helm, Path: dir})
	}
	for _, dir := range yamlDirs {
		if source.KindOfDir(dir) == source.Kustomize {
			// Built with kustomize: bases, overlays and patches applied.
			out = append(out, Input{Kind: source.Kustomize, Path: dir})
			continue
		}
		group := manifestGroup(dir, yamlFiles[dir])
		if len(group) > 0 {
			out = append(out, Input{Kind: source.Manifest, Path: group[0], Overrides: group[1:], Root: yamlRoots[dir]})
		}
		for _, f := range yamlFiles[dir] {
			if named[f] && !slices.Contains(group, f) {
				out = append(out, Input{Kind: source.Manifest, Path: f, Err: errUnknownYAML})
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
	for _, b := range compose.BaseNames {
		if has[b] {
			base = b
			break
		}
	}
	var out []Input
	if base != "" {
		in := Input{Kind: source.Compose, Path: filepath.Join(dir, base)}
		for _, o := range compose.OverrideNames(base) {
			if has[o] {
				in.Overrides = append(in.Overrides, filepath.Join(dir, o))
				has[o] = false
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
		in := Input{Kind: source.Compose, Path: filepath.Join(dir, n)}
		if base != "" && !compose.IsBaseName(n) {
			in = Input{Kind: source.Compose, Path: filepath.Join(dir, base), Overrides: []string{filepath.Join(dir, n)}}
		}
		out = append(out, in)
	}
	return out
}

func walk(root string, add func(string, source.Kind)) error {
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
			if source.KindOfDir(p) == source.Helm {
				add(p, source.Helm) // the chart is checked rendered, not file by file
				return filepath.SkipDir
			}
			if data, err := bounds.ReadFile(filepath.Join(p, ".gitignore")); err == nil {
				ignores = append(ignores, ignorefile.Parse(rel, data, ignorefile.Gitignore))
			}
			return nil
		}
		if !d.Type().IsRegular() || ignores.Ignored(rel, false) {
			return nil
		}
		kind := source.KindOf(p, nil)
		if kind == source.Pending && !source.IsYAML(p) {
			kind = source.KindOf(p, head(p))
		}
		if kind != source.Unknown {
			add(p, kind)
		}
		return nil
	})
}

// head is the start of a file, enough for KindOf to tell a lowercase
// dockerfile.<name> from notes or source code; empty, not nil, when the
// file cannot be read, so that KindOf answers and does not ask again.
func head(path string) []byte {
	f, err := os.Open(path)
	if err != nil {
		return []byte{}
	}
	defer f.Close()
	buf := make([]byte, 4096)
	n, _ := io.ReadFull(f, buf)
	return buf[:n]
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
		if err != nil || source.KindOf(f, data) != source.Manifest {
			continue
		}
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}
