package kube

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"

	"github.com/shipshape/shipshape/internal/source"
	"github.com/shipshape/shipshape/internal/source/bounds"
	"github.com/shipshape/shipshape/internal/source/yamlindex"
)

// IsKustomization reports whether a directory holds a kustomization.
func IsKustomization(dir string) bool {
	return kustomizationFile(dir) != ""
}

func kustomizationFile(dir string) string {
	for _, name := range source.KustomizationNames {
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
//
// A Component (`kind: Component`) is a patch set that only means something
// inside the kustomizations that include it; built alone its patches have
// nothing to patch. It yields no objects here: its resources and patches
// are checked as part of each kustomization that lists it in components.
func LoadKustomization(dir string) (*Set, error) {
	kfile := kustomizationFile(dir)
	if isComponent(kfile) {
		return &Set{files: map[string][]string{}, lineMap: map[string][]int{}}, nil
	}
	if ref, at := remoteReference(dir, map[string]bool{}); ref != "" {
		return nil, &LoadError{Path: at, Line: 1, Message: fmt.Sprintf("kustomize build: %s is a remote resource; check reads only the files here "+
			"and never fetches one (kustomize would clone or download it)", ref)}
	}
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	absK, _ := filepath.Abs(kfile)
	resources, err := k.Run(originFS{FileSystem: filesys.MakeFsOnDisk(), kustomization: absK}, dir)
	if err != nil {
		return nil, &LoadError{Path: kfile, Line: 1, Message: "kustomize build: " + err.Error()}
	}
	set := &Set{files: map[string][]string{}, lineMap: map[string][]int{}}
	set.built.dir = dir
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
		data, _ := bounds.ReadFile(kfile)
		set.files[kfile] = strings.Split(string(data), "\n")
	}
	return set, nil
}

// remoteReference returns the first remote resource (a URL, or a
// repository path such as github.com/org/repo//config?ref=v1) that the
// kustomization in dir, or one it includes from the disk, lists, and the
// kustomization file that lists it. kustomize would run git or an HTTP
// client for it; check must not reach the network.
func remoteReference(dir string, seen map[string]bool) (ref, at string) {
	kfile := kustomizationFile(dir)
	if kfile == "" || seen[kfile] || len(seen) > 100 {
		return "", ""
	}
	seen[kfile] = true
	data, err := bounds.ReadFile(kfile)
	if err != nil {
		return "", ""
	}
	var k struct {
		Resources  []string `yaml:"resources"`
		Bases      []string `yaml:"bases"`
		Components []string `yaml:"components"`
	}
	if yaml.Unmarshal(data, &k) != nil {
		return "", ""
	}
	for _, e := range slices.Concat(k.Resources, k.Bases, k.Components) {
		local := filepath.Join(dir, e)
		info, statErr := os.Stat(local)
		first, _, _ := strings.Cut(e, "/")
		switch {
		case strings.Contains(e, "://") || strings.HasPrefix(e, "git@") ||
			(statErr != nil && first != "." && first != ".." && strings.Contains(first, ".")):
			return e, kfile
		case statErr == nil && info.IsDir():
			if ref, at := remoteReference(local, seen); ref != "" {
				return ref, at
			}
		}
	}
	return "", ""
}

// isComponent reports whether a kustomization file declares a Component.
func isComponent(kfile string) bool {
	data, err := bounds.ReadFile(kfile)
	if err != nil {
		return false
	}
	var head struct {
		Kind string `yaml:"kind"`
	}
	return yaml.Unmarshal(data, &head) == nil && head.Kind == "Component"
}

// placeAtSource points a built object at the document it came from.
func (s *Set) placeAtSource(obj *Object, path string, sources map[string]*Set) {
	src, ok := sources[path]
	if !ok {
		// A source file with one bad document still places the others.
		loaded, _ := Load([]string{path}, Options{})
		src, sources[path] = loaded, loaded
	}
	if o := sourceDocument(obj, src.Objects); o != nil {
		obj.File, obj.Line, obj.index = path, o.Line, o.index
		s.files[path] = src.files[path]
	}
}

// sourceDocument picks, among the objects of the file kustomize's origin
// names, the one a built object was made from. The origin names the file,
// not the document, and the build may have renamed the object: namePrefix
// and nameSuffix wrap the name (prod-web-worker is web-worker, not web,
// though it holds both), and a patch may replace it outright (a Job
// job-name patched to jax-hello-world), which leaves the file's only
// object of that kind.
func sourceDocument(built *Object, objects []*Object) *Object {
	var wrapped, only *Object
	sameKind := 0
	for _, o := range objects {
		if o.Kind != built.Kind {
			continue
		}
		if o.Name == built.Name {
			return o
		}
		sameKind++
		only = o
		if o.Name != "" && strings.Contains(built.Name, o.Name) && (wrapped == nil || len(o.Name) > len(wrapped.Name)) {
			wrapped = o
		}
	}
	switch {
	case wrapped != nil:
		return wrapped
	case sameKind == 1:
		return only
	}
	return nil
}

// originFS is the disk, except that the kustomization asks kustomize to
// record where each resource came from.
type originFS struct {
	filesys.FileSystem
	kustomization string
}

func (f originFS) ReadFile(path string) ([]byte, error) {
	if info, err := os.Stat(path); err == nil && info.Size() > bounds.MaxFileSize {
		return nil, fmt.Errorf("%s: file is %d MiB, %w", path, info.Size()>>20, bounds.ErrTooLarge)
	}
	data, err := f.FileSystem.ReadFile(path)
	if err == nil {
		if line, bomb := yamlindex.OvergrownFile(data); bomb != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, line, bomb)
		}
	}
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
