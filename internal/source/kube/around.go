package kube

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/shipshape/shipshape/internal/source"
)

// The manifests around a group. check groups plain manifests by directory,
// but a project often splits one app over directories: the Deployment at
// the top, its HorizontalPodAutoscaler in hpa/, its Services in a sibling.
// A reference that leaves the directory is not dangling if it lands there.

// maxAroundFiles and maxAroundFileSize bound what is read around a group.
const (
	maxAroundFiles    = 200
	maxAroundFileSize = 1 << 20
)

type around struct {
	once sync.Once
	dirs []string // the group's directories; none for charts and kustomizations
	root string   // read nothing outside it, when set
	set  *Set
}

// Around returns the objects written in the manifests next to the group's
// directory: the directory above it, its sibling directories, and its own
// subdirectories. They are read once, the first time a rule asks; files
// that do not load are left out (they are reported on their own). Charts
// and kustomizations are built whole, so they have nothing around them.
func (s *Set) Around() *Set {
	s.around.once.Do(func() {
		s.around.set = loadAround(s.around.dirs, s.around.root, s.files)
	})
	return s.around.set
}

func loadAround(dirs []string, root string, own map[string][]string) *Set {
	seen := map[string]bool{}
	var files []string
	addDir := func(dir string) {
		if seen[dir] || !within(root, dir) {
			return
		}
		seen[dir] = true
		entries, err := os.ReadDir(dir)
		if err != nil {
			return
		}
		for _, e := range entries {
			p := filepath.Join(dir, e.Name())
			if _, mine := own[p]; mine || !e.Type().IsRegular() || !isYAMLName(e.Name()) {
				continue
			}
			if info, err := e.Info(); err != nil || info.Size() > maxAroundFileSize {
				continue
			}
			if data, err := os.ReadFile(p); err == nil && source.HoldsManifests(data) {
				files = append(files, p)
			}
		}
	}
	subdirs := func(dir string) []string {
		var out []string
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if e.IsDir() && !strings.HasPrefix(e.Name(), ".") && e.Name() != "node_modules" && e.Name() != "vendor" {
				out = append(out, filepath.Join(dir, e.Name()))
			}
		}
		return out
	}
	for _, dir := range dirs {
		parent := filepath.Dir(dir)
		if parent != dir {
			addDir(parent)
			for _, sib := range subdirs(parent) {
				addDir(sib)
			}
		}
		for _, sub := range subdirs(dir) {
			addDir(sub)
		}
	}
	sort.Strings(files)
	if len(files) > maxAroundFiles {
		files = files[:maxAroundFiles]
	}
	set, _ := Load(files, Options{})
	return set
}

// within reports whether dir is root or below it ("" is everywhere).
func within(root, dir string) bool {
	if root == "" {
		return true
	}
	rel, err := filepath.Rel(root, dir)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func isYAMLName(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}
