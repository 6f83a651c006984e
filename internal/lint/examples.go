package lint

import (
	"io/fs"
	"path"
	"sort"
	"strings"
)

// fixtureMainFiles are the files a fixture directory is about, in the order
// they are shown as an example.
var fixtureMainFiles = []string{"Dockerfile", "Containerfile", "compose.yaml", "docker-compose.yml", "compose.override.yaml", "compose.prod.yaml", "nginx.conf", "Caddyfile", ".github/workflows/ci.yml"}

// Examples returns a rule's bad and good examples from its fixtures in fsys:
// the first testdata/<ID>/fire* and nofire* entries, without "# want:" lines.
// A fixture directory shows its Dockerfile or compose files.
func Examples(fsys fs.FS, id string) (bad, good string) {
	return example(fsys, id, "fire"), example(fsys, id, "nofire")
}

func example(fsys fs.FS, id, kind string) string {
	dir := path.Join("testdata", id)
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return ""
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), kind) || (kind == "fire" && strings.HasPrefix(e.Name(), "nofire")) {
			continue
		}
		p := path.Join(dir, e.Name())
		if !e.IsDir() {
			if data, err := fs.ReadFile(fsys, p); err == nil {
				return withoutWant(string(data))
			}
			continue
		}
		var parts []string
		for _, name := range fixtureMainFiles {
			data, err := fs.ReadFile(fsys, path.Join(p, name))
			if err != nil {
				continue
			}
			text := withoutWant(string(data))
			if len(parts) > 0 || strings.HasPrefix(name, "compose.") && name != "compose.yaml" || strings.Contains(name, "/") {
				text = "# " + name + "\n" + text
			}
			parts = append(parts, text)
		}
		if len(parts) > 0 {
			return strings.Join(parts, "\n")
		}
	}
	return ""
}

func withoutWant(s string) string {
	var keep []string
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		if !strings.HasPrefix(line, "# want:") {
			keep = append(keep, line)
		}
	}
	return strings.Join(keep, "\n") + "\n"
}
