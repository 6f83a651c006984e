package kube

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"

	"github.com/shipshape/shipshape/internal/testutil"
)

func TestLoadKustomization_BuildsOverlaysAndPointsAtSources(t *testing.T) {
	set, err := LoadKustomization(filepath.Join("testdata", "kustomize", "overlays", "prod"))
	if err != nil {
		t.Fatal(err)
	}
	var dep *Object
	for _, o := range set.Objects {
		if o.Kind == "Deployment" {
			dep = o
		}
	}
	if dep == nil || len(set.Objects) != 2 {
		t.Fatalf("objects: %d, deployment %v", len(set.Objects), dep)
	}
	d := dep.Typed.(*appsv1.Deployment)
	if d.Name != "prod-web" || *d.Spec.Replicas != 3 || d.Spec.Template.Spec.Containers[0].Image != "ghcr.io/acme/web:latest" {
		t.Fatalf("the overlay was not applied: %s %d %s", d.Name, *d.Spec.Replicas, d.Spec.Template.Spec.Containers[0].Image)
	}
	w, _ := dep.Workload()
	pos := w.ContainerAt(0, "image")
	if filepath.Base(pos.File) != "deployment.yaml" || pos.Line != 15 {
		t.Fatalf("image at %s:%d, want the base's deployment.yaml:15", pos.File, pos.Line)
	}
}

func TestLoadKustomization_ComponentIsCheckedWhereIncluded(t *testing.T) {
	alone, err := LoadKustomization(filepath.Join("testdata", "kustomize", "components", "debug"))
	if err != nil || len(alone.Objects) != 0 {
		t.Fatalf("a Component built alone: %d objects, err %v; want none and no error", len(alone.Objects), err)
	}
	set, err := LoadKustomization(filepath.Join("testdata", "kustomize", "overlays", "debug"))
	if err != nil {
		t.Fatal(err)
	}
	dep := set.Find("Deployment")[0].Typed.(*appsv1.Deployment)
	if env := dep.Spec.Template.Spec.Containers[0].Env; len(env) != 1 || env[0].Name != "DEBUG" {
		t.Fatalf("the component was not applied where included: env %+v", env)
	}
}

// A kustomization that lists a remote resource, itself or through a base
// on the disk, is an error naming it; check never fetches it.
func TestLoadKustomization_RemoteResourceNotFetched(t *testing.T) {
	for _, remote := range []string{
		"https://raw.githubusercontent.com/org/repo/v1.0.0/deploy.yaml",
		"github.com/kubernetes-sigs/kueue/config/default?ref=v0.8.0",
		"git@github.com:org/repo.git//deploy",
	} {
		dir := testutil.WriteTree(t, map[string]string{
			"overlay/kustomization.yaml": "resources:\n- ../base\n",
			"base/kustomization.yaml":    "resources:\n- pod.yaml\n- " + remote + "\n",
			"base/pod.yaml":              "apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: a, image: nginx:1.27.3}]}\n",
		})
		_, err := LoadKustomization(filepath.Join(dir, "overlay"))
		var le *LoadError
		if !errors.As(err, &le) || !strings.Contains(le.Message, remote) || !strings.HasSuffix(le.Path, filepath.Join("base", "kustomization.yaml")) {
			t.Errorf("%s: err %v, want a LoadError at base/kustomization.yaml naming it", remote, err)
		}
	}
}

// Objects the build renames are reported where they are written: a
// namePrefix that makes prod-web-worker (which holds "web", the name of the
// document above it) and a patch that replaces a Job's name, as
// GoogleCloudPlatform/kubernetes-engine-samples' gke-a100-jax does; its
// findings landed on kustomization.yaml:1.
func TestLoadKustomization_RenamedObjectsAtTheirSource(t *testing.T) {
	deployment := func(name string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\nspec:\n  selector: {matchLabels: {app: " + name + "}}\n" +
			"  template:\n    metadata: {labels: {app: " + name + "}}\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27.3\n"
	}
	dir := testutil.WriteTree(t, map[string]string{
		"kustomization.yaml": "namePrefix: prod-\nresources:\n- apps.yaml\n- job.yaml\npatches:\n" +
			"- patch: |-\n    - op: replace\n      path: /metadata/name\n      value: hello-world\n  target:\n    kind: Job\n",
		"apps.yaml": deployment("web") + "---\n" + deployment("web-worker"),
		"job.yaml": "# a comment above\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: job-name\nspec:\n  template:\n    spec:\n" +
			"      restartPolicy: Never\n      containers:\n      - name: app\n        image: busybox:1.37\n",
	})
	set, err := LoadKustomization(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"prod-web": "apps.yaml:1", "prod-web-worker": "apps.yaml:14", "prod-hello-world": "job.yaml:2"}
	for _, o := range set.Objects {
		got := fmt.Sprintf("%s:%d", filepath.Base(o.File), o.Line)
		if got != want[o.Name] {
			t.Errorf("%s %s at %s, want %s", o.Kind, o.Name, got, want[o.Name])
		}
		delete(want, o.Name)
	}
	if len(want) > 0 {
		t.Errorf("not built: %v", want)
	}
	for _, o := range set.Find("Job") {
		w, _ := o.Workload()
		if pos := w.ContainerAt(0, "image"); filepath.Base(pos.File) != "job.yaml" || pos.Line != 12 {
			t.Errorf("the Job's image at %s:%d, want job.yaml:12", pos.File, pos.Line)
		}
	}
}
