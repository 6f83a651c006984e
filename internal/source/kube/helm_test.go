package kube

import (
	"errors"
	"path/filepath"
	"strings"
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

// Rendered lines keep their template lines through what moved them before:
// an if that drops two env vars (counting `- name:` keys shifted every later
// container), a range that renders nothing at another indentation (its
// `- name: {{ .name }}` took the next container), a disabled block that
// writes `timeoutSeconds: 5` word for word (it drew the api container's
// resources into the proxy), and text inside a same-line if.
func TestLoadChart_LinesSurviveIfAndRange(t *testing.T) {
	set, err := LoadChart(filepath.Join("testdata", "chart-lines"), HelmOptions{})
	if err != nil {
		t.Fatal(err)
	}
	w, _ := set.Objects[0].Workload()
	for _, c := range []struct {
		pos  Pos
		want int
	}{
		{w.ContainerAt(0, "lifecycle"), 13},
		{w.ContainerAt(0, "image"), 14},
		{w.ContainerAt(0, "env", "0", "name"), 22},
		{w.ContainerAt(0, "resources", "limits"), 34},
		{w.ContainerAt(1, "lifecycle"), 46},
	} {
		if c.pos.Line != c.want {
			t.Errorf("line %d (%q), want %d", c.pos.Line, c.pos.Source(), c.want)
		}
	}
}

func TestLoadChart_RenderErrorSaysWhatToPass(t *testing.T) {
	dir := filepath.Join("testdata", "chart-required")
	_, err := LoadChart(dir, HelmOptions{})
	var le *LoadError
	if !errors.As(err, &le) || filepath.Base(le.Path) != "secret.yaml" || le.Line != 6 {
		t.Fatalf("err = %v, want it at secret.yaml:6", err)
	}
	for _, want := range []string{"db.password is required", "sidecar", "helm dependency build", "--helm-values", "ci"} {
		if !strings.Contains(le.Message+le.Hint, want) {
			t.Errorf("%q does not say %q", le.Message+"; "+le.Hint, want)
		}
	}
	if _, err := LoadChart(dir, HelmOptions{ValueFiles: []string{filepath.Join(dir, "ci", "default-values.yaml")}}); err != nil {
		t.Fatalf("with the value given: %v", err)
	}
}
