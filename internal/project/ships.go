package project

import (
	"path/filepath"
	"strings"
)

// Ships reports whether a path written relative to dir (a compose
// project's bind-mount source) is something the project holds: a file
// named like a dotfile or path (./nginx.conf), or a directory of its files
// (see ShipsContent).
func (m *Model) Ships(dir, src string) bool {
	if info := m.Stat(filepath.Join(dir, src)); info != nil && info.Mode().IsRegular() {
		return strings.HasPrefix(src, ".")
	}
	return m.ShipsContent(dir, src)
}

// ShipsContent reports whether a path written relative to dir (./prometheus)
// is a directory in which the project ships files of its own,
// configuration, scripts or pages, rather than an empty place a service
// fills with data. Placeholders kept only so that git holds the directory
// (.gitkeep, .gitignore, README) do not count.
func (m *Model) ShipsContent(dir, src string) bool {
	if !strings.HasPrefix(src, "./") && !strings.HasPrefix(src, "../") && src != "." {
		return false
	}
	for _, e := range m.Entries(filepath.Join(dir, src)) {
		name := strings.ToLower(e.Name())
		if name != ".gitkeep" && name != ".keep" && name != ".gitignore" && !strings.HasPrefix(name, "readme") {
			return true
		}
	}
	return false
}
