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
	for _, e := range r.dockerfileEnvs() {
		if reads[e.key] && dataDirName.MatchString(e.key) && path.IsAbs(e.value) && !strings.HasPrefix(e.value, "/tmp") {
			return &Evidence{Value: e.key, File: e.file, Line: e.line, Why: "the repository's Dockerfile keeps the app's data in " + e.value}
		}
	}
	return nil
}

// A dockerEnv is a variable the repository's own Dockerfile sets.
type dockerEnv struct {
	key, value string
	file       string
	line       int
}

// dockerfileEnvs are the variables the repository's Dockerfiles set with
// ENV, KEY=VALUE or the old KEY VALUE form, in order.
func (r *repo) dockerfileEnvs() []dockerEnv {
	var out []dockerEnv
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
				out = append(out, dockerEnv{key: p[1], value: strings.Trim(p[2], `"`), file: name, line: i + 1})
			}
		}
	}
	return out
}
