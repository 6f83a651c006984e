package dockerfile

import (
	"path"
	"path/filepath"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/lint/credential"
	"github.com/shipshape/shipshape/internal/project"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF073", Name: "secret-file-copied", Severity: lint.Error,
			Summary: "COPY or ADD puts a credentials file into the image: .env, private keys, .npmrc (unless it holds settings alone), .netrc, credentials.json, " +
				"or a whole context whose .env is not in .dockerignore.",
			Rationale:   "Every layer is readable by whoever pulls the image; deleting the file in a later RUN does not remove it from the layer.",
			Fix:         "Add the file to .dockerignore, pass configuration at run time, and use `RUN --mount=type=secret` for build-time credentials.",
			Differences: "No hadolint rule. When the build context is on disk, `COPY . .` is checked against the context and its .dockerignore.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if (in.Keyword != "COPY" && in.Keyword != "ADD") || len(in.Heredocs) > 0 {
				return
			}
			if _, fromStage := in.Flag("from"); fromStage {
				return
			}
			for _, src := range in.SourcePaths() {
				if secretFile(src) && !settingsOnly(r.Model(), r.File(), src) {
					r.Add(in, "%s copies the credentials file %q into the image", in.Keyword, src)
					return
				}
				if isContextRoot(src) {
					if leaked := unignoredSecrets(r.Model(), r.File()); len(leaked) > 0 {
						r.Add(in, "%s %s copies %s, which .dockerignore does not exclude", in.Keyword, src, strings.Join(leaked, ", "))
						return
					}
				}
			}
		},
	})
}

// settingsOnly reports whether src, in a build context on disk, is an
// .npmrc that holds settings alone (uptime-kuma's legacy-peer-deps=true,
// which its install needs) and no credential. A file that cannot be read
// counts as a credentials file.
func settingsOnly(m *project.Model, f *df.File, src string) bool {
	if path.Base(src) != ".npmrc" || !f.ContextKnown() || strings.ContainsAny(src, "*?[") {
		return false
	}
	data, err := m.File(filepath.Join(f.ContextDir, filepath.FromSlash(path.Clean("/"+src))))
	if err != nil {
		return false
	}
	n, _ := credential.NpmrcCredential(strings.Split(string(data), "\n"))
	return n == 0
}

func isContextRoot(src string) bool {
	return src == "." || src == "./" || src == "./*" || src == "*"
}

// unignoredSecrets lists the secret files at the top of the build context that
// its .dockerignore lets through.
func unignoredSecrets(m *project.Model, f *df.File) []string {
	if !f.ContextKnown() {
		return nil
	}
	ignore := m.DockerIgnore(f)
	var out []string
	for _, e := range m.Entries(f.ContextDir) {
		if e.IsDir() || !secretFile(e.Name()) || settingsOnly(m, f, e.Name()) {
			continue
		}
		if ignore != nil {
			if ignored, _ := ignore.Match(e.Name(), false); ignored {
				continue
			}
		}
		out = append(out, e.Name())
	}
	return out
}
