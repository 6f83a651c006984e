package crossfile

import (
	"path/filepath"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
	"github.com/shipshape/shipshape/internal/source/kube"
)

// exposedPorts returns the ports the final stage EXPOSEs.
func exposedPorts(f *dockerfile.File) map[int]bool {
	if final := f.FinalStage(); final != nil {
		return final.Exposes()
	}
	return map[int]bool{}
}

// missingEnv lists the variables the app in dir reads without a default
// (its RequiredEnv) that neither provided nor the ENV of f's final stage
// sets, each once. f may be nil.
func missingEnv(m *project.Model, dir string, f *dockerfile.File, provided map[string]bool) []project.Evidence {
	seen := map[string]bool{}
	if f != nil && f.FinalStage() != nil {
		seen = f.FinalStage().EnvKeys()
	}
	for k := range provided {
		seen[k] = true
	}
	var out []project.Evidence
	for _, e := range m.App(dir).RequiredEnv {
		if !seen[e.Value] {
			seen[e.Value] = true
			out = append(out, e)
		}
	}
	return out
}

// appWorkload is the workload an object defines and the Dockerfile that
// builds its app, when it is a workload and one is found: the Dockerfile
// nearest above its manifest (see project.Model.NearestDockerfile).
func appWorkload(m *project.Model, o *kube.Object) (*kube.Workload, *dockerfile.File, bool) {
	w, ok := o.Workload()
	if !ok {
		return nil, nil, false
	}
	f, ok := m.NearestDockerfile(filepath.Dir(o.File))
	return w, f, ok
}

// appImage reports whether a container's image is the one the Dockerfile
// builds: one of the names CI or a Makefile tag its builds with, or, when
// nothing names them, any image but an official one (redis:7.2 beside the
// guestbook's Dockerfile is Redis, not the guestbook).
func appImage(m *project.Model, f *dockerfile.File, image string) bool {
	img := dockerfile.ParseImage(image)
	if names := builtNames(m, f); len(names) > 0 {
		return names[img.Short()]
	}
	return img.Registry != "" || strings.Contains(img.Repository, "/")
}
