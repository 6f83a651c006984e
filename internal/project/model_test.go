package project

import (
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// What a check reads it reads once: a file changed behind the model's back
// is still seen as it was, line, comments and bytes alike.
func TestModel_ReadsEachFileOnce(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{"start.sh": "#!/bin/sh\n# shipshape:ignore XF003 reason\nexec gunicorn app:app\n"})
	path := filepath.Join(dir, "start.sh")
	m := NewModel()
	if got := m.Line(path, 3); got != "exec gunicorn app:app" {
		t.Fatalf("line 3 = %q", got)
	}
	if err := os.WriteFile(path, []byte("changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := m.CommentsAbove(path, 3); !slices.Equal(got, []string{"shipshape:ignore XF003 reason", "!/bin/sh"}) {
		t.Errorf("comments above line 3 = %q", got)
	}
	if data, _ := m.File(path); string(data) == "changed\n" {
		t.Error("the file was read again")
	}
	if m.Line(path, 9) != "" || m.Line(filepath.Join(dir, "missing"), 1) != "" {
		t.Error("a line that is not there has text")
	}
}

func TestModelWorkflowsAbove_UpToTheRepositoryRoot(t *testing.T) {
	outer := testutil.WriteTree(t, map[string]string{
		".github/workflows/outside.yml":          "on: push\n",
		"repo/.git/HEAD":                         "ref: refs/heads/main\n",
		"repo/.github/workflows/ci.yml":          "on: push\n",
		"repo/.github/workflows/notes.md":        "not a workflow\n",
		"repo/.gitea/workflows/b.yaml":           "on: push\n",
		"repo/svc/api/.github/workflows/api.yml": "on: push\n",
	})
	got := NewModel().WorkflowsAbove(filepath.Join(outer, "repo", "svc", "api"))
	want := []string{
		filepath.Join(outer, "repo/svc/api/.github/workflows/api.yml"),
		filepath.Join(outer, "repo/.github/workflows/ci.yml"),
		filepath.Join(outer, "repo/.gitea/workflows/b.yaml"),
	}
	if !slices.Equal(got, want) {
		t.Errorf("workflows above = %v, want %v (nearest first, nothing outside the repository)", got, want)
	}
}

func TestModelNearestDockerfile_ThreeLevelsUpAtMost(t *testing.T) {
	root := testutil.WriteTree(t, map[string]string{
		".git/HEAD":                 "ref: refs/heads/main\n",
		"Dockerfile":                "FROM alpine:3.20.3\n",
		"deploy/k8s/base/app.yaml":  "kind: Deployment\n",
		"deploy/k8s/base/x/y/z.yml": "kind: Service\n",
		"svc/Containerfile":         "FROM alpine:3.20.3\nEXPOSE 8080\n",
		"svc/k8s/app.yaml":          "kind: Deployment\n",
	})
	m := NewModel()
	if f, ok := m.NearestDockerfile(filepath.Join(root, "deploy/k8s/base")); !ok || f.Path != filepath.Join(root, "Dockerfile") || f.ContextDir != root {
		t.Errorf("deploy/k8s/base: %+v, %v; want the repository's Dockerfile", f, ok)
	}
	if f, ok := m.NearestDockerfile(filepath.Join(root, "deploy/k8s/base/x/y")); ok {
		t.Errorf("five levels down found %s", f.Path)
	}
	if f, ok := m.NearestDockerfile(filepath.Join(root, "svc/k8s")); !ok || f.Path != filepath.Join(root, "svc/Containerfile") {
		t.Errorf("svc/k8s: %+v, %v; want svc/Containerfile", f, ok)
	}
}

func TestModelApp_ScannedOnceForEveryAsker(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{"main.py": "@app.get(\"/healthz\")\ndef h(): ...\n"})
	m := NewModel()
	apps := make([]*App, 8)
	var wg sync.WaitGroup
	for i := range apps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			apps[i] = m.App(dir)
		}()
	}
	wg.Wait()
	for _, a := range apps {
		if a != apps[0] {
			t.Fatal("the same directory was scanned twice")
		}
	}
	if !apps[0].Serves("/healthz") {
		t.Errorf("routes %v", apps[0].Routes)
	}
}

func TestModelShips_ProjectFilesNotPlaceholders(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"nginx/default.conf": "server {}\n",
		"data/.gitkeep":      "",
		".env":               "A=1\n",
		"nginx.conf":         "events {}\n",
	})
	m := NewModel()
	for src, want := range map[string]bool{"./nginx": true, "./data": false, "./.env": true, "nginx.conf": false, "./missing": false} {
		if got := m.Ships(dir, src); got != want {
			t.Errorf("Ships(%s) = %v, want %v", src, got, want)
		}
	}
}
