package kube

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"sync"

	"github.com/shipshape/shipshape/internal/source/bounds"
	"gopkg.in/yaml.v3"
)

// Images a build tool substitutes. Manifests deployed with skaffold name
// their images bare (`image: cartservice`): skaffold builds each artifact of
// its config and rewrites the name to the tag or digest it pushed, so the
// name as written is a placeholder, not an unpinned image.

// maxSkaffoldLevels bounds how far up from the manifests a skaffold config is looked for.
const maxSkaffoldLevels = 8

type builtImages struct {
	once  sync.Once
	dir   string // where the manifests are; "" for input without a directory
	names map[string]bool
}

// BuiltImages returns the image names that the skaffold config governing
// the manifests (skaffold.yaml in their directory or one above, up to the
// repository root) builds: its build.artifacts and its profiles'. It is
// read once, the first time a rule asks.
func (s *Set) BuiltImages() map[string]bool {
	s.built.once.Do(func() {
		s.built.names = map[string]bool{}
		if s.built.dir != "" {
			s.built.names = skaffoldImages(s.built.dir)
		}
	})
	return s.built.names
}

func skaffoldImages(dir string) map[string]bool {
	names := map[string]bool{}
	bounds.Upward(dir, maxSkaffoldLevels, func(d string) bool {
		for _, name := range []string{"skaffold.yaml", "skaffold.yml"} {
			data, err := bounds.ReadFile(filepath.Join(d, name))
			if err != nil || len(data) > maxAroundFileSize {
				continue
			}
			addSkaffoldArtifacts(names, data)
			return true
		}
		return false
	})
	return names
}

type skaffoldBuild struct {
	Artifacts []struct {
		Image string `yaml:"image"`
	} `yaml:"artifacts"`
}

func addSkaffoldArtifacts(names map[string]bool, data []byte) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc struct {
			Build    skaffoldBuild `yaml:"build"`
			Profiles []struct {
				Build skaffoldBuild `yaml:"build"`
			} `yaml:"profiles"`
		}
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			continue // a document that is not a skaffold config; the next may be
		}
		builds := []skaffoldBuild{doc.Build}
		for _, p := range doc.Profiles {
			builds = append(builds, p.Build)
		}
		for _, b := range builds {
			for _, a := range b.Artifacts {
				if a.Image != "" {
					names[a.Image] = true
				}
			}
		}
	}
}
