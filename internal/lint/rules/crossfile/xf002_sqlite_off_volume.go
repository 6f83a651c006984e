package crossfile

import (
	"path"
	"regexp"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "XF002", Name: "sqlite-off-volume", Severity: lint.Error,
			Summary: "A SQLite database URL points outside every volume the service mounts.",
			Rationale: "`sqlite:///data/app.db` (three slashes) is the relative path data/app.db under the WORKDIR, not /data: the database " +
				"is written into the container's layer and is lost with the next deploy, while the mounted /data volume stays empty (seed 002).",
			Fix: "Use four slashes for an absolute path on the volume: `sqlite:////data/app.db`, or mount the volume where the relative path lands.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			mounts := volumeTargets(s)
			wd := "/"
			if f, ok := dockerfileOf(p, s); ok {
				wd = workdir(f)
			}
			for _, item := range p.Items("services", name, "environment") {
				key, value := item.Key, item.Node.Value
				if key == "" {
					key, value, _ = strings.Cut(item.Node.Value, "=")
				}
				m := sqliteURL.FindStringSubmatch(value)
				if m == nil || strings.Contains(m[1], "$") {
					continue
				}
				file := m[1]
				if !strings.HasPrefix(file, "/") {
					file = path.Join(wd, file)
				}
				if !underAny(file, mounts) && len(mounts) > 0 {
					r.AddPos(item.Pos, "%s puts the SQLite database at %s, outside the mounted %s; it is lost with the container", key, file, strings.Join(mounts, ", "))
				}
			}
		},
	})
}

// sqliteURL captures the path of sqlite:///relative or sqlite:////absolute.
var sqliteURL = regexp.MustCompile(`^sqlite(?:\+\w+)?:///(/?[^?]+)`)

func volumeTargets(s types.ServiceConfig) []string {
	var out []string
	for _, v := range s.Volumes {
		if v.Target != "" {
			out = append(out, path.Clean(v.Target))
		}
	}
	return out
}

func underAny(file string, dirs []string) bool {
	for _, d := range dirs {
		if file == d || strings.HasPrefix(file, strings.TrimSuffix(d, "/")+"/") {
			return true
		}
	}
	return false
}
