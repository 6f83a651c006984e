package generate

import (
	"errors"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/runtimes"
)

// TestImages_FromDeclaredVersions: what a project declares, as the file
// says it, picks the builder and runtime images init pins.
func TestImages_FromDeclaredVersions(t *testing.T) {
	for _, tc := range []struct {
		lang, file, value string
		builder, runtime  string
		eol               bool
	}{
		{"python", "", "", "python:3.13.15-slim-trixie", "gcr.io/distroless/python3-debian13:nonroot", false},
		{"python", "pyproject.toml", ">=3.9", "python:3.13.15-slim-trixie", "gcr.io/distroless/python3-debian13:nonroot", false},
		{"python", "pyproject.toml", ">=3.10,<3.13", "python:3.12.13-slim-bookworm", "python:3.12.13-slim-bookworm", false},
		{"python", "Pipfile", "3.11", "python:3.11.15-slim-bookworm", "gcr.io/distroless/python3-debian12:nonroot", false},
		{"python", "runtime.txt", "python-3.11.4", "python:3.11.4-slim-bookworm", "gcr.io/distroless/python3-debian12:nonroot", false},
		{"python", "Pipfile", "3.8", "python:3.8.20-slim-bookworm", "python:3.8.20-slim-bookworm", true},
		{"node", "", "", "node:24.22.3-bookworm-slim", "gcr.io/distroless/nodejs24-debian12:nonroot", false},
		{"node", "package.json", ">=12.0.0", "node:24.22.3-bookworm-slim", "gcr.io/distroless/nodejs24-debian12:nonroot", false},
		{"node", "package.json", "22.x", "node:22.23.5-bookworm-slim", "gcr.io/distroless/nodejs22-debian12:nonroot", false},
		{"node", ".nvmrc", "lts/*", "node:26.12.1-bookworm-slim", "node:26.12.1-bookworm-slim", false},
		{"node", "package.json", "^14", "node:14.21.3-bullseye-slim", "node:14.21.3-bullseye-slim", true},
		{"go", "go.mod", "1.22", "golang:1.27.4-bookworm", "", false},
		{"rust", "Cargo.toml", "1.82", "rust:1.95.0-slim-bookworm", "", false},
		{"rust", "rust-toolchain.toml", "1.82", "rust:1.82.0-slim-bookworm", "", false},
	} {
		s := &detect.Stack{Language: tc.lang}
		if tc.value != "" {
			s.Version = &detect.Evidence{Value: tc.value, File: tc.file}
		}
		var builder, runtime string
		switch tc.lang {
		case "python":
			builder = pythonImage(s)
			runtime, _ = pythonRuntime(s)
		case "node":
			builder = nodeImage(s)
			runtime, _ = nodeRuntime(s)
		case "go":
			builder = goBuilder(s)
		case "rust":
			builder = rustBuilder(s)
		}
		if builder != tc.builder || runtime != tc.runtime {
			t.Errorf("%s %s %q: builder %s, runtime %s; want %s, %s", tc.lang, tc.file, tc.value, builder, runtime, tc.builder, tc.runtime)
		}
		res, err := Runtime(s)
		if err != nil || res.EOL != tc.eol || res.Why == "" {
			t.Errorf("%s %q: Runtime = %+v, %v; want eol %v and a reason", tc.lang, tc.value, res, err, tc.eol)
		}
		pragma := strings.Contains(withRuntimePragma(s, "# header\nARG X=1\n"), "shipshape:ignore-file DF084")
		if pragma != tc.eol {
			t.Errorf("%s %q: DF084 pragma written %v, want %v", tc.lang, tc.value, pragma, tc.eol)
		}
	}
}

// TestRuntime_UnresolvableDeclarationGetsTheDefault: init still writes
// images, and the error says what was wrong with the declaration.
func TestRuntime_UnresolvableDeclarationGetsTheDefault(t *testing.T) {
	s := &detect.Stack{Language: "python", Version: &detect.Evidence{Value: "pypy3.10", File: ".python-version"}}
	res, err := Runtime(s)
	if !errors.Is(err, runtimes.ErrUnpinnable) || res.Version != "3.13.15" || !strings.Contains(res.Why, ".python-version") {
		t.Errorf("Runtime = %+v, %v", res, err)
	}
	if got := pythonImage(s); got != "python:3.13.15-slim-trixie" {
		t.Errorf("image = %s", got)
	}
}

// TestImages_PythonSuiteOfAnExactPatch: a patch older than a suite's first
// image gets the newest suite it was published for (docker-library/python's
// versions.json history), never a tag that was not published.
func TestImages_PythonSuiteOfAnExactPatch(t *testing.T) {
	for _, tc := range []struct{ value, builder string }{
		{"3.13.5", "python:3.13.5-slim-bookworm"}, // trixie from 3.13.6
		{"3.13.6", "python:3.13.6-slim-trixie"},
		{"3.11.2", "python:3.11.2-slim-bullseye"}, // bookworm from 3.11.4
		{"3.11.4", "python:3.11.4-slim-bookworm"},
		{"3.10.2", "python:3.10.2-slim-bullseye"}, // bookworm from 3.10.12
		{"3.9.5", "python:3.9.5-slim-buster"},     // bullseye from before 3.9.10, not known here
		{"3.12.0", "python:3.12.0-slim-bookworm"},
		{"3.14.2", "python:3.14.2-slim-trixie"},
		{"3.15.0", "python:3.15.0-slim-trixie"},
	} {
		s := &detect.Stack{Language: "python", Version: &detect.Evidence{Value: "==" + tc.value, File: "pyproject.toml"}}
		if got := pythonImage(s); got != tc.builder {
			t.Errorf("==%s: builder %s, want %s", tc.value, got, tc.builder)
		}
	}
}

// TestImages_NodeSuiteOfAnExactRelease: nodejs/docker-node built bookworm
// images from 18.16.0 and 20.3.0; an older exact release gets bullseye's.
func TestImages_NodeSuiteOfAnExactRelease(t *testing.T) {
	for _, tc := range []struct{ value, builder string }{
		{"18.12.1", "node:18.12.1-bullseye-slim"},
		{"18.16.0", "node:18.16.0-bookworm-slim"},
		{"20.2.0", "node:20.2.0-bullseye-slim"},
		{"20.11.1", "node:20.11.1-bookworm-slim"},
		{"16.3.0", "node:16.3.0-buster-slim"},
		{"14.21.3", "node:14.21.3-bullseye-slim"},
		{"12.22.12", "node:12.22.12-buster-slim"},
		{"24.22.3", "node:24.22.3-bookworm-slim"},
	} {
		s := &detect.Stack{Language: "node", Version: &detect.Evidence{Value: tc.value, File: ".nvmrc"}}
		if got := nodeImage(s); got != tc.builder {
			t.Errorf(".nvmrc %s: builder %s, want %s", tc.value, got, tc.builder)
		}
	}
}

// prefixedName: a kind's name after a prefix the app's other variables
// share, and no other environment's.
func TestPrefixedName(t *testing.T) {
	kind := mongoVars[0].name
	env := func(names ...string) []detect.Evidence {
		var out []detect.Evidence
		for _, n := range names {
			out = append(out, detect.Evidence{Value: n})
		}
		return out
	}
	for _, tc := range []struct {
		name string
		env  []detect.Evidence
		want bool
	}{
		{"ME_CONFIG_MONGODB_URL", env("ME_CONFIG_MONGODB_URL", "ME_CONFIG_SITE_BASEURL"), true},
		{"ME_CONFIG_MONGODB_URL", env("ME_CONFIG_MONGODB_URL"), false}, // read alone: whose prefix is not known
		{"STAGING_MONGODB_URL", env("STAGING_MONGODB_URL", "STAGING_HOST"), false},
		{"TEST_MONGODB_URL", env("TEST_MONGODB_URL", "TEST_USER"), false},
		{"APP_MONGODB_HOST", env("APP_MONGODB_HOST", "APP_PORT"), false}, // not the URL's kind
	} {
		if got := prefixedName(kind, tc.name, tc.env); got != tc.want {
			t.Errorf("prefixedName(%s, %v) = %v, want %v", tc.name, tc.env, got, tc.want)
		}
	}
}
