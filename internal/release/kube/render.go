package kube

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/shipshape/shipshape/internal/source"
	"github.com/shipshape/shipshape/internal/source/bounds"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	manifests "github.com/shipshape/shipshape/internal/source/kube"
)

// Render reads what the project declares and returns it as objects, with
// the image set. Bad input is a *problem.Error naming file and line.
func Render(o Options) ([]*unstructured.Unstructured, error) {
	set, err := load(o)
	if err != nil {
		return nil, err
	}
	var out []*unstructured.Unstructured
	for _, obj := range set.Objects {
		u := &unstructured.Unstructured{}
		if err := u.UnmarshalJSON(obj.JSON); err != nil {
			return nil, fmt.Errorf("%s:%d: %s %s: %v", obj.File, obj.Line, obj.Kind, obj.Name, err)
		}
		out = append(out, u)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s renders no Kubernetes objects", o.Source)
	}
	if o.Image == "" && o.Tag != "" {
		repos := map[string]bool{}
		for _, u := range out {
			if workloadKinds[u.GetKind()] {
				eachContainer(u, false, func(c map[string]any) { repos[repository(image(c))] = true })
			}
		}
		if len(repos) != 1 {
			return nil, fmt.Errorf("the workloads of %s use %d image repositories: name the image to deploy", o.Source, len(repos))
		}
		for r := range repos {
			o.Image = r + ":" + o.Tag
		}
	}
	if o.Image != "" {
		if err := setImage(out, o.Image); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// load reads o.Source the way check reads it (source.KindOfDir and
// source.KindOf decide): a chart rendered with the values, a kustomization
// built, a directory's manifest files (not a values file or a compose file
// beside them, nor the files of a chart or kustomization below it), or the
// one file named.
func load(o Options) (*manifests.Set, error) {
	st, err := os.Stat(o.Source)
	switch {
	case err != nil:
		return nil, fmt.Errorf("%s: %v", o.Source, err)
	case !st.IsDir():
		return manifests.Load([]string{o.Source}, manifests.Options{})
	}
	switch source.KindOfDir(o.Source) {
	case source.Helm:
		return manifests.LoadChart(o.Source, manifests.HelmOptions{ValueFiles: o.ValueFiles, Set: o.Set, Release: o.App, Namespace: o.Namespace})
	case source.Kustomize:
		return manifests.LoadKustomization(o.Source)
	}
	var files []string
	err = filepath.WalkDir(o.Source, func(p string, d os.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && p != o.Source && source.KindOfDir(p) != source.Unknown:
			return filepath.SkipDir
		case d.IsDir() || !source.IsYAML(d.Name()):
			return nil
		}
		content, err := bounds.ReadFile(p)
		if err != nil {
			return err
		}
		if source.KindOf(p, content) == source.Manifest {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %v", o.Source, err)
	}
	sort.Strings(files)
	return manifests.Load(files, manifests.Options{})
}

// workloadKinds are rolled out and waited for.
var workloadKinds = map[string]bool{"Deployment": true, "StatefulSet": true, "DaemonSet": true}

// setImage points the workloads' containers at image: those whose image
// has image's repository, or every container when the workloads use one
// repository only (a project's own app).
func setImage(objs []*unstructured.Unstructured, img string) error {
	repo := repository(img)
	var apps []*unstructured.Unstructured
	repos := map[string]bool{}
	for _, u := range objs {
		if workloadKinds[u.GetKind()] || u.GetKind() == "Job" {
			apps = append(apps, u)
			eachContainer(u, true, func(c map[string]any) { repos[repository(image(c))] = true })
		}
	}
	set := 0
	for _, u := range apps {
		// Containers of the image's repository; with one repository in
		// the manifests (a placeholder), every container but init ones.
		eachContainer(u, false, func(c map[string]any) {
			if repository(image(c)) == repo || len(repos) == 1 {
				c["image"] = img
				set++
			}
		})
		eachInit(u, func(c map[string]any) {
			if repository(image(c)) == repo {
				c["image"] = img
				set++
			}
		})
	}
	if set == 0 {
		var names []string
		for r := range repos {
			names = append(names, r)
		}
		sort.Strings(names)
		return fmt.Errorf("no container uses %s's repository, and the workloads use several (%s): which one is the app?", img, strings.Join(names, ", "))
	}
	return nil
}

// eachContainer calls fn with each container of u's pod template, in
// place (init containers too, with init).
func eachContainer(u *unstructured.Unstructured, init bool, fn func(map[string]any)) {
	if init {
		eachInit(u, fn)
	}
	eachIn(u, "containers", fn)
}

func eachInit(u *unstructured.Unstructured, fn func(map[string]any)) { eachIn(u, "initContainers", fn) }

func eachIn(u *unstructured.Unstructured, field string, fn func(map[string]any)) {
	list, _, _ := unstructured.NestedFieldNoCopy(u.Object, "spec", "template", "spec", field)
	items, _ := list.([]any)
	for _, c := range items {
		if m, ok := c.(map[string]any); ok {
			fn(m)
		}
	}
}

// image is a container's image reference.
func image(c map[string]any) string {
	s, _ := c["image"].(string)
	return s
}

// repository is an image reference without its tag or digest.
func repository(image string) string {
	if i := strings.Index(image, "@"); i >= 0 {
		image = image[:i]
	}
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		image = image[:i]
	}
	return image
}
