package compose

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

func TestLoad_MergesOverridesAndKeepsPositions(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"compose.yaml": `name: shop
services:
  web:
    image: "shop/web:${TAG:-latest}"
    ports:
      - "8000:8000"
  db:
    image: postgres:16.6
    profiles: [debug]
`,
		"compose.override.yaml": `services:
  web:
    # shipshape:ignore CO001 dev only
    image: shop/web:dev
    volumes:
      - ./src:/app
`,
		".env": "UNUSED=1\n",
	})
	p, err := Load(context.Background(), Options{Files: []string{filepath.Join(dir, "compose.yaml"), filepath.Join(dir, "compose.override.yaml")}})
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "shop" || !p.NamePinned {
		t.Fatalf("name %q pinned %v", p.Name, p.NamePinned)
	}
	web, _ := p.Service("web")
	if web.Image != "shop/web:dev" || len(web.Ports) != 1 || len(web.Volumes) != 1 {
		t.Fatalf("merged web = %+v", web)
	}
	if _, ok := p.Service("db"); !ok {
		t.Fatal("services in profiles must be loaded too")
	}
	pos, ok := p.Locate("services", "web", "image")
	if !ok || filepath.Base(pos.File) != "compose.override.yaml" || pos.Line != 4 {
		t.Fatalf("image located at %+v", pos)
	}
	if raw, _ := p.Raw("services", "web", "volumes", "0"); raw != "./src:/app" {
		t.Fatalf("raw volume %q", raw)
	}
	if c := pos.Comments(); len(c) == 0 || c[0] != "shipshape:ignore CO001 dev only" {
		t.Fatalf("comments %q", c)
	}
	if pos, _ := p.Locate("services", "web", "ports", "0"); pos.Line != 6 || filepath.Base(pos.File) != "compose.yaml" {
		t.Fatalf("port located at %+v", pos)
	}
}

func TestLoad_RequiredVariablesGetPlaceholders(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{"compose.yaml": "services:\n  web:\n    image: app:${TAG:?set TAG}\n"})
	p, err := Load(context.Background(), Options{Files: []string{filepath.Join(dir, "compose.yaml")}})
	if err != nil {
		t.Fatal(err)
	}
	if p.NamePinned || p.Name == "" {
		t.Fatalf("name %q pinned %v", p.Name, p.NamePinned)
	}
}

func TestLoad_ErrorsNameFileAndLine(t *testing.T) {
	cases := map[string]int{
		"services:\n  web:\n    image: [unclosed\n":     2, // yaml.v3 names the line before the unclosed flow
		"services:\n  web:\n    imagee: nginx:1.27.3\n": 3,
		"- a\n":       1,
		"":            1,
		"services:\n": 1,
		"services:\n  web:\n    image: a\n  worker:\n":              4, // compose-go panics on a null service
		"x-common: &c\n  image: a\nvpn:\n  build: .\n  net: host\n": 3, // version 1: services at the top level
	}
	for content, line := range cases {
		dir := testutil.WriteTree(t, map[string]string{"compose.yaml": content})
		_, err := Load(context.Background(), Options{Files: []string{filepath.Join(dir, "compose.yaml")}})
		var le *LoadError
		if !errors.As(err, &le) || le.Line != line {
			t.Errorf("%q: err = %v, want a LoadError on line %d", content, err, line)
		}
	}
}

func TestLoad_EnvFilesAreTheProjectDirectorys(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"stack/compose.yaml": "services:\n  db:\n    image: postgres:16.6\n    env_file:\n      - db.env\n      - path: secrets.env\n        required: true\n",
		"stack/db.env":       "POSTGRES_DB=notes\n",
	})
	p, err := Load(context.Background(), Options{Files: []string{filepath.Join(dir, "stack", "compose.yaml")}})
	if err != nil {
		t.Fatalf("env files are read beside the compose file, and one the repository leaves out is no error: %v", err)
	}
	db, _ := p.Service("db")
	if v := db.Environment["POSTGRES_DB"]; v == nil || *v != "notes" {
		t.Fatalf("environment = %v, want POSTGRES_DB from db.env", db.Environment)
	}
}

func TestFile_DevelopmentBelowTheProjectRoot(t *testing.T) {
	stack := "services:\n  web:\n    image: ghcr.io/acme/web:1.0.0\n"
	tests := []struct {
		name       string
		file, root string // relative to the tree
		want       bool
	}{
		{"a project kept in speed-test/ is still deployed", "speed-test/compose.yaml", "speed-test", false},
		{"the directory check was given says nothing, nor what is above it", "e2e/speed-test/compose.yaml", "e2e/speed-test", false},
		{"a test directory inside the project", "app/test/manual/compose.yaml", "app", true},
		{"cypress/ inside the project", "app/cypress/docker-compose.yml", "app", true},
		{"the repository is the root when check is given its test directory", "repo/e2e/compose.yaml", "repo/e2e", true},
		{"the file's own name", "app/compose.test.yml", "app", true},
		{"no root given: only the file's name counts", "cypress/compose.yaml", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := testutil.WriteTree(t, map[string]string{tt.file: stack, "repo/.git/HEAD": "ref: refs/heads/main\n"})
			opts := Options{Files: []string{filepath.Join(dir, tt.file)}}
			if tt.root != "" {
				opts.Root = filepath.Join(dir, tt.root)
			}
			p, err := Load(context.Background(), opts)
			if err != nil {
				t.Fatal(err)
			}
			if got := p.Files[0].Development(); got != tt.want {
				t.Fatalf("Development() = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestLoad_ProjectNameOnlyFromDotEnv(t *testing.T) {
	for _, name := range []string{".env", ".env.example", ".env.sample", ".env.dist"} {
		t.Run(name, func(t *testing.T) {
			dir := testutil.WriteTree(t, map[string]string{
				"compose.yaml": "services:\n  web:\n    image: ghcr.io/acme/web:1.0.0\n",
				name:           "COMPOSE_PROJECT_NAME=ledger\n",
			})
			p, err := Load(context.Background(), Options{Files: []string{filepath.Join(dir, "compose.yaml")}})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := p.NameInEnvFile != "", name == ".env"; got != want {
				t.Fatalf("NameInEnvFile = %q: compose reads .env and no other file", p.NameInEnvFile)
			}
		})
	}
}
