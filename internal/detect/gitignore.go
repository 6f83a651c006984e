package detect

import (
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/source/bounds"
	"github.com/shipshape/shipshape/internal/source/ignorefile"
)

// gitignores is what git ignores in the service's directory: the
// .gitignore files from the repository's root down to the service (and
// .git/info/exclude), and those of the directories inside it, read as
// they are asked for.
type gitignores struct {
	prefix string           // the service's directory from the repository's root, "" at the root
	outer  ignorefile.Stack // the root's down to the service's own, the lowest first
	inner  map[string]*ignorefile.List
}

// gitIgnored reports whether git ignores p, a path in the service's
// directory, or a directory above it: by every .gitignore from the
// repository's root down to p's directory, and .git/info/exclude, as git
// reads them. Outside a git repository, the service's own .gitignore
// files count.
func (r *repo) gitIgnored(p string) bool {
	if r.gitignore == nil {
		r.gitignore = r.readGitignores()
	}
	g := r.gitignore
	p = path.Clean(p)
	for q, dir := p, isDir(r.dir, p); q != "." && q != "" && q != "/" && !strings.HasPrefix(q, ".."); q, dir = path.Dir(q), true {
		lists := g.outer
		// The lists of the directories between the service's and q, the
		// deepest last: Stack lets the deepest that has a say decide.
		var inner []*ignorefile.List
		for d := path.Dir(q); d != "." && d != "/"; d = path.Dir(d) {
			if l := g.list(r, d); l != nil {
				inner = append([]*ignorefile.List{l}, inner...)
			}
		}
		if len(inner) > 0 {
			lists = append(lists[:len(lists):len(lists)], inner...)
		}
		if lists.Ignored(path.Join(g.prefix, q), dir) {
			return true
		}
	}
	return false
}

// list is dir's own .gitignore (dir inside the service), once read.
func (g *gitignores) list(r *repo, dir string) *ignorefile.List {
	l, ok := g.inner[dir]
	if !ok {
		if lines := r.read(dir + "/.gitignore"); lines != nil {
			l = ignorefile.Parse(path.Join(g.prefix, dir), []byte(strings.Join(lines, "\n")), ignorefile.Gitignore)
		}
		g.inner[dir] = l
	}
	return l
}

// readGitignores finds the repository's root above the service's
// directory (at most 16 levels up) and reads the lists that apply to the
// whole service.
func (r *repo) readGitignores() *gitignores {
	g := &gitignores{inner: map[string]*ignorefile.List{}}
	dir, err := filepath.Abs(r.dir)
	if err != nil {
		return g
	}
	type found struct{ dir, data string }
	var files []found // the service's own first, then upwards
	root, inGit := dir, false
	bounds.Upward(dir, 16, func(d string) bool {
		if data, ok := readSmall(filepath.Join(d, ".gitignore")); ok {
			files = append(files, found{d, data})
		}
		if inGit = exists(d, ".git"); inGit {
			root = d
			if data, ok := readSmall(filepath.Join(d, ".git", "info", "exclude")); ok {
				files = append(files, found{d, data})
			}
		}
		return inGit
	})
	if !inGit { // not in git: the service's own .gitignore only
		root, files = dir, slices.DeleteFunc(files, func(f found) bool { return f.dir != dir })
	}
	if rel, err := filepath.Rel(root, dir); err == nil && rel != "." {
		g.prefix = filepath.ToSlash(rel)
	}
	for i := len(files) - 1; i >= 0; i-- {
		base, _ := filepath.Rel(root, files[i].dir)
		if base == "." {
			base = ""
		}
		g.outer = append(g.outer, ignorefile.Parse(filepath.ToSlash(base), []byte(files[i].data), ignorefile.Gitignore))
	}
	return g
}

// readSmall is a file's content when it is there and no larger than the
// files detection reads.
func readSmall(file string) (string, bool) {
	st, err := os.Stat(file)
	if err != nil || st.Size() > maxFileSize {
		return "", false
	}
	data, err := os.ReadFile(file)
	return string(data), err == nil
}
