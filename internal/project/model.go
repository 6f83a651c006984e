package project

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/shipshape/shipshape/internal/source/bounds"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
	"github.com/shipshape/shipshape/internal/source/ignorefile"
	"github.com/shipshape/shipshape/internal/source/nginx"
	"github.com/shipshape/shipshape/internal/source/workflow"
)

// Model is what one check knows of the project around the file a rule
// judges: the files beside it (a service's Dockerfile, the workflows that
// build its image, the nginx configs in front of it, the scripts its
// command runs), each read and parsed once, and the facts of the code in
// a build context. check makes one for its whole run and hands it to every
// rule; rules ask it and never read the disk themselves.
//
// Every answer is computed the first time it is asked for and kept for the
// rest of the check: a build context's code is scanned once however many
// services and manifests run it, and only when a rule asks. A Model is
// safe for concurrent use.
type Model struct {
	files       memo[string, *file]
	infos       memo[string, fs.FileInfo]
	dirs        memo[string, []fs.DirEntry]
	dockerfiles memo[dockerfileKey, *dockerfile.File]
	nearest     memo[string, *dockerfile.File]
	ignores     memo[[2]string, *ignorefile.List]
	workflows   memo[string, *workflow.Workflow]
	above       memo[string, []string]
	nginx       memo[string, *nginx.Config]
	apps        memo[string, *App]
	launches    memo[[2]string, Launch]
	proxies     memo[string, []Proxy]
}

// NewModel returns an empty model: it reads what its first questions need.
func NewModel() *Model { return &Model{} }

// memo computes a value once per key and keeps it.
type memo[K comparable, V any] struct {
	mu sync.Mutex
	m  map[K]*memoEntry[V]
}

type memoEntry[V any] struct {
	once sync.Once
	v    V
}

func (c *memo[K, V]) get(k K, compute func() V) V {
	c.mu.Lock()
	if c.m == nil {
		c.m = map[K]*memoEntry[V]{}
	}
	e := c.m[k]
	if e == nil {
		e = &memoEntry[V]{}
		c.m[k] = e
	}
	c.mu.Unlock()
	e.once.Do(func() { e.v = compute() })
	return e.v
}

// file is a file as the model read it.
type file struct {
	data  []byte
	err   error
	lines []string
}

func (m *Model) file(path string) *file {
	return m.files.get(filepath.Clean(path), func() *file {
		data, err := bounds.ReadFile(path)
		f := &file{data: data, err: err}
		if err == nil {
			f.lines = strings.Split(string(data), "\n")
		}
		return f
	})
}

// File returns a file's bytes, read once and within bounds.MaxFileSize.
func (m *Model) File(path string) ([]byte, error) {
	f := m.file(path)
	return f.data, f.err
}

// Line returns line n of a file, "" when there is none.
func (m *Model) Line(path string, n int) string {
	lines := m.file(path).lines
	if n < 1 || n > len(lines) {
		return ""
	}
	return strings.TrimRight(lines[n-1], "\r")
}

// CommentsAbove returns the # comments directly above line n of a file,
// nearest first, without their #.
func (m *Model) CommentsAbove(path string, n int) []string {
	lines := m.file(path).lines
	var out []string
	for l := n - 1; l >= 1 && l <= len(lines); l-- {
		t := strings.TrimSpace(lines[l-1])
		if !strings.HasPrefix(t, "#") {
			break
		}
		out = append(out, strings.TrimSpace(t[1:]))
	}
	return out
}

// Stat describes the file or directory at path, nil when there is none.
func (m *Model) Stat(path string) fs.FileInfo {
	return m.infos.get(filepath.Clean(path), func() fs.FileInfo {
		info, err := os.Stat(path)
		if err != nil {
			return nil
		}
		return info
	})
}

// Exists reports whether there is a file or directory at path.
func (m *Model) Exists(path string) bool { return m.Stat(path) != nil }

// IsDir reports whether path is a directory.
func (m *Model) IsDir(path string) bool {
	info := m.Stat(path)
	return info != nil && info.IsDir()
}

// Entries lists a directory, sorted by name; nil when it cannot be read.
func (m *Model) Entries(dir string) []fs.DirEntry {
	return m.dirs.get(filepath.Clean(dir), func() []fs.DirEntry {
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil
		}
		return entries
	})
}
