package crossfile

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/lint/baseimage"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	registerDockerfile(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "XF015", Name: "program-not-in-runtime", Severity: lint.Error,
			Summary: "The code runs a program (git, ffmpeg, pg_dump) by name, and the final stage is distroless or scratch, which holds none.",
			Rationale: "The image starts and passes its health check, then the first request that needs the program fails " +
				"(`exec: \"git\": executable file not found in $PATH`, `spawn ffmpeg ENOENT`): opengist runs git for every gist.",
			Fix: "Build the final stage on an image with a package manager (Debian slim) and install the package that holds the program " +
				"(`apt-get install --no-install-recommends git`); `shipshape init` writes that when it finds the call.",
			Differences: "The code is read as init reads it: Go's os/exec calls with a literal program, Node's child_process and execa, " +
				"Python's subprocess, os.system and shutil.which, Rust's Command::new, a command held in a variable of the same file, " +
				"and libraries that run a program themselves (simple-git, fluent-ffmpeg, pydub, pdf2image). Desktop helpers " +
				"(xdg-open), paths into the repository and git reading the repository's own commit are not programs. A Dockerfile that " +
				"builds one Go package is judged by the calls of the packages it imports; a program the final stage copies in counts as held.",
		},
		File: func(r *lint.Report, f *df.File) {
			final := f.FinalStage()
			if final == nil || !f.ContextKnown() {
				return
			}
			family := baseimage.StageFamily(final)
			if family != baseimage.Distroless && family != baseimage.Scratch {
				return
			}
			m := r.Model()
			programs := builtEvidence(f, m.App(f.ContextDir).Programs)
			copied := copiedNames(final)
			for _, e := range programs {
				if copied[e.Value] || ownRuntimeProgram(final, e.Value) {
					continue
				}
				rel, _ := filepath.Rel(f.ContextDir, e.File)
				base := final.Root().Written
				if img := final.Root(); img.Resolved && img.Name != "" {
					base = img.Name // ${RUNTIME_IMAGE} resolved to its default
				}
				r.Add(final.Instructions[0], "the code runs %s (%s:%d), but the final stage is %s (%s), which holds no programs: "+
					"build it on Debian slim and install the package that provides %s",
					e.Value, filepath.ToSlash(rel), e.Line, family, base, e.Value)
				return // one finding a Dockerfile: the fix is one change of base
			}
		},
	})
}

// copiedNames are the base names of what the stage copies in (COPY
// --from=build /usr/bin/git /usr/bin/git): a program copied is held.
func copiedNames(st *df.Stage) map[string]bool {
	out := map[string]bool{}
	for _, s := range st.Chain() {
		for _, in := range s.All("COPY") {
			for _, a := range in.Args {
				if !strings.HasPrefix(a, "--") {
					out[path.Base(a)] = true
				}
			}
		}
	}
	return out
}

// ownRuntimeProgram reports whether a distroless language runtime holds
// the program on its PATH: python3 in distroless/python3 (/usr/bin). Node's
// is /nodejs/bin/node, on no PATH, as init's generator has it.
func ownRuntimeProgram(st *df.Stage, program string) bool {
	return strings.Contains(st.Root().Repository, "python3") && program == "python3"
}
