package generate

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Status is what Write did, or would do, with one file.
type Status string

const (
	Create    Status = "create"
	Overwrite Status = "overwrite"
	Unchanged Status = "unchanged"
	Conflict  Status = "exists" // differs, and --force was not given
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
		switch {
		case err == nil && bytes.Equal(old, []byte(f.Content)):
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
		return fmt.Errorf("%w and differ: %s; nothing was written (use --dry-run to see the differences, --force to overwrite)",
			ErrConflict, strings.Join(conflicts, ", "))
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
