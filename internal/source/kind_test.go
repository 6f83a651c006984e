package source

import (
	"os"
	"path/filepath"
	"testing"
)

func TestKindOf_ByNameAndPlace(t *testing.T) {
	tests := []struct {
		path string
		want Kind
	}{
		{"Dockerfile", Dockerfile},
		{"svc/Containerfile", Dockerfile},
		{"build/api.dockerfile", Dockerfile},
		{"Dockerfile.prod", Dockerfile},
		{"Dockerfile.dockerignore", Unknown},
		{"Dockerfile.md", Unknown},
		{"Dockerfile.nginx", Nginx}, // the nginx name is asked first
		{"compose.yaml", Compose},
		{"docker-compose.override.yml", Compose},
		{"deploy/docker_compose_prod.yml", Compose},
		{"podman-compose.yml", Compose},
		{"compose.json", Unknown},
		{".github/workflows/ci.yml", Workflow},
		{"repo/.forgejo/workflows/deploy.yaml", Workflow},
		{".gitea/workflows/x.json", Unknown},
		{".github/workflows/compose.yml", Workflow}, // a workflow, whatever its name
		{".github/dependabot.yml", Pending},
		{"workflows/ci.yml", Pending},
		{"k8s/deployment.yaml", Pending},
		{"nginx.conf", Nginx},
		{"nginx.conf.example", Nginx},
		{"site.nginx.conf", Nginx},
		{"default.nginx", Nginx},
		{"nginx-app.conf", Nginx},
		{"default.conf", Unknown}, // only when named on purpose
		{"Caddyfile", Caddy},
		{"Caddyfile.dev", Caddy},
		{"site.caddyfile", Caddy},
		{"Makefile", Makefile},
		{"makefile", Makefile},
		{"build/docker.mk", Makefile},
		{"dockerfile.sales", Pending},
		{"dockerfile.go", Unknown},
		{"main.go", Unknown},
	}
	for _, tt := range tests {
		if got := KindOf(filepath.FromSlash(tt.path), nil); got != tt.want {
			t.Errorf("KindOf(%s) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestKindOf_ByContent(t *testing.T) {
	tests := []struct {
		path, content string
		want          Kind
	}{
		{"k8s/deployment.yaml", "# licence\napiVersion: apps/v1\nkind: Deployment\n", Manifest},
		{"values.yaml", "replicas: 2\nimage:\n  kind: web\n", Unknown},
		{"kustomization.yaml", "resources:\n- deployment.yaml\n", Unknown},
		{"dockerfile.sales", "# the sales service\n\nFROM alpine:3.20.3\n", Dockerfile},
		{"dockerfile.dev", "arg BASE=alpine\nfrom ${BASE}\n", Dockerfile},
		{"dockerfile.notes", "Some notes about the Dockerfile\nFROM here on\n", Unknown},
	}
	for _, tt := range tests {
		if got := KindOf(tt.path, []byte(tt.content)); got != tt.want {
			t.Errorf("KindOf(%s, %q) = %v, want %v", tt.path, tt.content, got, tt.want)
		}
	}
}

func TestKindOfNamed_WhatSomeoneNamesOnPurpose(t *testing.T) {
	tests := []struct {
		path, content string
		want          Kind
	}{
		{"default.conf", "", Nginx},
		{"nginx-mcp-locations.conf.template", "", Nginx},
		{"default.conf.TEMPLATE", "", Nginx},
		{"Dockerfile.template", "", Dockerfile},
		{"Dockerfile.conf", "", Dockerfile},
		{"notes.txt", "", Dockerfile},
		{"dockerfile.notes", "", Dockerfile},
		{"dockerfile.notes", "notes", Dockerfile},
		{"values.yaml", "replicas: 2\n", Unknown},
		{"values.yaml", "", Pending},
		{"Makefile", "", Makefile},
		{".github/workflows/ci.yml", "", Workflow},
	}
	for _, tt := range tests {
		var content []byte
		if tt.content != "" {
			content = []byte(tt.content)
		}
		if got := KindOfNamed(tt.path, content); got != tt.want {
			t.Errorf("KindOfNamed(%s, %q) = %v, want %v", tt.path, tt.content, got, tt.want)
		}
	}
}

func TestKindOfDir_ChartBeforeKustomization(t *testing.T) {
	write := func(dir string, names ...string) string {
		for _, n := range names {
			if err := os.WriteFile(filepath.Join(dir, n), []byte("x: 1\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return dir
	}
	tests := []struct {
		dir  string
		want Kind
	}{
		{write(t.TempDir(), "Chart.yaml", "values.yaml"), Helm},
		{write(t.TempDir(), "Chart.yaml", "kustomization.yaml"), Helm},
		{write(t.TempDir(), "kustomization.yml"), Kustomize},
		{write(t.TempDir(), "Kustomization"), Kustomize},
		{write(t.TempDir(), "deployment.yaml"), Unknown},
		{filepath.Join(t.TempDir(), "missing"), Unknown},
	}
	for _, tt := range tests {
		if got := KindOfDir(tt.dir); got != tt.want {
			t.Errorf("KindOfDir(%s) = %v, want %v", tt.dir, got, tt.want)
		}
	}
}
