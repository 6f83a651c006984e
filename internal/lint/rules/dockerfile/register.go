package dockerfile

import (
	"embed"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
)

//go:embed all:testdata
var fixtures embed.FS

// register adds a rule, with its examples taken from its fixtures.
func register(r *lint.DockerfileRule) {
	r.Area = lint.AreaDockerfile
	r.Bad = example(r.ID, "fire")
	r.Good = example(r.ID, "nofire")
	lint.Register(r)
}

// example returns the first fixture of a kind, without its "# want" line.
func example(id, kind string) string {
	entries, err := fs.ReadDir(fixtures, "testdata/"+id)
	if err != nil {
		return ""
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	for _, e := range entries {
		if !strings.HasPrefix(e.Name(), kind) || (kind == "fire" && strings.HasPrefix(e.Name(), "nofire")) {
			continue
		}
		p := path.Join("testdata", id, e.Name())
		if e.IsDir() {
			p = path.Join(p, "Dockerfile")
		}
		data, err := fixtures.ReadFile(p)
		if err != nil {
			continue
		}
		var keep []string
		for _, line := range strings.Split(strings.TrimRight(string(data), "\n"), "\n") {
			if !strings.HasPrefix(line, "# want:") {
				keep = append(keep, line)
			}
		}
		return strings.Join(keep, "\n") + "\n"
	}
	return ""
}
