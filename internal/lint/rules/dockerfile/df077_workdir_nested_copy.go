package dockerfile

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/project"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF077", Name: "workdir-nested-copy", Severity: lint.Error,
			Summary: "`WORKDIR /app` then `COPY . .` of a context whose code lives in `app/` puts it at /app/app.",
			Rationale: "The command then cannot find its module (`uvicorn main:app` finds no main.py in /app): seed 004 lost hours to " +
				"\"the app directory was being built inside the app directory\".",
			Fix:         "Copy the package directory itself: `COPY app/ .` (or set WORKDIR to the parent and keep the package path in the command).",
			Differences: "No peer has this rule. It reads the build context, so it is only judged when the context is on disk.",
		},
		File: func(r *lint.Report, f *df.File) {
			if !f.ContextKnown() {
				return
			}
			for _, st := range f.Stages {
				workdir := ""
				for _, in := range st.Instructions {
					switch in.Keyword {
					case "WORKDIR":
						if len(in.Args) > 0 {
							dir, _ := in.Expand(in.Args[0])
							workdir = path.Join(workdir, dir)
						}
					case "COPY":
						if workdir == "" || workdir == "/" || len(in.SourcePaths()) != 1 || !isContextRoot(in.SourcePaths()[0]) {
							continue
						}
						if _, from := in.Flag("from"); from {
							continue
						}
						dest, _ := in.Expand(in.Destination())
						if !path.IsAbs(dest) {
							dest = path.Join(workdir, dest)
						}
						if path.Clean(dest) != path.Clean(workdir) {
							continue
						}
						if nested := nestedEntry(r.Model(), f, st, path.Base(workdir)); nested != "" {
							r.Add(in, "COPY . . into WORKDIR %s puts the context's %s/ at %s/%s; %s is not at %s/%s",
								workdir, path.Base(workdir), workdir, path.Base(workdir), nested, workdir, nested)
						}
					}
				}
			}
		},
	})
}

// nestedEntry returns the file the stage's command needs when it exists only
// inside the context directory dir (e.g. main.py in app/), or "".
func nestedEntry(m *project.Model, f *df.File, st *df.Stage, dir string) string {
	sub := filepath.Join(f.ContextDir, dir)
	if !m.IsDir(sub) {
		return ""
	}
	for _, name := range entryFiles(st) {
		if m.Exists(filepath.Join(sub, name)) && !m.Exists(filepath.Join(f.ContextDir, name)) {
			return name
		}
	}
	return ""
}

// entryFiles guesses the files the stage's CMD or ENTRYPOINT loads:
// `uvicorn main:app` needs main.py, `node server.js` needs server.js.
func entryFiles(st *df.Stage) []string {
	var out []string
	for _, kw := range []string{"CMD", "ENTRYPOINT"} {
		in := st.Last(kw)
		if in == nil || in.Script == nil {
			continue
		}
		for _, c := range in.Script.Commands {
			for _, a := range c.Args {
				if strings.HasPrefix(a, "-") {
					continue
				}
				switch {
				case strings.HasSuffix(a, ".py") || strings.HasSuffix(a, ".js") || strings.HasSuffix(a, ".mjs") || strings.HasSuffix(a, ".rb"):
					out = append(out, a)
				case strings.Contains(a, ":") && !strings.Contains(a, "/") && !strings.Contains(a, "="):
					module, _, _ := strings.Cut(a, ":")
					out = append(out, strings.ReplaceAll(module, ".", "/")+".py")
				}
			}
		}
	}
	return out
}
