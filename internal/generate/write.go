package generate

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/source/compose"
	sourcedockerfile "github.com/shipshape/shipshape/internal/source/dockerfile"
)

// Status is what Write did, or would do, with one file.
type Status string

const (
	Create    Status = "create"
	Overwrite Status = "overwrite"
	Unchanged Status = "unchanged"
	Conflict  Status = "exists" // differs, and --force was not given
	// Merge adds what is missing to a file the user wrote and keeps the
	// rest (.env.example's keys); it needs no --force.
	Merge Status = "merged"
)

// Change is one file and what happens to it.
type Change struct {
	File
	Status Status
	Old    string // the current content when the file exists
}

// ErrConflict is returned by Write when files exist with other content and
// force is false; nothing is written then.
var ErrConflict = errors.New("files exist")

// Changes compares files with what dir holds.
func Changes(dir string, files []File, force bool) ([]Change, error) {
	out := make([]Change, 0, len(files))
	for _, f := range files {
		if !filepath.IsLocal(filepath.FromSlash(f.Path)) {
			return nil, fmt.Errorf("%s: not a path inside the repository", f.Path)
		}
		c := Change{File: f, Status: Create}
		old, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		if err == nil && path.Base(f.Path) == ".env.example" {
			if merged := mergeEnv(string(old), f.Content); merged != string(old) {
				c.Content, c.Status, c.Old = merged, Merge, string(old)
			} else {
				c.Content, c.Status, c.Old = merged, Unchanged, string(old)
			}
			out = append(out, c)
			continue
		}
		if err == nil && f.Path == ".dockerignore" {
			c.Content = keepSecretPatterns(string(old), f.Content)
		}
		switch {
		case err == nil && bytes.Equal(old, []byte(c.Content)):
			c.Status, c.Old = Unchanged, string(old)
		case err == nil && force:
			c.Status, c.Old = Overwrite, string(old)
		case err == nil:
			c.Status, c.Old = Conflict, string(old)
		case !errors.Is(err, os.ErrNotExist):
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// notSecret is a kept line's pattern that names a template of a secret,
// not one: .env.example, config.sample.json.
var notSecret = regexp.MustCompile(`(?i)example|sample|template`)

// envExampleException lets .env.example into the build context.
const envExampleException = "!**/.env.example"

// keptMark opens the lines a replaced .dockerignore of the repository's
// gives the new one.
const keptMark = "# Kept from the repository's .dockerignore (shipshape init --force): they keep secrets out."

// keepSecretPatterns is the .dockerignore init writes over one the
// repository holds (--force): the repository's other lines were written
// for its own Dockerfile (memos' keeps out web/, which init's image
// builds), but those that keep a secret out of the image stay, after
// init's patterns and before its exceptions. A file init wrote is
// replaced as it is.
func keepSecretPatterns(old, generated string) string {
	lines := strings.Split(old, "\n")
	if strings.HasPrefix(old, GeneratedIgnoreMark) {
		// init's, with the lines an earlier --force kept: those again.
		k := slices.Index(lines, keptMark)
		if k < 0 {
			return generated
		}
		lines = lines[k+1:]
		if end := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "#") }); end >= 0 {
			lines = lines[:end]
		}
	}
	have := map[string]bool{}
	for _, l := range strings.Split(generated, "\n") {
		have[strings.TrimSpace(l)] = true
	}
	var keep []string
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "#") || strings.HasPrefix(l, "!") || have[l] || !detect.SecretPath.MatchString(l) || notSecret.MatchString(l) {
			continue
		}
		have[l] = true
		keep = append(keep, l)
	}
	if len(keep) == 0 {
		return generated
	}
	// init's exceptions (the certificates the code names, the files the
	// build embeds; not .env.example's, among its patterns) stay last, to
	// win over the kept patterns, with the comment that opens them.
	gen := strings.Split(strings.TrimSuffix(generated, "\n"), "\n")
	tail := len(gen)
	for i, l := range gen {
		if strings.HasPrefix(l, "!") && l != envExampleException {
			tail = i
			if i > 0 && strings.HasPrefix(gen[i-1], "#") {
				tail = i - 1
			}
			break
		}
	}
	out := append(append(append([]string{}, gen[:tail]...), keptMark), keep...)
	// .env* keeps out .env.example too, which holds no secret and which
	// the build may read: init's exception again, after them.
	out = append(out, envExampleException)
	return strings.Join(append(out, gen[tail:]...), "\n") + "\n"
}

// mergeEnv keeps every line of an existing .env.example and appends the
// keys of the generated one it lacks.
func mergeEnv(old, generated string) string {
	have := map[string]bool{}
	for _, line := range strings.Split(old, "\n") {
		if name, _, ok := detect.EnvAssignment(line); ok {
			have[name] = true
		}
	}
	var add []string
	for _, line := range strings.Split(generated, "\n") {
		if name, _, ok := detect.EnvAssignment(line); ok && !have[name] {
			add = append(add, line)
		}
	}
	if len(add) == 0 {
		return old
	}
	if old != "" && !strings.HasSuffix(old, "\n") {
		old += "\n"
	}
	return old + "# Added by shipshape init: the generated compose file needs these.\n" + strings.Join(add, "\n") + "\n"
}

// KeepUserCompose drops the generated compose.yaml when dir already has a
// compose project of the user's (any default name, with or without an
// override file): two files would merge into a project neither describes.
// A compose.yaml that init wrote itself is regenerated as usual. It
// returns the files, the note that says so and the kept file's name.
func KeepUserCompose(dir string, files []File) ([]File, string, string) {
	for _, name := range compose.BaseNames {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || strings.HasPrefix(string(data), "# Generated by shipshape init") {
			continue
		}
		var kept []File
		dockerfile := ""
		for _, f := range files {
			if f.Path != "compose.yaml" {
				kept = append(kept, f)
			}
			if f.Path == "Dockerfile" {
				dockerfile = f.Content
			}
		}
		note := fmt.Sprintf("%s is the repository's own compose project: left alone, no compose.yaml written "+
			"(compare it with `shipshape init --dry-run --only compose` in an empty copy, and run `shipshape check %s`)", name, name)
		return kept, note + missingTargets(dir, name, dockerfile), name
	}
	return files, "", ""
}

// missingTargets says which services of the user's compose file build,
// from dir's Dockerfile, a target stage the generated Dockerfile lacks:
// docker/awesome-compose's flask-redis builds `target: builder`, which
// the Dockerfile init writes does not have, so `docker compose build`
// stops (XF014 says so in check).
func missingTargets(dir, name, dockerfile string) string {
	if dockerfile == "" {
		return ""
	}
	// Absolute, as compose resolves build contexts.
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	p, err := compose.Load(context.Background(), compose.Options{Files: []string{filepath.Join(dir, name)}})
	if err != nil {
		return ""
	}
	f, err := sourcedockerfile.Parse([]byte(dockerfile), sourcedockerfile.Options{Path: "Dockerfile"})
	if err != nil {
		return ""
	}
	var names []string
	for _, st := range f.Stages {
		if st.Name != "" {
			names = append(names, st.Name)
		}
	}
	var out []string
	for _, svc := range p.ServiceNames() {
		s, _ := p.Service(svc)
		if s.Build == nil {
			continue
		}
		build, ok := p.BuildFile(s)
		if !ok || build.Target == "" || f.StageByName(build.Target) != nil ||
			filepath.Clean(build.Path) != filepath.Join(dir, "Dockerfile") {
			continue
		}
		at := name
		if pos, ok := p.Locate("services", svc, "build", "target"); ok {
			at = fmt.Sprintf("%s:%d", name, pos.Line)
		}
		out = append(out, fmt.Sprintf("%s builds target %q (%s), which the new Dockerfile lacks (its stages: %s, and the runtime last): "+
			"`docker compose build` stops until the target names one of them or is dropped", svc, build.Target, at, strings.Join(names, ", ")))
	}
	if len(out) == 0 {
		return ""
	}
	return "; but its service " + strings.Join(out, "; ")
}

// Artifacts are what --only picks from, and the files each one is.
var Artifacts = []string{"dockerfile", "compose", "kubernetes", "proxy", "ci"}

// Only keeps the files of the named artifacts.
func Only(files []File, artifacts []string) ([]File, error) {
	if len(artifacts) == 0 {
		return files, nil
	}
	want := map[string]bool{}
	for _, a := range artifacts {
		if !slices.Contains(Artifacts, a) {
			return nil, fmt.Errorf("--only %s: not an artifact; one of %s", a, strings.Join(Artifacts, ", "))
		}
		want[a] = true
	}
	var out []File
	for _, f := range files {
		if want[artifactOf(f.Path)] {
			out = append(out, f)
		}
	}
	return out, nil
}

func artifactOf(p string) string {
	switch base := path.Base(p); {
	case base == "Dockerfile" || base == ".dockerignore" || base == "requirements.txt":
		return "dockerfile"
	case base == "compose.yaml" || base == ".env.example":
		return "compose"
	case strings.HasPrefix(p, "deploy/k8s/") || strings.HasPrefix(p, "deploy/helm/"):
		return "kubernetes"
	case strings.HasPrefix(p, "deploy/proxy/"):
		return "proxy"
	case strings.HasPrefix(p, ".github/") || strings.HasPrefix(p, ".forgejo/"):
		return "ci"
	}
	return ""
}

// Write writes every changed file under dir or none: each goes to a
// temporary file beside its target first, and only when all are written
// are they renamed into place. If a rename fails, the files already
// replaced are restored and the created ones removed.
func Write(dir string, changes []Change) error {
	var conflicts []string
	for _, c := range changes {
		if c.Status == Conflict {
			conflicts = append(conflicts, c.Path)
		}
	}
	if len(conflicts) > 0 {
		sort.Strings(conflicts)
		hint := ""
		if slices.Contains(conflicts, "Dockerfile") {
			// Four of ten repositories in a trial had their own; the user
			// may want that one proved, not replaced.
			hint = "; to prove the repository's own Dockerfile as it is instead, shipshape build the directory, then shipshape verify the image it prints"
		}
		return fmt.Errorf("%w and differ: %s; nothing was written (use --dry-run to see the differences, --force to overwrite%s)",
			ErrConflict, strings.Join(conflicts, ", "), hint)
	}
	var done []staged
	var madeDirs []string
	cleanup := func() {
		for _, s := range done {
			os.Remove(s.tmp)
		}
		for i := len(madeDirs) - 1; i >= 0; i-- {
			os.Remove(madeDirs[i]) // only if still empty
		}
	}
	for _, c := range changes {
		if c.Status == Unchanged {
			continue
		}
		target := filepath.Join(dir, filepath.FromSlash(c.Path))
		made, err := mkdirAll(filepath.Dir(target))
		madeDirs = append(madeDirs, made...)
		if err != nil {
			cleanup()
			return err
		}
		tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".shipshape-*")
		if err != nil {
			cleanup()
			return err
		}
		done = append(done, staged{tmp: tmp.Name(), target: target})
		_, werr := tmp.WriteString(c.Content)
		if cerr := tmp.Close(); werr == nil {
			werr = cerr
		}
		if werr == nil {
			werr = os.Chmod(tmp.Name(), 0o644)
		}
		if werr != nil {
			cleanup()
			return fmt.Errorf("%s: %w", c.Path, werr)
		}
	}
	// Commit: back up what is overwritten, then rename.
	for i := range done {
		s := &done[i]
		if _, err := os.Lstat(s.target); err == nil {
			s.backup = s.tmp + ".old"
			if err := os.Rename(s.target, s.backup); err != nil {
				rollback(done[:i+1])
				cleanup()
				return err
			}
		}
		if err := os.Rename(s.tmp, s.target); err != nil {
			rollback(done[:i+1])
			cleanup()
			return err
		}
	}
	for _, s := range done {
		if s.backup != "" {
			os.Remove(s.backup)
		}
	}
	return nil
}

// staged is a file written to tmp, to be renamed to target; backup holds
// what target was while the commit runs.
type staged struct {
	tmp, target, backup string
}

// rollback undoes renames: targets that had a backup get it back, new
// ones are removed.
func rollback(done []staged) {
	for i := len(done) - 1; i >= 0; i-- {
		s := done[i]
		if s.backup != "" {
			os.Rename(s.backup, s.target)
		} else if _, err := os.Stat(s.tmp); err != nil { // renamed into place
			os.Remove(s.target)
		}
	}
}

// mkdirAll creates dir and its missing parents, returning those it created.
func mkdirAll(dir string) ([]string, error) {
	var missing []string
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(d); err == nil {
			break
		}
		missing = append(missing, d)
		if filepath.Dir(d) == d {
			break
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for i, j := 0, len(missing)-1; i < j; i, j = i+1, j-1 {
		missing[i], missing[j] = missing[j], missing[i]
	}
	return missing, nil
}
