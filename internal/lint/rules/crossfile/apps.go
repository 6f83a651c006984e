package crossfile

import (
	"os"
	"path/filepath"
	"sync"

	"github.com/shipshape/shipshape/internal/source/dockerfile"
)

// appDockerfile finds the Dockerfile nearest above a manifest: the image the
// manifests deploy is, in a one-app repository, the one built there. It
// looks at most four directories up and stops at the repository root.
func appDockerfile(manifest string) (*dockerfile.File, bool) {
	dir := filepath.Dir(manifest)
	if f, ok := appCache.Load(dir); ok {
		df, _ := f.(*dockerfile.File)
		return df, df != nil
	}
	var found *dockerfile.File
	for d, i := dir, 0; i < 5; d, i = filepath.Dir(d), i+1 {
		for _, name := range []string{"Dockerfile", "Containerfile"} {
			p := filepath.Join(d, name)
			data, err := os.ReadFile(p)
			if err != nil {
				continue
			}
			if f, err := dockerfile.Parse(data, dockerfile.Options{Path: p, ContextDir: d}); err == nil {
				found = f
			}
			break
		}
		if found != nil {
			break
		}
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil || filepath.Dir(d) == d {
			break
		}
	}
	appCache.Store(dir, found)
	return found, found != nil
}

var appCache sync.Map

// exposedPorts returns the ports the final stage EXPOSEs.
func exposedPorts(f *dockerfile.File) map[uint32]bool {
	out := map[uint32]bool{}
	final := f.FinalStage()
	if final == nil {
		return out
	}
	for _, st := range final.Chain() {
		for _, in := range st.All("EXPOSE") {
			for _, a := range in.Args {
				v, _ := in.Expand(a)
				if n, err := atoiPrefix(v); err == nil {
					out[uint32(n)] = true
				}
			}
		}
	}
	return out
}
