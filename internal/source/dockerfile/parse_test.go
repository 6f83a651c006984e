package dockerfile

import (
	"errors"
	"strings"
	"testing"
)

func mustParse(t *testing.T, src string, args map[string]string) *File {
	t.Helper()
	f, err := Parse([]byte(src), Options{Path: "Dockerfile", BuildArgs: args})
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return f
}

func TestParse_ResolvesArgInFrom(t *testing.T) {
	f := mustParse(t, "ARG BASE=python:3.12.7-slim-bookworm\nFROM ${BASE} AS app\nARG BASE\nRUN echo $BASE\n", nil)
	st := f.Stages[0]
	if !st.Image.Resolved || st.Image.Repository != "python" || st.Image.Tag != "3.12.7-slim-bookworm" {
		t.Fatalf("image = %+v", st.Image)
	}
	if st.Name != "app" {
		t.Fatalf("stage name = %q", st.Name)
	}
	if v, ok := st.Instructions[2].Lookup("BASE"); !ok || v != "python:3.12.7-slim-bookworm" {
		t.Fatalf("redeclared ARG = %q, %v", v, ok)
	}
}

func TestParse_BuildArgWinsOverDefault(t *testing.T) {
	f := mustParse(t, "ARG TAG=latest\nFROM nginx:${TAG}\n", map[string]string{"TAG": "1.27.3"})
	if got := f.Stages[0].Image.Tag; got != "1.27.3" {
		t.Fatalf("tag = %q", got)
	}
}

func TestParse_UnknownArgIsUnresolved(t *testing.T) {
	f := mustParse(t, "ARG TAG\nFROM nginx:${TAG}\n", nil)
	if f.Stages[0].Image.Resolved {
		t.Fatal("image with an ARG without value must be unresolved")
	}
}

func TestParse_StageBaseAndDigest(t *testing.T) {
	f := mustParse(t, "FROM --platform=$BUILDPLATFORM golang:1.23.4@sha256:abc AS build\nFROM build AS test\nFROM gcr.io/distroless/static-debian12:nonroot\n", nil)
	if f.Stages[0].Image.Digest != "sha256:abc" || f.Stages[0].Platform != "$BUILDPLATFORM" {
		t.Fatalf("stage 0 = %+v", f.Stages[0])
	}
	if f.Stages[1].Base != f.Stages[0] {
		t.Fatal("FROM build must refer to the build stage")
	}
	img := f.Stages[2].Image
	if img.Registry != "gcr.io" || img.Short() != "static-debian12" || !img.Distroless() {
		t.Fatalf("image = %+v", img)
	}
}

func TestParse_RunCommandsKeepTheirLines(t *testing.T) {
	src := `FROM debian:12.8
RUN --mount=type=cache,target=/var/cache/apt \
    apt-get update && \
    # a comment Docker drops
    apt-get install -y \
      curl \
    && curl -fsSL https://example.com/x | sh
`
	f := mustParse(t, src, nil)
	run := f.Instructions[1]
	if run.Script == nil || run.Script.Err != nil {
		t.Fatalf("script = %+v", run.Script)
	}
	var got []string
	for _, c := range run.Script.Commands {
		got = append(got, c.Name+"@"+itoa(c.Line)+":"+itoa(c.Column))
	}
	want := "apt-get@3:5 apt-get@5:5 curl@7:8 sh@7:43"
	if strings.Join(got, " ") != want {
		t.Fatalf("commands = %v, want %s", got, want)
	}
	if c := run.Script.Commands[2]; c.PipeTo == nil || c.PipeTo.Name != "sh" || c.Pipefail {
		t.Fatalf("curl pipe = %+v", c)
	}
	if !run.HasCacheMount("/var/cache/apt") {
		t.Fatal("cache mount not seen")
	}
}

func TestParse_PipefailFromShellAndSet(t *testing.T) {
	f := mustParse(t, "FROM debian:12.8\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN a | b\nFROM debian:12.8\nRUN set -eux -o pipefail; a | b\nRUN a | b\n", nil)
	if !f.Instructions[2].Script.Commands[0].Pipefail {
		t.Fatal("SHELL with pipefail not seen")
	}
	if !f.Instructions[4].Script.Commands[1].Pipefail {
		t.Fatal("set -o pipefail not seen")
	}
	if f.Instructions[5].Script.Commands[0].Pipefail {
		t.Fatal("pipefail leaked into the next RUN")
	}
}

func TestParse_HeredocScript(t *testing.T) {
	src := "# syntax=docker/dockerfile:1\nFROM alpine:3.20.3\nRUN <<EOF\nset -e\napk add --no-cache curl\nEOF\nRUN <<EOF\n#!/usr/bin/env python3\nprint('hi')\nEOF\n"
	f := mustParse(t, src, nil)
	sc := f.Instructions[1].Script
	if len(sc.Commands) != 2 || sc.Commands[1].Name != "apk" || sc.Commands[1].Line != 5 {
		t.Fatalf("heredoc commands = %+v", sc.Commands)
	}
	if f.Instructions[2].Script.Language != "python3" || len(f.Instructions[2].Script.Commands) != 0 {
		t.Fatalf("python heredoc = %+v", f.Instructions[2].Script)
	}
}

func TestParse_WrappersArePeeled(t *testing.T) {
	f := mustParse(t, "FROM debian:12.8\nRUN sudo -E apt-get install -y curl\n", nil)
	c := f.Instructions[1].Script.Commands[0]
	if c.Name != "apt-get" || !c.Wrapped("sudo") || c.Sub() != "install" {
		t.Fatalf("command = %+v", c)
	}
}

func TestParse_ExecFormShellC(t *testing.T) {
	f := mustParse(t, "FROM debian:12.8\nHEALTHCHECK CMD [\"sh\", \"-c\", \"curl -f http://localhost/ || exit 1\"]\n", nil)
	sc := f.Instructions[1].Script
	if len(sc.Commands) != 2 || sc.Commands[0].Name != "curl" {
		t.Fatalf("commands = %+v", sc.Commands)
	}
}

func TestParse_Errors(t *testing.T) {
	cases := map[string]struct {
		src  string
		line int
	}{
		"binary":                    {"FROM a\n\x00\x01", 2},
		"unterminated heredoc":      {"FROM a\nRUN <<EOF\necho\n", 2},
		"invalid json cmd":          {"FROM a\nCMD [\"python\", \"app.py\"\n", 2},
		"single quoted json":        {"FROM a\nENTRYPOINT ['python', 'app.py']\n", 2},
		"unknown instruction":       {"FROM a\nRUNN echo\n", 2},
		"shell not json":            {"FROM a\nSHELL /bin/bash -c\n", 2},
		"empty":                     {"# nothing\n", 1},
		"invalid utf8":              {"FROM a\nRUN echo \xff\n", 2},
		"unterminated continuation": {"FROM a\nRUN echo \\\n  hi \\\n", 3},
		"huge line":                 {"FROM a\nRUN echo " + strings.Repeat("x", 10<<20) + "\n", 2},
		"env without equals split":  {"FROM a\nENV A=1 B\n", 2},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Parse([]byte(tc.src), Options{Path: "x/Dockerfile"})
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v, want a ParseError", err)
			}
			if pe.Line != tc.line || !strings.HasPrefix(pe.Error(), "x/Dockerfile:") {
				t.Fatalf("err = %q, want line %d", pe.Error(), tc.line)
			}
		})
	}
}

func TestParse_TestBracketIsNotJSON(t *testing.T) {
	mustParse(t, "FROM a\nRUN [ \"$X\" = \"y\" ] && echo ok\n", nil)
}

func TestParse_StageInheritsBaseStageEnv(t *testing.T) {
	f := mustParse(t, "FROM python:3.12 AS base\nARG MODE=dev\nENV PIP_NO_CACHE_DIR=1\nFROM base AS app\nRUN pip install flask\nFROM python:3.12\nRUN pip install flask\n", nil)
	run := f.Stages[1].Instructions[1]
	if v, ok := run.Lookup("PIP_NO_CACHE_DIR"); !ok || v != "1" {
		t.Fatalf("ENV of the base stage = %q, %v; want 1", v, ok)
	}
	if _, ok := run.Lookup("MODE"); ok {
		t.Fatal("an ARG must not outlive its stage")
	}
	if _, ok := f.Stages[2].Instructions[1].Lookup("PIP_NO_CACHE_DIR"); ok {
		t.Fatal("a stage on an image must not see another stage's ENV")
	}
}

func TestParse_OnbuildRunIsParsed(t *testing.T) {
	f := mustParse(t, "FROM node:20\nONBUILD RUN --mount=type=cache,target=/root/.npm npm install express\n", nil)
	sub := f.Instructions[1].Sub
	if sub == nil || sub.Script == nil || len(sub.Script.Commands) != 1 {
		t.Fatalf("ONBUILD RUN = %+v", sub)
	}
	c := sub.Script.Commands[0]
	if c.Name != "npm" || strings.Join(c.Args, " ") != "install express" || c.Column != 50 {
		t.Fatalf("command = %q %q at column %d", c.Name, c.Args, c.Column)
	}
	if sub.Stage != f.Stages[0] || !sub.Trigger {
		t.Fatal("the RUN an ONBUILD wraps belongs to the ONBUILD's stage")
	}
}

func TestParse_CommandEnv(t *testing.T) {
	f := mustParse(t, "FROM python:3.12\nRUN export A=1 && B=2 pip install x && env C=3 pip install y && pip install z\n", nil)
	cmds := f.Stages[0].Instructions[1].Script.Commands
	want := []string{"A=1 B=2", "A=1 C=3", "A=1"} // export itself is no command
	if len(cmds) != len(want) {
		t.Fatalf("%d commands, want %d", len(cmds), len(want))
	}
	for i, c := range cmds {
		var got []string
		for _, k := range []string{"A", "B", "C"} {
			if v, ok := c.Env[k]; ok {
				got = append(got, k+"="+v)
			}
		}
		if strings.Join(got, " ") != want[i] {
			t.Errorf("command %d (%s) env = %v, want %s", i, c.Name, got, want[i])
		}
	}
}

func TestCommand_OptionCount(t *testing.T) {
	cases := []struct {
		args string
		want int
	}{
		{"install -q python", 1},
		{"install -qq python", 2},
		{"install -q -q python", 2},
		{"install --quiet --quiet python", 2},
		{"install -yq python", 1},
		{"install -- -q", 0},
	}
	for _, c := range cases {
		cmd := &Command{Name: "apt-get", Args: strings.Fields(c.args)}
		if got := cmd.OptionCount("--quiet", 'q'); got != c.want {
			t.Errorf("OptionCount(%q) = %d, want %d", c.args, got, c.want)
		}
	}
}

func TestInstruction_CopyPathsUnquoted(t *testing.T) {
	f := mustParse(t, "FROM alpine:3.20\nADD \"app.tgz\" 'lib.tgz' \"/srv/app/\"\nCOPY [\"a b\", \"/dst/\"]\n", nil)
	add, cp := f.Instructions[1], f.Instructions[2]
	if got := strings.Join(add.SourcePaths(), "|"); got != "app.tgz|lib.tgz" {
		t.Errorf("ADD sources = %q", got)
	}
	if got := add.Destination(); got != "/srv/app/" {
		t.Errorf("ADD destination = %q", got)
	}
	if got := strings.Join(cp.SourcePaths(), "|") + " " + cp.Destination(); got != "a b /dst/" {
		t.Errorf("COPY exec form = %q", got)
	}
}
