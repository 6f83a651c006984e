package lint

import (
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/shipshape/shipshape/internal/source/ignorefile"
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

// Discover lists the Dockerfiles under the given paths. A path naming a file
// is taken as it is; directories are walked, skipping vendor/, node_modules/
// and what .gitignore files ignore.
func Discover(paths []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, root := range paths {
		info, err := os.Stat(root)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			add(root)
			continue
		}
		if err := walk(root, add); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func walk(root string, add func(string)) error {
	var ignores ignorefile.Stack
	if data, err := os.ReadFile(filepath.Join(root, ".gitignore")); err == nil {
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
			if data, err := os.ReadFile(filepath.Join(p, ".gitignore")); err == nil {
				ignores = append(ignores, ignorefile.Parse(rel, data, ignorefile.Gitignore))
			}
			return nil
		}
		if IsDockerfileName(d.Name()) && d.Type().IsRegular() && !ignores.Ignored(rel, false) {
			add(p)
		}
		return nil
	})
}
