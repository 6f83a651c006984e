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
			Differences: "Any variable holding a SQLite URL counts, in compose's environment (a `${VAR:-default}` by its default) or the image's ENV. " +
				"The working directory is the WORKDIR of the Dockerfile the image is built from (its build section, the CI workflow that builds " +
				"the image, or the repository's Dockerfile); when none is found, a relative path beside a volume is reported all the same.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			mounts := volumeTargets(s)
			if len(mounts) == 0 {
				return
			}
			f, known := dockerfileOf(r.Model(), p, s)
			wd := ""
			if known {
				wd = workdir(f)
			}
			judge := func(key, value string, report func(format string, args ...any)) {
				m := sqliteURL.FindStringSubmatch(value)
				if m == nil || strings.Contains(m[1], "$") {
					return
				}
				file := m[1]
				switch {
				case strings.HasPrefix(file, "/"):
				case wd == "":
					report("%s is the relative path %s (three slashes) under a working directory this project does not show, not on the mounted %s; "+
						"use four slashes for an absolute path", key, file, strings.Join(mounts, ", "))
					return
				default:
					file = path.Join(wd, file)
				}
				if !underAny(file, mounts) {
					report("%s puts the SQLite database at %s, outside the mounted %s; it is lost with the container", key, file, strings.Join(mounts, ", "))
				}
			}
			written := map[string]bool{}
			for _, item := range p.Items("services", name, "environment") {
				key, value := item.Key, item.Node.Value
				if key == "" {
					key, value, _ = strings.Cut(item.Node.Value, "=")
				}
				written[key] = true
				if strings.Contains(value, "$") {
					if v := s.Environment[key]; v != nil {
						value = *v // ${DB_URL:-sqlite:///...} by its default or the .env file's value
					}
				}
				judge(key, value, func(format string, args ...any) { r.AddPos(item.Pos, format, args...) })
			}
			if !known || f.FinalStage() == nil {
				return
			}
			for _, st := range f.FinalStage().Chain() {
				for _, in := range st.All("ENV") {
					for _, kv := range in.Pairs {
						if written[kv.Key] {
							continue // compose's value wins
						}
						judge(kv.Key, kv.Value, func(format string, args ...any) {
							r.AddFile(f.Path, in.Line, 1, format+" (the volume is mounted by service "+name+")", args...)
						})
					}
				}
			}
		},
	})
}

// sqliteURL captures the path of sqlite:///relative or sqlite:////absolute.
var sqliteURL = regexp.MustCompile(`^sqlite(?:3)?(?:\+\w+)?:///(/?[^?]+)`)

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
