package project

import (
	"path/filepath"

	"github.com/shipshape/shipshape/internal/source/bounds"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
	"github.com/shipshape/shipshape/internal/source/ignorefile"
)

type dockerfileKey struct{ path, context, target string }

// Dockerfile parses the Dockerfile at opts.Path for the build opts
// describe (its context and target; build args are not known beside a
// check's own inputs), or false when it cannot be read or parsed.
func (m *Model) Dockerfile(opts dockerfile.Options) (*dockerfile.File, bool) {
	f := m.dockerfiles.get(dockerfileKey{filepath.Clean(opts.Path), opts.ContextDir, opts.Target}, func() *dockerfile.File {
		data, err := m.File(opts.Path)
		if err != nil {
			return nil
		}
		f, err := dockerfile.Parse(data, dockerfile.Options{Path: opts.Path, ContextDir: opts.ContextDir, Target: opts.Target})
		if err != nil {
			return nil
		}
		return f
	})
	return f, f != nil
}

// NearestDockerfile is the Dockerfile (or Containerfile) in dir or nearest
// above it, at most three directories up and not beyond the repository
// root: the image manifests deploy is, in a one-app repository, the one
// built there, and a tree checked without its .git must not reach the
// Dockerfile of whatever project holds it. Its context is its directory.
func (m *Model) NearestDockerfile(dir string) (*dockerfile.File, bool) {
	f := m.nearest.get(filepath.Clean(dir), func() *dockerfile.File {
		var found *dockerfile.File
		bounds.Upward(dir, 4, func(d string) bool {
			for _, name := range []string{"Dockerfile", "Containerfile"} {
				p := filepath.Join(d, name)
				if _, err := m.File(p); err != nil {
					continue
				}
				found, _ = m.Dockerfile(dockerfile.Options{Path: p, ContextDir: d})
				break
			}
			return found != nil
		})
		return found
	})
	return f, f != nil
}

// DockerIgnore returns the ignore file that applies to f's build, or nil:
// a `<Dockerfile>.dockerignore` beside the file wins over the context's
// .dockerignore, and Podman's .containerignore counts the same.
func (m *Model) DockerIgnore(f *dockerfile.File) *ignorefile.List {
	if f.ContextDir == "" {
		return nil
	}
	return m.ignores.get([2]string{f.Path, f.ContextDir}, func() *ignorefile.List {
		for _, p := range []string{f.Path + ".dockerignore", f.Path + ".containerignore",
			filepath.Join(f.ContextDir, ".dockerignore"), filepath.Join(f.ContextDir, ".containerignore")} {
			if data, err := m.File(p); err == nil {
				return ignorefile.Parse("", data, ignorefile.Dockerignore)
			}
		}
		return nil
	})
}
