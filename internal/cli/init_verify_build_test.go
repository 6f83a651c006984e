package cli

import (
	"github.com/shipshape/shipshape/internal/detect"
	"github.com/shipshape/shipshape/internal/generate"
	"github.com/shipshape/shipshape/internal/verify"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBaseImageArgs: a base image the build could not pull is named with
// every ARG whose default it is (BooksAPI's build and runtime stages), as
// the flags that replace it; another failure names none.
func TestBaseImageArgs(t *testing.T) {
	df := filepath.Join(t.TempDir(), "Dockerfile")
	if err := os.WriteFile(df, []byte("# syntax=docker/dockerfile:1\nARG PYTHON_IMAGE=python:3.7.1-slim-buster\nARG RUNTIME_IMAGE=docker.io/library/python:3.7.1-slim-buster\nARG PIP_INDEX_URL\nFROM ${PYTHON_IMAGE} AS build\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	why := "the base image python:3.7.1-slim-buster is not on the engine and its registry is not reachable: pull or build it, or pass --build-arg with an image the engine has"
	want := " (the Dockerfile's arguments name it: replace each: --build-arg PYTHON_IMAGE=IMAGE --build-arg RUNTIME_IMAGE=IMAGE)"
	if got := baseImageArgs(df, why); got != want {
		t.Errorf("baseImageArgs = %q, want %q", got, want)
	}
	if got := baseImageArgs(df, "the build downloads from pypi.org, which the build network cannot reach"); got != "" {
		t.Errorf("another failure: %q, want nothing", got)
	}
}

// TestBuildFailure_NpmNamesThePackage: npm's 404 and npm ci's lock file
// refusal name the package lines after the error's first line, which the
// summary quotes (the twelfth try's bulletproof-nodejs and nestjs).
func TestBuildFailure_NpmNamesThePackage(t *testing.T) {
	for _, tc := range []struct {
		lines []string
		want  string
	}{
		{[]string{"#11 27.40 npm error code E404", "#11 27.40 npm error 404 Not Found - GET https://registry.npmjs.org/fs/-/fs-0.0.2.tgz", "#11 27.40 npm error 404"},
			"the npm registry answers 404 for fs@0.0.2, which the lock file pins"},
		{[]string{"npm ERR! 404 Not Found - GET https://registry.npmjs.org/@scope/pkg/-/pkg-1.2.3-beta.1.tgz - Not found"},
			"the npm registry answers 404 for @scope/pkg@1.2.3-beta.1"},
		{[]string{"#13 22.97 npm error code EUSAGE", "#13 22.97 npm error `npm ci` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync.", "#13 22.97 npm error Missing: faker@4.1.0 from lock file"},
			"package.json and package-lock.json disagree (npm ci installs exactly what the lock file holds): faker@4.1.0 is in package.json but not in the lock file"},
		{[]string{"npm error Invalid: lock file's typescript@4.9.5 does not satisfy typescript@5.3.3"},
			"the lock file's typescript@4.9.5 does not satisfy package.json's typescript@5.3.3"},
	} {
		if got := buildFailure(tc.lines); !strings.Contains(got, tc.want) {
			t.Errorf("buildFailure(%q) = %q, want it to say %q", tc.lines, got, tc.want)
		}
	}
}

// TestBuildFailure_NativeModule: node-pre-gyp's failed download comes
// first in the output, but the cause is that no binary of the module fits
// this Node and compiling it failed (maitraysuthar/rest-api-nodejs-
// mongodb's bcrypt 3.0.6 on Node 24, whose build image has no python3);
// the download alone, with nothing compiled, is still the network's.
func TestBuildFailure_NativeModule(t *testing.T) {
	lines := []string{
		"#11 19.17 npm error node-pre-gyp WARN Using request for node-pre-gyp https download",
		"#11 19.17 npm error node-pre-gyp WARN Hit error getaddrinfo ENOTFOUND github.com",
		"#11 19.17 npm error node-pre-gyp WARN Pre-built binaries not installable for bcrypt@3.0.6 and node@24.22.3 (node-v137 ABI, glibc) (falling back to source compile with node-gyp) ",
		"#11 19.17 npm error gyp ERR! find Python ",
		"#11 19.17 npm error gyp ERR! find Python checking if \"python3\" can be used",
		"#11 ERROR: executor failed running [/bin/sh -c npm ci --omit=dev]: exit code: 1",
	}
	got := buildFailure(lines)
	if !strings.Contains(got, "the native module bcrypt@3.0.6 has no prebuilt binary for Node 24.22.3") || !strings.Contains(got, "python3, make and g++") || strings.Contains(got, "build network cannot reach") {
		t.Errorf("buildFailure = %q, want the native module and the compilers named, not the network", got)
	}
	if got := buildFailure(lines[:2]); !strings.Contains(got, "the build downloads from github.com, which the build network cannot reach") {
		t.Errorf("the download alone: buildFailure = %q, want the network named", got)
	}
}

// TestBuildFailure_NativeModuleNAPI: bcrypt 5 ships N-API binaries, which
// fit every Node release; when its download could not reach its host, the
// cause is the network (and the compile it fell back to), not a missing
// binary for this Node (the seventeenth try's NestJS and Koa starters).
func TestBuildFailure_NativeModuleNAPI(t *testing.T) {
	lines := []string{
		"#11 30.12 node-pre-gyp info check checked for \"/app/node_modules/bcrypt/lib/binding/napi-v3/bcrypt_lib.node\" (not found)",
		"#11 30.12 node-pre-gyp http GET https://github.com/kelektiv/node.bcrypt.js/releases/download/v5.0.0/bcrypt_lib-v5.0.0-napi-v3-linux-x64-glibc.tar.gz",
		"#11 30.12 node-pre-gyp WARN Pre-built binaries not installable for bcrypt@5.0.0 and node@24.22.3 (node-v137 ABI, glibc) (falling back to source compile with node-gyp) ",
		"#11 30.12 node-pre-gyp WARN Hit error getaddrinfo ENOTFOUND github.com ",
		"#11 30.12 gyp ERR! find Python ",
		"#11 ERROR: executor failed running [/bin/sh -c npm ci --omit=dev]: exit code: 1",
	}
	got := buildFailure(lines)
	if !strings.Contains(got, "bcrypt@5.0.0's prebuilt binary (N-API, for any Node release) is downloaded from github.com, which the build network cannot reach (getaddrinfo ENOTFOUND github.com)") ||
		strings.Contains(got, "move bcrypt") {
		t.Errorf("buildFailure = %q, want the download's host named as the cause", got)
	}
}

// TestPassed_DatabaseTheAppCannotUse: an image that passed every check is
// no pass of init --verify when its log says it could not use the database
// the run started, or when its code puts that database on localhost; with
// neither, it passes.
func TestPassed_DatabaseTheAppCannotUse(t *testing.T) {
	plan := func(dsn string, postgres ...bool) *generate.Plan {
		t.Helper()
		imports := "import _ \"github.com/lib/pq\""
		if len(postgres) > 0 && !postgres[0] {
			imports = "import _ \"embed\""
		}
		dir := writeTree(t, map[string]string{
			"go.mod":  "module x\n\ngo 1.26\n\nrequire github.com/lib/pq v1.10.9\n",
			"main.go": "package main\n\n" + imports + "\n\nfunc main() {\n\tsql.Open(\"postgres\", " + dsn + ")\n\thttp.HandleFunc(\"/healthz\", h)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		})
		s, err := detect.Detect(dir)
		if err != nil {
			t.Fatal(err)
		}
		p, err := generate.Resolve(s, generate.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	ok := &verify.Report{Checks: []verify.Check{{Name: "healthy", Passed: true}}}
	refused := &verify.Report{Checks: []verify.Check{{Name: "healthy", Passed: true},
		{Name: "log", Warning: true, Detail: `the log says "pq: SSL is not enabled on the server": the database refused the app's connection`}}}
	for _, tc := range []struct {
		name    string
		plan    *generate.Plan
		rep     *verify.Report
		want    bool
		says    string
		migrate string // the release step that failed
	}{
		{"serves", plan(`os.Getenv("DATABASE_URL")`), ok, true, "", ""},
		{"its log says the database refused it", plan(`os.Getenv("DATABASE_URL")`), refused, false, "But it could not use the database the run started: the log says \"pq: SSL is not enabled on the server\"", ""},
		{"its log names a database the run did not start", plan(`"ignored"`, false), refused, true, "passed verify", ""},
		{"its code puts the database on localhost", plan(`"postgres://u:p@localhost:5432/x"`), ok, false, "But it cannot reach its postgres: main.go:6 puts it at localhost:5432", ""},
		// navya-gupta-004/Calender (the twenty-seventh try): its SQLite file
		// on the read-only root failed the release step, the app started
		// anyway, and compose's app-migrate stopped `docker compose up`.
		{"its release step failed", plan(`os.Getenv("DATABASE_URL")`), ok, false, "But its release step failed (/app/server -migrate, above)", "/app/server -migrate"},
	} {
		var out strings.Builder
		if got := passed(&out, "x:1", tc.rep, "", tc.plan, nil, nil, tc.migrate); got != tc.want || !strings.Contains(out.String(), tc.says) {
			t.Errorf("%s: passed = %v, want %v, saying %q:\n%s", tc.name, got, tc.want, tc.says, out.String())
		}
		// A pass the judgement refuses is not announced as one: its checks
		// passed, and the next lines say why that is not enough.
		if verdict := strings.Contains(out.String(), "x:1 passed verify:"); verdict != tc.want {
			t.Errorf("%s: 'x:1 passed verify:' said %v, want %v:\n%s", tc.name, verdict, tc.want, out.String())
		}
	}
}

// TestNewerGo: a Go build that fails on a name a downloaded module no
// longer finds, with an image newer than go.mod's own line, says so and
// names go.mod's line (TwiN/gatus: grpc's call of x/net's http2, which
// x/net leaves out under go1.27); with go.mod's own line, or another
// failure, it says nothing.
func TestNewerGo(t *testing.T) {
	gatus := []string{
		`#17 12.31 # google.golang.org/grpc/internal/transport`,
		`#17 12.31 /root/go/pkg/mod/google.golang.org/grpc@v1.81.1/internal/transport/handler_server.go:271:18: undefined: http2.TrailerPrefix`,
	}
	plan := func(v string) *generate.Plan {
		return &generate.Plan{Stack: &detect.Stack{Language: "go", Version: &detect.Evidence{Value: v, File: "go.mod", Line: 3}}}
	}
	got := newerGo(plan("1.26.3"), nil, gatus)
	for _, want := range []string{"google.golang.org/grpc@v1.81.1 may not build with it", "--build-arg GO_IMAGE=golang:1.26.", "go.mod's go 1.26.3"} {
		if !strings.Contains(got, want) {
			t.Errorf("newerGo = %q, want it to say %q", got, want)
		}
	}
	res, _ := generate.Runtime(plan("1.26.3").Stack)
	for _, tc := range []struct {
		name  string
		plan  *generate.Plan
		args  []string
		lines []string
	}{
		{"go.mod's own line", plan(res.Release.Line), nil, gatus},
		{"the app's own code", plan("1.26.3"), nil, []string{`#17 3.2 ./main.go:12:2: undefined: handler`}},
		{"no go line", &generate.Plan{Stack: &detect.Stack{Language: "go"}}, nil, gatus},
		{"a Go image chosen already", plan("1.26.3"), []string{"GO_IMAGE=golang:1.26.8-bookworm"}, gatus},
	} {
		if got := newerGo(tc.plan, tc.args, tc.lines); got != "" {
			t.Errorf("%s: newerGo = %q, want nothing", tc.name, got)
		}
	}
}

// TestBuildFailure_IncompleteGoSum: akhilrex/podgrab's go.sum (go 1.15)
// lacks x/sys's hash, which the build of go-isatty needs; the stop says
// to run go mod tidy, naming the package and its importer.
func TestBuildFailure_IncompleteGoSum(t *testing.T) {
	lines := []string{
		"#13 41.27 /root/go/pkg/mod/github.com/mattn/go-isatty@v0.0.12/isatty_tcgets.go:6:8: missing go.sum entry for module providing package golang.org/x/sys/unix (imported by github.com/mattn/go-isatty); to add:",
		"#13 41.27 \tgo get github.com/mattn/go-isatty@v0.0.12",
	}
	want := "the repository's go.sum lacks the checksum of the module that provides golang.org/x/sys/unix, which github.com/mattn/go-isatty imports: run go mod tidy and commit go.mod and go.sum"
	if got := buildFailure(lines); !strings.Contains(got, want) {
		t.Errorf("buildFailure = %q, want it to say %q", got, want)
	}
}

// TestBuildFailure_CLibrary: a cgo package whose C library the build
// image lacks fails on pkg-config, on its header, or (compiled before,
// from the build cache) on the link; each names the library and says to
// install its development files. Lines from real builds of
// h2non/imaginary v1.2.4 (bimg, libvips) on golang:1.27.4-bookworm
// without libvips-dev.
func TestBuildFailure_CLibrary(t *testing.T) {
	for _, tc := range []struct {
		lines []string
		want  string
	}{
		{[]string{"#8 11.35 # [pkg-config --cflags  -- vips]", "#8 11.35 Package vips was not found in the pkg-config search path.", "#8 11.35 Perhaps you should add the directory containing `vips.pc'"},
			"(pkg-config's vips)"},
		{[]string{"#8 9.061 ./main.go:3:11: fatal error: vips/vips.h: No such file or directory", "#8 9.061 compilation terminated."},
			"(the header vips/vips.h)"},
		{[]string{"#14 1.589 /usr/local/go/pkg/tool/linux_amd64/link: running gcc failed: exit status 1", "#14 1.589 /usr/bin/ld: cannot find -lvips: No such file or directory", "#14 1.589 collect2: error: ld returned 1 exit status"},
			"(libvips)"},
	} {
		got := buildFailure(tc.lines)
		for _, want := range []string{tc.want, "install its Debian package in the build stage"} {
			if !strings.Contains(got, want) {
				t.Errorf("buildFailure(%q) = %q, want it to say %q", tc.lines, got, want)
			}
		}
	}
}

// TestNewerGo_Cgo: the same undefined names come from a cgo package
// built with CGO_ENABLED=0 (bimg's files that call libvips import "C"),
// so a build without cgo says that may be the cause too, and one with
// cgo does not.
func TestNewerGo_Cgo(t *testing.T) {
	lines := []string{"#14 0.732 /root/go/pkg/mod/github.com/h2non/bimg@v1.1.4/resize.go:11:27: undefined: Options"}
	s := &detect.Stack{Language: "go", Version: &detect.Evidence{Value: "1.12", File: "go.mod", Line: 3}}
	got := newerGo(&generate.Plan{Stack: s}, nil, lines)
	if !strings.Contains(got, `Or github.com/h2non/bimg@v1.1.4 needs cgo, which the image builds without (CGO_ENABLED=0)`) {
		t.Errorf("without cgo: newerGo = %q, want it to name cgo", got)
	}
	s.CGO = &detect.Evidence{Value: "libvips", File: "image.go", Line: 4}
	if got := newerGo(&generate.Plan{Stack: s}, nil, lines); strings.Contains(got, "cgo") {
		t.Errorf("with cgo: newerGo = %q, want no word of cgo", got)
	}
}

// TestCgoLeftOut: otiai10/ocrserver built with CGO_ENABLED=0 (gosseract's
// files that link tesseract import "C") fails on gosseract's names in its
// own code: the stop says cgo may be why; with cgo, or on a name of its
// own package, it says nothing.
func TestCgoLeftOut(t *testing.T) {
	lines := []string{"#14 1.044 # github.com/otiai10/ocrserver/controllers", "#14 1.044 controllers/base64.go:57:22: undefined: gosseract.NewClient"}
	s := &detect.Stack{Language: "go"}
	if got := cgoLeftOut(&generate.Plan{Stack: s}, lines); !strings.Contains(got, `If package gosseract defines it only in files that import "C", the image's CGO_ENABLED=0 leaves them out`) {
		t.Errorf("without cgo: cgoLeftOut = %q", got)
	}
	if got := cgoLeftOut(&generate.Plan{Stack: s}, []string{"#17 3.2 ./main.go:12:2: undefined: handler"}); got != "" {
		t.Errorf("a name of its own: cgoLeftOut = %q, want nothing", got)
	}
	s.CGO = &detect.Evidence{Value: "tesseract"}
	if got := cgoLeftOut(&generate.Plan{Stack: s}, lines); got != "" {
		t.Errorf("with cgo: cgoLeftOut = %q, want nothing", got)
	}
}
