package kube

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"

	"github.com/shipshape/shipshape/internal/testutil"
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

// randomChart is a chart whose templates call every function whose answer
// helm changes from run to run: podinfo's test Pods are named with
// randAlphaNum, and check's output changed with them.
var randomChart = map[string]string{
	"Chart.yaml":  "apiVersion: v2\nname: random\nversion: 0.1.0\n",
	"values.yaml": "labels: {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8}\n",
	"templates/pods.yaml": `{{- range $i := until 3 }}
---
apiVersion: v1
kind: Pod
metadata:
  name: test-{{ randAlphaNum 5 | lower }}
  annotations:
    uid: {{ uuidv4 | quote }}
    n: {{ randInt 1 1000000 | quote }}
    bytes: {{ randBytes 8 | quote }}
    word: {{ shuffle "shipshape" | quote }}
    at: {{ now | date "2006-01-02T15:04:05Z07:00" | quote }}
    keys: {{ keys $.Values.labels | join "," | quote }}
    values: {{ values $.Values.labels | join "," | quote }}
    ca: {{ (genCA "ca" 365).Cert | b64enc | quote }}
    key: {{ genPrivateKey "ecdsa" | b64enc | quote }}
    password: {{ htpasswd "admin" "secret" | quote }}
spec:
  containers:
  - name: app
    image: nginx:1.27.3
{{- end }}
`,
}

// TestLoadChart_SameChartSameObjects: the same chart renders to the same
// objects every time, whatever its templates ask of the random source, the
// clock or map order; two calls in one render still differ.
func TestLoadChart_SameChartSameObjects(t *testing.T) {
	dir := testutil.WriteTree(t, randomChart)
	render := func() []string {
		set, err := LoadChart(dir, HelmOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, o := range set.Objects {
			pod := o.Typed.(*corev1.Pod)
			out = append(out, fmt.Sprintf("%s %v", pod.Name, pod.Annotations))
		}
		return out
	}
	first := render()
	for range 5 {
		if again := render(); !slices.Equal(again, first) {
			t.Fatalf("two renders of one chart differ:\n%s\n%s", strings.Join(first, "\n"), strings.Join(again, "\n"))
		}
	}
	if len(first) != 3 {
		t.Fatalf("%d pods, want 3", len(first))
	}
	names := map[string]bool{}
	for _, o := range first {
		names[strings.Fields(o)[0]] = true
	}
	if len(names) != 3 {
		t.Errorf("three calls of randAlphaNum gave %d names: %v", len(names), first)
	}
	for _, want := range []string{"at:2000-01-01T00:00:00Z", "keys:a,b,c,d,e,f,g,h", "values:1,2,3,4,5,6,7,8"} {
		if !strings.Contains(first[0], want) {
			t.Errorf("%s: no %s", first[0], want)
		}
	}
}

// A chart asking for a random string beyond any use is an error at its
// template line, not an allocation of that size.
func TestLoadChart_RandomLengthBounded(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"Chart.yaml": "apiVersion: v2\nname: huge\nversion: 0.1.0\n",
		"templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\n" +
			"data:\n  k: {{ randAlphaNum 2000000000 }}\n",
	})
	_, err := LoadChart(dir, HelmOptions{})
	var le *LoadError
	if !errors.As(err, &le) || filepath.Base(le.Path) != "cm.yaml" || le.Line != 6 || !strings.Contains(le.Message, "at most") {
		t.Fatalf("err = %v, want it at cm.yaml:6 saying the bound", err)
	}
}
