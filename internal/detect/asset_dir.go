package detect

import (
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
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
// by its name. Data directories are dataDirVar's, not these: one named so,
// or one the Dockerfile makes a VOLUME.
func (r *repo) assetDirs(env []Evidence) []AssetDir {
	reads := map[string]bool{}
	for _, e := range env {
		reads[e.Value] = true
	}
	var out []AssetDir
	seen := map[string]bool{}
	for _, e := range r.dockerfileEnvs() {
		base := path.Base(e.value)
		if !reads[e.key] || seen[e.key] || dataDirName.MatchString(e.key) || e.volume || !path.IsAbs(e.value) || strings.HasPrefix(e.value, "/tmp") || base == "/" || base == "." ||
			programPath.MatchString(e.value) || programVar.MatchString(e.key) {
			// gotenberg's PDFTK_BIN_PATH=/usr/bin/pdftk names a program the
			// image installs, not its pkg/modules/pdftk.
			continue
		}
		dirs := r.dirsNamed(base)
		if len(dirs) != 1 {
			continue
		}
		seen[e.key] = true
		out = append(out, AssetDir{Evidence: Evidence{Value: e.key, File: e.file, Line: e.line,
			Why: "the repository's Dockerfile sets it to " + e.value + "; " + dirs[0] + " is the one " + base + " directory"}, Dir: dirs[0]})
	}
	return out
}

var (
	// programPath is a path in a directory of programs.
	programPath = regexp.MustCompile(`^/(?:usr/(?:local/)?)?s?bin/`)
	// programVar is a variable named for a program's path.
	programVar = regexp.MustCompile(`(?:^|_)(?:BIN|BINARY|EXE|EXECUTABLE|CMD|COMMAND)(?:_PATH)?$`)
)

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

// codeBaseVar is a variable the code reads with no default and puts
// before a path of its own: testdrivenio/flask-on-docker's
// f"{os.getenv('APP_FOLDER')}/project/static", os.path.join(
// os.environ['APP_HOME'], 'media'), path.join(process.env.APP_ROOT,
// 'public'), `${process.env.APP_ROOT}/views`. The groups: the variable
// and the path, in one of the forms.
var codeBaseVar = regexp.MustCompile(`\{os\.(?:getenv|environ\.get)\(\s*['"](\w+)['"]\s*\)\}/([\w./-]+)` +
	`|os\.path\.join\(\s*os\.(?:getenv\(|environ\.get\(|environ\[)\s*['"](\w+)['"]\s*[)\]]\s*,\s*['"]([\w./-]+)['"]` +
	`|path\.(?:join|resolve)\(\s*process\.env\.(\w+)\s*,\s*['"` + "`" + `]([\w./-]+)['"` + "`" + `]` +
	"|`\\$\\{process\\.env\\.(\\w+)\\}/([\\w./-]+)")

// codeSetsVar is code that sets a variable of its own environment:
// process.env.APP_ROOT = ..., os.environ['APP_HOME'] = ....
var codeSetsVar = regexp.MustCompile(`\bprocess\.env\.(\w+)\s*=[^=]|\bos\.environ\[\s*['"](\w+)['"]\s*\]\s*=[^=]`)

// codeBaseDirs are the variables the app's code reads as the directory
// its own files are under (codeBaseVar), where the path after it is one
// the repository holds: the image sets each to /app, where the files
// are. Unset, flask-on-docker's uploads went to 'None/project/media'
// (FileNotFoundError, 500): its compose files set APP_FOLDER outside the
// service's directory. Not a variable the repository's Dockerfile sets
// (assetDirs), nor one read with a default.
func (r *repo) codeBaseDirs(s *Stack) []AssetDir {
	var out []AssetDir
	seen := map[string]bool{}
	for _, a := range s.AssetDirs {
		seen[a.Value] = true
	}
	exts := langExts[s.Language]
	var files []string
	for _, f := range r.codeFiles() {
		if exts[path.Ext(f)] && !devPath(f) {
			files = append(files, f)
		}
	}
	// A variable the code sets itself is no setting of the deployment's:
	// the electron-vite templates' process.env.APP_ROOT = path.join(
	// __dirname, '..'), then path.join(process.env.APP_ROOT, 'dist').
	for _, f := range files {
		for _, line := range r.read(f) {
			if m := codeSetsVar.FindStringSubmatch(line); m != nil {
				seen[m[1]+m[2]] = true
			}
		}
	}
	for _, f := range files {
		for i, line := range r.read(f) {
			if isComment(line) {
				continue
			}
			for _, m := range codeBaseVar.FindAllStringSubmatch(line, -1) {
				name, rel := firstPair(m[1:])
				top, _, _ := strings.Cut(path.Clean(rel), "/")
				if name == "" || seen[name] || top == ".." || top == "." || !exists(r.dir, top) || dataDirName.MatchString(name) {
					continue
				}
				seen[name] = true
				out = append(out, AssetDir{Evidence: Evidence{Value: name, File: f, Line: i + 1,
					Why: "the code puts it before " + rel + ", a path of the repository's, and reads it with no default"}, Dir: "."})
			}
		}
	}
	return out
}

// firstPair is the first pair of groups that matched, of the pairs in m.
func firstPair(m []string) (string, string) {
	for i := 0; i+1 < len(m); i += 2 {
		if m[i] != "" {
			return m[i], m[i+1]
		}
	}
	return "", ""
}
