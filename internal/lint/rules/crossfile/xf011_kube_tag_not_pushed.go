package crossfile

import (
	"path/filepath"
	"regexp"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	registerKube(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "XF011", Name: "manifest-tag-not-pushed", Severity: lint.Warning, Production: lint.Error,
			Summary: "A Kubernetes container runs an image tag that the repository's CI never pushes.",
			Rationale: "CI pushes `app:<git sha>` while the manifest says `app:latest` or `app:v1`: the cluster runs whatever that tag last " +
				"pointed at, not the commit CI built and tested.",
			Fix: "Set the image to the tag CI pushes at deploy time (`kustomize edit set image`, `helm --set image.tag=$GITHUB_SHA`, `shipshape deploy`).",
			Differences: "Compares with the tags pushed by workflows in .github, .forgejo or .gitea at or above the manifests. " +
				"An image the workflow sets at deploy time (`kustomize edit set image NAME=...`) is not judged by its committed tag.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			w, ok := o.Workload()
			if !ok {
				return
			}
			m := r.Model()
			pushed := pushedTags(m, filepath.Dir(o.File))
			managed := deploySetImages(m, filepath.Dir(o.File))
			for i, c := range w.Spec.Containers {
				if strings.Contains(c.Image, "$") {
					continue
				}
				img := dockerfile.ParseImage(c.Image)
				if managed[repoKey(img)] {
					continue // the committed tag is a placeholder the deploy replaces
				}
				tags, ok := pushed[repoKey(img)]
				if !ok || img.Digest != "" || isPushed(tags, img.Tag) {
					continue
				}
				r.AddKube(o, w.ContainerAt(i, "image"), "container %s runs %s, a tag CI never pushes (it pushes %s)", c.Name, c.Image, tagList(tags))
			}
		},
	})
}

var kustomizeSetImage = regexp.MustCompile(`kustomize\s+edit\s+set\s+image\s+["']?([^=\s"']+)=`)

// deploySetImages are the image names workflows at or above dir replace at
// deploy time with `kustomize edit set image NAME=...`.
func deploySetImages(m *project.Model, dir string) map[string]bool {
	out := map[string]bool{}
	for _, f := range m.WorkflowsAbove(dir) {
		data, _ := m.File(f)
		for _, set := range kustomizeSetImage.FindAllSubmatch(data, -1) {
			out[repoKey(dockerfile.ParseImage(string(set[1])+":x"))] = true
		}
	}
	return out
}
