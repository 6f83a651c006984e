package kube

import (
	"errors"
	"path/filepath"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
)

func TestLoadChart_UsesUserValuesAndMapsLines(t *testing.T) {
	dir := filepath.Join("testdata", "chart")
	set, err := LoadChart(dir, HelmOptions{ValueFiles: []string{filepath.Join(dir, "prod-values.yaml")}, Set: []string{"probes=false"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Objects) != 1 {
		t.Fatalf("%d objects", len(set.Objects))
	}
	o := set.Objects[0]
	dep := o.Typed.(*appsv1.Deployment)
	if *dep.Spec.Replicas != 3 || dep.Spec.Template.Spec.Containers[0].Image != "ghcr.io/acme/web:latest" {
		t.Fatalf("the user's values were not used: %+v", dep.Spec)
	}
	if dep.Spec.Template.Spec.Containers[0].ReadinessProbe != nil {
		t.Fatal("--set probes=false was not applied")
	}
	w, _ := o.Workload()
	pos := w.ContainerAt(0, "image")
	if filepath.Base(pos.File) != "deployment.yaml" || pos.Line != 19 {
		t.Fatalf("image at %s:%d, want the template's line 19", pos.File, pos.Line)
	}
	if pos.Source() == "" {
		t.Fatal("no source text for the template line")
	}
}

func TestLoadChart_TemplateErrorHasLine(t *testing.T) {
	_, err := LoadChart(filepath.Join("testdata", "chart"), HelmOptions{Set: []string{"image=oops"}})
	var le *LoadError
	if !errors.As(err, &le) || le.Line < 1 {
		t.Fatalf("err = %v", err)
	}
}
