package generate_test

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/source/ignorefile"
)

// TestDockerIgnore_SecretsAtAnyDepth: the secrets init keeps out of the
// build context are kept out wherever they are. cors-anywhere's npm
// package holds test/key.pem; a bare *.pem left it in the image, and
// verify's secret scan failed the image init had written.
func TestDockerIgnore_SecretsAtAnyDepth(t *testing.T) {
	for _, lang := range []string{"go", "node", "python", "rust"} {
		f := generate.DockerIgnore(&generate.Plan{Stack: &detect.Stack{Language: lang}})
		ignore := ignorefile.Parse("", []byte(f.Content), ignorefile.Dockerignore)
		for path, want := range map[string]bool{
			".env": true, "api/.env": true, ".env.production": true, "web/.env.local": true,
			".env.example": false, "api/.env.example": false,
			"key.pem": true, "test/key.pem": true, "deploy/tls/server.key": true,
			"server.js": false, "lib/keys.js": false,
		} {
			if got, _ := ignore.Match(path, false); got != want {
				t.Errorf("%s: .dockerignore ignores %s: %v, want %v\n%s", lang, path, got, want, f.Content)
			}
		}
	}
}

// TestResolve_UnreadableFilesNote: files the image's user could not read
// get a note that says which, why and what fixes them; files the
// .dockerignore init writes keeps out of the build are not named (a 0600
// deploy/prod-secrets.yaml, dev.db), nor made readable by the advice.
func TestResolve_UnreadableFilesNote(t *testing.T) {
	s := &detect.Stack{Language: "node", Entrypoints: []detect.Evidence{{Value: "server.js"}}, Unreadable: []detect.Evidence{
		{Value: "Procfile", Why: "mode 0640"}, {Value: "package.json", Why: "mode 0640"}, {Value: "lib/", Why: "mode 0700"},
		{Value: "server.js", Why: "mode 0640"}, {Value: "README.md", Why: "mode 0640"},
		{Value: "deploy/prod-secrets.yaml", Why: "mode 0600"}, {Value: "dev.db", Why: "mode 0600"}, {Value: "node_modules/", Why: "mode 0700"}}}
	p, err := generate.Resolve(s, generate.Options{Name: "cors-anywhere", HealthPath: "/"})
	if err != nil {
		t.Fatal(err)
	}
	notes := strings.Join(p.Notes, "\n")
	want := "the image copies 4 file(s) other users may not read: Procfile (mode 0640), package.json (mode 0640), server.js (mode 0640) and 1 more, and 1 directory(ies) they may not enter: lib/ (mode 0700) with their modes and root as owner, so its user 10001 cannot read them"
	if !strings.Contains(notes, want) || !strings.Contains(notes, "chmod a+r the files and a+rx the directories") {
		t.Errorf("notes lack %q and the fix:\n%s", want, notes)
	}
	for _, never := range []string{"prod-secrets", "dev.db", "node_modules"} {
		if strings.Contains(notes, never) {
			t.Errorf("notes name %s, which the build never copies:\n%s", never, notes)
		}
	}
	s.Unreadable = s.Unreadable[5:]
	if p, err = generate.Resolve(s, generate.Options{Name: "cors-anywhere", HealthPath: "/"}); err != nil || strings.Contains(strings.Join(p.Notes, "\n"), "may not read") {
		t.Errorf("only ignored files: notes %q (%v)", p.Notes, err)
	}
}

// TestDockerIgnore_NodeDistOnlyWhenBuilt: dist/ is left out of the context
// where the image builds it, or where git ignores it (a stale local
// build); where the repository holds it and nothing builds it, it is what
// runs (maildev and peer, as published to npm, run dist/bin/*.js: left
// out, the image had no entry point).
func TestDockerIgnore_NodeDistOnlyWhenBuilt(t *testing.T) {
	for _, tc := range []struct {
		stack   detect.Stack
		ignored bool
	}{
		{detect.Stack{Language: "node", ShipsDist: &detect.Evidence{Value: "dist"}}, false},
		// A local build git ignores, which nothing in the image builds.
		{detect.Stack{Language: "node"}, true},
		{detect.Stack{Language: "node", ShipsDist: &detect.Evidence{Value: "dist"}, TypeScript: &detect.Evidence{Value: "typescript"}}, true},
		{detect.Stack{Language: "node", ShipsDist: &detect.Evidence{Value: "dist"}, Framework: &detect.Evidence{Value: "nestjs"}}, true},
	} {
		f := generate.DockerIgnore(&generate.Plan{Stack: &tc.stack})
		ignore := ignorefile.Parse("", []byte(f.Content), ignorefile.Dockerignore)
		if got, _ := ignore.Match("dist", true); got != tc.ignored {
			t.Errorf("TypeScript %v, framework %v: dist/ (of dist/bin/maildev.js) ignored %v, want %v\n%s", tc.stack.TypeScript != nil, tc.stack.Framework, got, tc.ignored, f.Content)
		}
	}
}

// A directory .dockerignore names for build output or scratch (bin/,
// tmp/) stays in the context where it holds the program's sources:
// halverneus/static-file-server's program is bin/serve, and the build
// stopped on "stat /src/bin/serve: directory not found".
func TestDockerIgnore_KeepsDirectoriesOfCode(t *testing.T) {
	f := generate.DockerIgnore(&generate.Plan{Stack: &detect.Stack{Language: "go", CodeDirs: []string{"bin", "cli", "tmp"}}})
	ignore := ignorefile.Parse("", []byte(f.Content), ignorefile.Dockerignore)
	for dir, want := range map[string]bool{"bin": false, "tmp": false, "cli": false, "dist": true, "deploy": true} {
		if got, _ := ignore.Match(dir, true); got != want {
			t.Errorf("%s/ ignored %v, want %v\n%s", dir, got, want, f.Content)
		}
	}
	if got, _ := ignore.Match("bin/serve/main_test.go", false); !got {
		t.Errorf("a test file under bin/ is in the context:\n%s", f.Content)
	}
	// The data directory stays out whatever code sits in it (a seed
	// script beside the local database).
	f = generate.DockerIgnore(&generate.Plan{Stack: &detect.Stack{Language: "node", CodeDirs: []string{"data"}}, DataDir: "/app/data"})
	ignore = ignorefile.Parse("", []byte(f.Content), ignorefile.Dockerignore)
	if got, _ := ignore.Match("data", true); !got {
		t.Errorf("data/ is in the context:\n%s", f.Content)
	}
	// A Go package of that name is compiled, not shipped: it stays in the
	// context (muety/wakapi's data/data.go, which config/config.go
	// imports: "no required module provides package .../data").
	for _, codeDirs := range [][]string{{"data"}, nil} {
		f = generate.DockerIgnore(&generate.Plan{Stack: &detect.Stack{Language: "go", CodeDirs: codeDirs}, DataDir: "/app/data"})
		ignore = ignorefile.Parse("", []byte(f.Content), ignorefile.Dockerignore)
		if got, _ := ignore.Match("data", true); got != (codeDirs == nil) {
			t.Errorf("Go, code in %v: data/ ignored %v\n%s", codeDirs, got, f.Content)
		}
	}
}

// TestNodePreloads: --import came in node 18.18 and 20.6; 18.18 refuses
// an entry point without an extension; the runtimes of 20 run 20's newest.
func TestNodePreloads(t *testing.T) {
	for v, want := range map[string]bool{"24.22.3": true, "22.0.0": true, "20.6.0": true, "20.5.1": true, "19.9.0": false, "18.19.0": true, "18.18.0": false, "18.17.1": false, "16.20.2": false, "14.21.3": false, "": false} {
		if got := generate.NodePreloads(v); got != want {
			t.Errorf("NodePreloads(%q) = %v, want %v", v, got, want)
		}
	}
}

// TestDockerIgnore_KeyFilesTheCodeNames: a certificate the code reads stays
// in the context; other keys stay out.
func TestDockerIgnore_KeyFilesTheCodeNames(t *testing.T) {
	f := generate.DockerIgnore(&generate.Plan{Stack: &detect.Stack{Language: "node",
		KeyFiles: []detect.Evidence{{Value: "certs/rds-global-bundle.pem", File: "server.js", Line: 1}}}})
	ignore := ignorefile.Parse("", []byte(f.Content), ignorefile.Dockerignore)
	for path, want := range map[string]bool{"certs/rds-global-bundle.pem": false, "certs/other.pem": true, "test/key.pem": true} {
		if got, _ := ignore.Match(path, false); got != want {
			t.Errorf("%s ignored %v, want %v\n%s", path, got, want, f.Content)
		}
	}
}

// TestResolve_UnreadableNoteAfterTheDataDir: a file in the directory the
// image mounts a volume on is not copied, and not named.
func TestResolve_UnreadableNoteAfterTheDataDir(t *testing.T) {
	s := &detect.Stack{Language: "node", Entrypoints: []detect.Evidence{{Value: "server.js"}},
		WriteDir:   &detect.Evidence{Value: "uploads", File: "server.js", Line: 3},
		Unreadable: []detect.Evidence{{Value: "uploads/photo.jpg", Why: "mode 0600"}}}
	p, err := generate.Resolve(s, generate.Options{Name: "x", HealthPath: "/"})
	if err != nil {
		t.Fatal(err)
	}
	if notes := strings.Join(p.Notes, "\n"); strings.Contains(notes, "photo.jpg") {
		t.Errorf("the note names a file of the data directory:\n%s", notes)
	}
}
