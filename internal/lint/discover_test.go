package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/source"
	"github.com/shipshape/shipshape/internal/testutil"
)

// Names people give their files that check used to walk past.
func TestDiscover_OtherNames(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"dockerfile.sales":               "# the sales service\nFROM alpine:3.20.3\n",
		"build/api.dockerfile":           "ARG BASE=alpine:3.20.3\nFROM ${BASE}\n",
		"docker_compose.yaml":            "services:\n  web:\n    image: nginx:1.27.2\n",
		"dockerfile.go":                  "package dockerfile\n",
		"dockerfile.notes":               "Some notes about the Dockerfile\n",
		"deploy/docker_compose_prod.yml": "services:\n  web:\n    image: nginx:1.27.2\n",
	})
	inputs, err := Discover([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]source.Kind{}
	for _, in := range inputs {
		rel, _ := filepath.Rel(dir, in.Path)
		got[filepath.ToSlash(rel)] = in.Kind
	}
	want := map[string]source.Kind{
		"dockerfile.sales":               source.Dockerfile,
		"build/api.dockerfile":           source.Dockerfile,
		"docker_compose.yaml":            source.Compose,
		"deploy/docker_compose_prod.yml": source.Compose,
	}
	for name, kind := range want {
		if k, ok := got[name]; !ok || k != kind {
			t.Errorf("%s: found %v (kind %v), want kind %v", name, ok, k, kind)
		}
	}
	for _, name := range []string{"dockerfile.go", "dockerfile.notes"} {
		if _, ok := got[name]; ok {
			t.Errorf("%s was taken for a Dockerfile", name)
		}
	}
}

// A path named on the command line that cannot be checked is that path's
// error, not a silent skip and not the end of the whole run.
func TestDiscover_NamedPathsThatCannotBeChecked(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"values.yaml": "replicas: 2\n",
		"Dockerfile":  "FROM alpine:3.20.3\n",
	})
	loop := filepath.Join(dir, "loop")
	if err := os.Symlink(filepath.Join(dir, "loop2"), loop); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(loop, filepath.Join(dir, "loop2")); err != nil {
		t.Fatal(err)
	}
	named := []string{filepath.Join(dir, "values.yaml"), loop, filepath.Join(dir, "missing.yaml"), filepath.Join(dir, "Dockerfile")}
	inputs, err := Discover(named)
	if err != nil {
		t.Fatal(err)
	}
	res := Check(inputs, DefaultConfig(), nil)
	want := map[string]string{
		"values.yaml":  "not a file check knows",
		"loop":         "a loop of symbolic links",
		"missing.yaml": "no such file or directory",
	}
	for _, e := range res.Errors {
		w, ok := want[filepath.Base(e.File)]
		if !ok {
			t.Errorf("unexpected error %s:%d: %s", e.File, e.Line, e.Message)
			continue
		}
		if !strings.Contains(e.Message, w) {
			t.Errorf("%s: %q, want it to say %q", e.File, e.Message, w)
		}
		delete(want, filepath.Base(e.File))
	}
	for name := range want {
		t.Errorf("%s is not reported", name)
	}
	if len(res.Files) != 4 {
		t.Errorf("files %v: want the Dockerfile checked beside the three errors", res.Files)
	}
}

// TestDiscover_SkipsTestdata: test fixtures under testdata/ are not what
// a deployment is made of (argo-cd's are broken on purpose: 34 files that
// did not load, some 1,600 findings); one named on the command line is
// checked.
func TestDiscover_SkipsTestdata(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"Dockerfile":                          "FROM alpine:3.20.3\n",
		"util/helm/testdata/redis/Dockerfile": "FROM redis\n",
		"testdata/compose.yaml":               "services:\n  web:\n    image: nginx\n",
	})
	found := func(paths ...string) []string {
		inputs, err := Discover(paths)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, in := range inputs {
			rel, _ := filepath.Rel(dir, in.Path)
			out = append(out, filepath.ToSlash(rel))
		}
		return out
	}
	if got := found(dir); strings.Join(got, " ") != "Dockerfile" {
		t.Errorf("found %v, want the Dockerfile alone", got)
	}
	if got := found(filepath.Join(dir, "util", "helm", "testdata")); strings.Join(got, " ") != "util/helm/testdata/redis/Dockerfile" {
		t.Errorf("testdata/ named: found %v, want its Dockerfile", got)
	}
}
