package kube

import (
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

// IsKustomization reports whether a directory holds a kustomization.
func IsKustomization(dir string) bool {
	return kustomizationFile(dir) != ""
}

func kustomizationFile(dir string) string {
	for _, name := range []string{"kustomization.yaml", "kustomization.yml", "Kustomization"} {
		p := filepath.Join(dir, name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// LoadKustomization builds a kustomization with the kustomize API (bases,
// overlays, patches, generators) and loads the result. Each object is
// reported where its source resource is written: kustomize's origin
// annotation names the file, and the object's fields are found there. A
// field only a patch adds is reported at its nearest written parent.
func LoadKustomization(dir string) (*Set, error) {
	kfile := kustomizationFile(dir)
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	absK, _ := filepath.Abs(kfile)
	resources, err := k.Run(originFS{FileSystem: filesys.MakeFsOnDisk(), kustomization: absK}, dir)
	if err != nil {
		return nil, &LoadError{Path: kfile, Line: 1, Message: "kustomize build: " + err.Error()}
	}
	set := &Set{files: map[string][]string{}, lineMap: map[string][]int{}}
	sources := map[string]*Set{}
	for _, res := range resources.Resources() {
		origin, _ := res.GetOrigin()
		data, err := res.AsYAML()
		if err != nil {
			return nil, &LoadError{Path: kfile, Line: 1, Message: err.Error()}
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil || len(doc.Content) == 0 {
			continue
		}
		obj, err := set.decode(kfile, &doc)
		if err != nil || obj == nil {
			if err != nil {
				return nil, err
			}
			continue
		}
		if origin != nil && origin.Path != "" && origin.Repo == "" {
			set.placeAtSource(obj, filepath.Join(dir, origin.Path), sources)
		}
		if obj.File == kfile {
			// Generated objects (configMapGenerator) have no source file.
			obj.index, obj.Line = nil, 1
		}
		set.Objects = append(set.Objects, obj)
	}
	if _, ok := set.files[kfile]; !ok {
		data, _ := os.ReadFile(kfile)
		set.files[kfile] = strings.Split(string(data), "\n")
	}
	return set, nil
}

// placeAtSource points a built object at the document it came from.
func (s *Set) placeAtSource(obj *Object, path string, sources map[string]*Set) {
	src, ok := sources[path]
	if !ok {
		loaded, err := Load([]string{path}, Options{})
		if err != nil {
			sources[path] = nil
			return
		}
		src, sources[path] = loaded, loaded
	}
	if src == nil {
		return
	}
	for _, o := range src.Objects {
		if o.Kind == obj.Kind && (o.Name == obj.Name || strings.Contains(obj.Name, o.Name)) {
			obj.File, obj.Line, obj.index = path, o.Line, o.index
			s.files[path] = src.files[path]
			return
		}
	}
}

// originFS is the disk, except that the kustomization asks kustomize to
// record where each resource came from.
type originFS struct {
	filesys.FileSystem
	kustomization string
}

func (f originFS) ReadFile(path string) ([]byte, error) {
	data, err := f.FileSystem.ReadFile(path)
	abs, _ := filepath.Abs(path)
	if err != nil || abs != f.kustomization {
		return data, err
	}
	var k map[string]any
	if yaml.Unmarshal(data, &k) != nil || k == nil {
		return data, nil
	}
	meta, _ := k["buildMetadata"].([]any)
	k["buildMetadata"] = append(meta, "originAnnotations")
	out, err := yaml.Marshal(k)
	if err != nil {
		return data, nil
	}
	return out, nil
}
