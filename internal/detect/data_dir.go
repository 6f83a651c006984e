package detect

import (
	"path"
	"regexp"
	"strings"
)

var (
	// ENV KEY=VALUE ... or ENV KEY VALUE in a Dockerfile.
	dockerfileEnv     = regexp.MustCompile(`(?i)^\s*ENV\s+(.*)$`)
	dockerfileEnvPair = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S+)`)
	// A variable named for a data directory: SHIORI_DIR, DATA_DIR,
	// APP_DATA_DIR, STORAGE_DIR (not a path to a file, nor a temp dir).
	dataDirName = regexp.MustCompile(`^(?:[A-Z0-9]+_)*(?:DATA_)?DIR$|^(?:[A-Z0-9]+_)*(?:DATA|STORAGE)_(?:DIR|PATH|ROOT)$`)
)

// dataDirVar is the data directory's variable: one the code reads (env)
// whose name says it is a directory and which the repository's own
// Dockerfile sets to an absolute path. That Dockerfile is the evidence
// that the app keeps its data there: run from another directory, shiori
// writes under the home directory and exits `mkdir /.local: read-only
// file system` on a read-only root.
func (r *repo) dataDirVar(env []Evidence) *Evidence {
	reads := map[string]bool{}
	for _, e := range env {
		reads[e.Value] = true
	}
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
				if reads[key] && dataDirName.MatchString(key) && path.IsAbs(value) && !strings.HasPrefix(value, "/tmp") {
					return &Evidence{Value: key, File: name, Line: i + 1, Why: "the repository's Dockerfile keeps the app's data in " + value}
				}
			}
		}
	}
	return nil
}
