package bounds

import (
	"os"
	"path/filepath"
)

// Upward calls visit with dir and then with each directory above it, and
// stops when visit returns true, after the repository's root (the first
// directory holding .git) or the file system's root, or after levels
// directories (0: no limit). Every lookup that climbs from a file to find
// what belongs with it (a config, a Dockerfile, workflows) goes no further
// than its repository, so a tree checked without its .git cannot reach the
// files of whatever project holds it beyond levels.
func Upward(dir string, levels int, visit func(dir string) (stop bool)) {
	for d, i := dir, 0; levels == 0 || i < levels; d, i = filepath.Dir(d), i+1 {
		if visit(d) {
			return
		}
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil || filepath.Dir(d) == d {
			return
		}
	}
}
