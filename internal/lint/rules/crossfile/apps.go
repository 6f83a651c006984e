package crossfile

import (
	"path/filepath"
	"strings"
	"sync"

	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/source/bounds"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
	"github.com/shipshape/shipshape/internal/source/kube"
)

// appDockerfile finds the Dockerfile nearest above a manifest: the image the
// manifests deploy is, in a one-app repository, the one built there. It
// looks at most three directories up (deploy/k8s/base/) and stops at the
// repository root: a tree checked without its .git must not reach the
// Dockerfile of whatever project holds it.
func appDockerfile(manifest string) (*dockerfile.File, bool) {
	dir := filepath.Dir(manifest)
	if f, ok := appCache.Load(dir); ok {
		df, _ := f.(*dockerfile.File)
		return df, df != nil
	}
	var found *dockerfile.File
	bounds.Upward(dir, 4, func(d string) bool {
		for _, name := range []string{"Dockerfile", "Containerfile"} {
			p := filepath.Join(d, name)
			data, err := bounds.ReadFile(p)
			if err != nil {
				continue
			}
			if f, err := dockerfile.Parse(data, dockerfile.Options{Path: p, ContextDir: d}); err == nil {
				found = f
			}
			break
		}
		return found != nil
	})
	appCache.Store(dir, found)
	return found, found != nil
}

var appCache sync.Map

// exposedPorts returns the ports the final stage EXPOSEs.
func exposedPorts(f *dockerfile.File) map[int]bool {
	if final := f.FinalStage(); final != nil {
		return final.Exposes()
	}
	return map[int]bool{}
}

// missingEnv lists the variables the app in dir reads without a default
// (project.Scan's RequiredEnv) that neither provided nor the ENV of f's final
// stage sets, each once. f may be nil.
func missingEnv(dir string, f *dockerfile.File, provided map[string]bool) []project.Evidence {
	seen := map[string]bool{}
	if f != nil && f.FinalStage() != nil {
		seen = f.FinalStage().EnvKeys()
	}
	for k := range provided {
		seen[k] = true
	}
	var out []project.Evidence
	for _, e := range project.Scan(dir).RequiredEnv {
		if !seen[e.Value] {
			seen[e.Value] = true
			out = append(out, e)
		}
	}
	return out
}

// appWorkload is the workload an object defines and the Dockerfile that
// builds its app (see appDockerfile), when it is a workload and one is found.
func appWorkload(o *kube.Object) (*kube.Workload, *dockerfile.File, bool) {
	w, ok := o.Workload()
	if !ok {
		return nil, nil, false
	}
	f, ok := appDockerfile(o.File)
	return w, f, ok
}

// appImage reports whether a container's image is the one the Dockerfile
// builds: one of the names CI or a Makefile tag its builds with, or, when
// nothing names them, any image but an official one (redis:7.2 beside the
// guestbook's Dockerfile is Redis, not the guestbook).
func appImage(f *dockerfile.File, image string) bool {
	img := dockerfile.ParseImage(image)
	if names := builtNames(f); len(names) > 0 {
		return names[img.Short()]
	}
	return img.Registry != "" || strings.Contains(img.Repository, "/")
}
