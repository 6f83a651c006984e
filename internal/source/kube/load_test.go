package kube

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

const manifests = `# the app
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ghcr.io/acme/web:1.4.2
          livenessprobe:
            httpGet: {path: /healthz, port: 8000}
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
    - port: 80
      targetPort: 8000
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: web
`

func TestLoad_StrictDecodingAndPositions(t *testing.T) {
	set, err := Load([]string{"k8s.yaml"}, Options{Contents: map[string][]byte{"k8s.yaml": []byte(manifests)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Objects) != 3 {
		t.Fatalf("%d objects", len(set.Objects))
	}
	dep := set.Objects[0]
	if dep.Typed == nil || len(dep.StrictErrors) != 1 {
		t.Fatalf("deployment typed=%v strict=%+v", dep.Typed, dep.StrictErrors)
	}
	pos := dep.At(dep.StrictErrors[0].Path...)
	if pos.Line != 17 || pos.Column != 11 {
		t.Fatalf("unknown field at %+v (path %q)", pos, dep.StrictErrors[0].Path)
	}
	w, ok := dep.Workload()
	if !ok || *w.Replicas != 3 || w.Spec.Containers[0].Image != "ghcr.io/acme/web:1.4.2" {
		t.Fatalf("workload %+v", w)
	}
	if p := w.ContainerAt(0, "image"); p.Line != 16 {
		t.Fatalf("image at %+v", p)
	}
	if p := w.ContainerAt(0, "readinessProbe"); p.Line != 15 {
		t.Fatalf("a missing field is reported at its container: %+v", p)
	}
	if set.Objects[2].Typed != nil {
		t.Fatal("a CRD must stay untyped")
	}
	if set.Objects[1].Line != 20 {
		t.Fatalf("second document starts at %d", set.Objects[1].Line)
	}
}

func TestLoad_YAMLErrorHasLine(t *testing.T) {
	_, err := Load([]string{"k.yaml"}, Options{Contents: map[string][]byte{"k.yaml": []byte("apiVersion: v1\nkind: [\n")}})
	var le *LoadError
	if !errors.As(err, &le) || le.Line < 1 {
		t.Fatalf("err = %v", err)
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(manifests))
	f.Add([]byte("apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: a, image: b}]}\n"))
	f.Add([]byte(testutil.BillionLaughs("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n")))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := Load([]string{"k.yaml"}, Options{Contents: map[string][]byte{"k.yaml": data}})
		if err != nil {
			var le *LoadError
			if !errors.As(err, &le) || le.Line < 1 {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		for _, w := range set.Workloads() {
			w.ContainerAt(0, "image")
		}
	})
}

func TestLoad_BadFileDoesNotHideTheOthers(t *testing.T) {
	good := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n"
	duplicate := "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  selector: {app: db}\n  ports: [{port: 5432}]\n  selector: {app: database}\n"
	template := "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  {{ if .tls }}: 443\n"
	second := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: b\ntype: Opaque\ntype: kubernetes.io/tls\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
	set, err := Load([]string{"a.yaml", "dup.yaml", "tmpl.yaml", "multi.yaml"}, Options{Contents: map[string][]byte{
		"a.yaml": []byte(good), "dup.yaml": []byte(duplicate), "tmpl.yaml": []byte(template), "multi.yaml": []byte(second),
	}})
	var names []string
	for _, o := range set.Objects {
		names = append(names, o.Name)
	}
	if strings.Join(names, " ") != "settings a c" {
		t.Fatalf("objects %v, want the good files and documents: settings a c", names)
	}
	if !set.Incomplete() {
		t.Error("a set with files that did not load must say it is incomplete")
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("err = %v, want one error per bad file", err)
	}
	var got []string
	for _, e := range joined.Unwrap() {
		var le *LoadError
		if !errors.As(e, &le) {
			t.Fatalf("%v is not a LoadError", e)
		}
		got = append(got, le.Path+":"+strconv.Itoa(le.Line))
	}
	if strings.Join(got, " ") != "dup.yaml:8 tmpl.yaml:6 multi.yaml:10" {
		t.Fatalf("errors at %v, want each at its own line", got)
	}
}

func TestLoad_TypeErrorAtItsField(t *testing.T) {
	pod := "apiVersion: v1\nkind: Pod\nmetadata: {name: fc}\nspec:\n  containers: [{name: a, image: b}]\n  volumes:\n    - name: disk\n      fc:\n        lun: \"0\"\n"
	_, err := Load([]string{"p.yaml"}, Options{Contents: map[string][]byte{"p.yaml": []byte(pod)}})
	var le *LoadError
	if !errors.As(err, &le) || le.Line != 9 {
		t.Fatalf("err = %v, want it at line 9 (lun)", err)
	}
}
