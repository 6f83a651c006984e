package detect

import (
	"maps"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// Forceu/Gokapi embeds internal/webserver/web/main.wasm, which git
// ignores and its //go:generate directives build; its own Dockerfile runs
// `go generate ./... && go build`. The build runs that go generate, said,
// instead of stopping on the embed. Its caarlos0/env Options{Prefix:
// "GOKAPI_"} names its variables. Without the Dockerfile's step, or with
// shell syntax in it, the embed still stops init.
func TestDetect_GoGenerateForAnEmbed(t *testing.T) {
	files := map[string]string{
		"go.mod":                              "module github.com/forceu/gokapi\n\ngo 1.25\n\nrequire github.com/caarlos0/env/v6 v6.10.1\n",
		".gitignore":                          "internal/webserver/web/main.wasm\n",
		"Dockerfile":                          "FROM golang:1.26.1-alpine AS build_base\nRUN mkdir /compile && apk add --no-cache git\nCOPY . /compile\nRUN cd /compile && go generate ./... && CGO_ENABLED=0 go build -o /compile/gokapi github.com/forceu/gokapi/cmd/gokapi\n\nFROM alpine:3.19\nCOPY --from=build_base /compile/gokapi /app/gokapi\nCMD [\"/app/gokapi\"]\n",
		"cmd/gokapi/Main.go":                  "package main\n\n//go:generate go run \"../../build/go-generate/buildWasm.go\"\n\nimport (\n\t\"github.com/forceu/gokapi/internal/environment\"\n\t\"github.com/forceu/gokapi/internal/webserver\"\n)\n\nfunc main() {\n\tenv := environment.New()\n\twebserver.Start(env.Addr())\n}\n",
		"build/go-generate/buildWasm.go":      "//go:build tools\n\npackage main\n\nfunc main() { buildWasmModule(\"github.com/forceu/gokapi/cmd/wasmdownloader\", \"../../internal/webserver/web/main.wasm\") }\n",
		"internal/webserver/Webserver.go":     "package webserver\n\nimport (\n\t\"embed\"\n\t\"net/http\"\n)\n\n//go:embed web/main.wasm\nvar wasmFile embed.FS\n\nfunc Start(addr string) {\n\thttp.HandleFunc(\"/health\", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(addr, nil)\n}\n",
		"internal/environment/Environment.go": "package environment\n\nimport envParser \"github.com/caarlos0/env/v6\"\n\ntype Environment struct {\n\tConfigDir string `env:\"CONFIG_DIR\" envDefault:\"config\"`\n\tWebserverPort int `env:\"PORT\" envDefault:\"53842\"`\n}\n\nfunc New() Environment {\n\tvar result Environment\n\tenvParser.Parse(&result, envParser.Options{\n\t\tPrefix: \"GOKAPI_\",\n\t})\n\treturn result\n}\n",
	}
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Needs) != 0 {
		t.Errorf("needs %+v; the repository's Dockerfile's go generate makes the embed", s.Needs)
	}
	if s.Generate == nil || s.Generate.Value != "go generate ./..." || s.Generate.File != "Dockerfile" || s.Generate.Line != 4 ||
		!strings.Contains(s.Generate.Why, "its directives make internal/webserver/web/main.wasm (git ignores it), which internal/webserver/Webserver.go:8 embeds") {
		t.Errorf("generate %+v, want go generate ./... from Dockerfile:4", s.Generate)
	}
	if s.PortVar == nil || s.PortVar.Value != "GOKAPI_PORT" {
		t.Errorf("port variable %s, want GOKAPI_PORT (caarlos0/env's Options.Prefix)", ev(s.PortVar))
	}

	// A go generate whose directives make something else (stringer's)
	// is not taken for the embed's maker.
	stringer := maps.Clone(files)
	stringer["cmd/gokapi/Main.go"] = strings.Replace(stringer["cmd/gokapi/Main.go"], `//go:generate go run "../../build/go-generate/buildWasm.go"`, "//go:generate go run golang.org/x/tools/cmd/stringer -type=Kind", 1)
	if s, err := Detect(testutil.WriteTree(t, stringer)); err != nil {
		t.Fatal(err)
	} else if len(s.Needs) != 1 || s.Generate != nil && s.Generate.File == "Dockerfile" {
		t.Errorf("stringer's go generate taken for the embed's maker: needs %+v, generate %+v", s.Needs, s.Generate)
	}
	for name, dockerfile := range map[string]string{
		"no go generate":   "FROM golang:1.26\nCOPY . /src\nRUN cd /src && go build -o /app ./cmd/gokapi\n",
		"a variable in it": "FROM golang:1.26\nCOPY . /src\nRUN cd /src && go generate $PKGS && go build ./cmd/gokapi\n",
	} {
		files["Dockerfile"] = dockerfile
		s, err := Detect(testutil.WriteTree(t, files))
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Needs) != 1 || !strings.Contains(s.Needs[0].Value, "internal/webserver/web/main.wasm") {
			t.Errorf("%s: needs %+v, want the embed named", name, s.Needs)
		}
	}
}

// oauth2-proxy/oauth2-proxy v7.15.6's .gitignore lists *.cgo1.go (line
// 29, from GitHub's Go template: an intermediate file of the go tool),
// and its Makefile's generate target writes Markdown documentation: init
// ran `go generate ./pkg/...` in the build, which stopped on a module the
// build could not fetch. No generator writes the go tool's own files.
func TestGoGenerate_GoToolIntermediatesAreNoGeneratedCode(t *testing.T) {
	files := map[string]string{
		"go.mod":                  "module github.com/oauth2-proxy/oauth2-proxy/v7\n\ngo 1.23\n",
		"main.go":                 "package main\n\nfunc main() {}\n",
		".gitignore":              "# Compiled Object files, Static and Dynamic libs (Shared Objects)\n*.o\n*.a\n*.so\n\n# Architecture specific extensions/prefixes\n*.[568vq]\n[568vq].out\n\n*.cgo1.go\n*.cgo2.c\n_cgo_defun.c\n_cgo_gotypes.go\n_cgo_export.*\n\n_testmain.go\n",
		"Makefile":                ".PHONY: generate\ngenerate:\n\tgo generate ./pkg/...\n",
		"pkg/apis/options/doc.go": "package options\n\n//go:generate go run github.com/ahmetb/gen-crd-api-reference-docs -out-file ../../../docs/docs/configuration/alpha_config.md\n",
	}
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if s.Generate != nil {
		t.Errorf("go generate %+v, from the go tool's own intermediate files", s.Generate)
	}
	files[".gitignore"] += "*.ego.go\n"
	if s, err = Detect(testutil.WriteTree(t, files)); err != nil {
		t.Fatal(err)
	}
	if s.Generate == nil || s.Generate.Value != "go generate ./pkg/..." {
		t.Errorf("go generate %+v, want the Makefile's where a generated file is ignored", s.Generate)
	}
}
