package detect

import (
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

// An AssetDir is a directory of the repository that the code finds
// through a variable: the image carries it and sets the variable to
// where it is.
type AssetDir struct {
	Evidence        // Value is the variable, at the repository Dockerfile's ENV
	Dir      string // the directory, relative to the repository
}

// assetDirs are the variables the code reads that the repository's own
// Dockerfile sets to an absolute path whose last directory the repository
// holds exactly once (bnkamalesh/goapp: ENV TEMPLATES_BASEPATH=
// /home/appuser/app/web/templates, read by configs.go:36, and the one
// templates directory is cmd/server/http/web/templates; without it the
// program opens /index.html and stops). The Dockerfile's own COPY may be
// stale (goapp's copies a path that moved), so the directory is found
// by its name. Data directories are dataDirVar's, not these.
func (r *repo) assetDirs(env []Evidence) []AssetDir {
	reads := map[string]bool{}
	for _, e := range env {
		reads[e.Value] = true
	}
	var out []AssetDir
	seen := map[string]bool{}
	for _, name := range repoDockerfiles {
		for i, line := range r.read(name) {
			m := dockerfileEnv.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			pairs := dockerfileEnvPair.FindAllStringSubmatch(m[1], -1)
			if len(pairs) == 0 {
				if f := strings.Fields(m[1]); len(f) == 2 {
					pairs = [][]string{{"", f[0], f[1]}}
				}
			}
			for _, p := range pairs {
				key, value := p[1], strings.Trim(p[2], `"`)
				base := path.Base(value)
				if !reads[key] || seen[key] || dataDirName.MatchString(key) || !path.IsAbs(value) || strings.HasPrefix(value, "/tmp") || base == "/" || base == "." {
					continue
				}
				dirs := r.dirsNamed(base)
				if len(dirs) != 1 {
					continue
				}
				seen[key] = true
				out = append(out, AssetDir{Evidence: Evidence{Value: key, File: name, Line: i + 1,
					Why: "the repository's Dockerfile sets it to " + value + "; " + dirs[0] + " is the one " + base + " directory"}, Dir: dirs[0]})
			}
		}
	}
	return out
}

// dirsNamed are the repository's directories named base, outside
// dependencies, tests and hidden directories, sorted; at most 3.
func (r *repo) dirsNamed(base string) []string {
	var out []string
	_ = filepath.WalkDir(r.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || len(out) > 2 {
			return filepath.SkipDir
		}
		if !d.IsDir() {
			return nil
		}
		if p != r.dir && project.SkipDir(p, d.Name(), true) && d.Name() != base {
			return filepath.SkipDir
		}
		if p != r.dir && d.Name() == base {
			rel, _ := filepath.Rel(r.dir, p)
			out = append(out, filepath.ToSlash(rel))
			return filepath.SkipDir
		}
		return nil
	})
	sort.Strings(out)
	return out
}
