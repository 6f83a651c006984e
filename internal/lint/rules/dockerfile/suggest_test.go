package dockerfile

import (
	"regexp"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source"
)

// TestFix_FitsTheImage holds the fix texts that name commands to the image
// they are for: a Node image gets a Node health check, not a Python one;
// Alpine gets adduser and ash, not useradd and bash.
func TestFix_FitsTheImage(t *testing.T) {
	cases := []struct {
		name, rule, dockerfile string
		want, notWant          []string
	}{
		{"node image health check", "DF015", "FROM node:22.11.0-bookworm-slim\nEXPOSE 3000\nCMD [\"node\", \"server.js\"]\n",
			[]string{`"node", "-e"`, "127.0.0.1:3000"}, []string{"python", "curl -"}},
		{"python image health check", "DF015", "FROM python:3.12.7-slim\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]\n",
			[]string{"urllib.request", "127.0.0.1:8000"}, []string{"node"}},
		{"alpine without a runtime uses busybox wget", "DF015", "FROM nginx:1.27.3-alpine\nEXPOSE 80\n",
			[]string{"wget -q --spider http://127.0.0.1:80/"}, []string{"python", "curl -"}},
		{"scratch binary checks itself", "DF015", "FROM scratch\nCOPY app /app\nEXPOSE 8080\nENTRYPOINT [\"/app\"]\n",
			[]string{`["/app", "healthcheck"]`}, []string{"python", "wget -q"}},
		{"debian image with curl installed", "DF015", "FROM debian:12.8-slim\nRUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u8\nEXPOSE 9000\n",
			[]string{"curl -fsS http://127.0.0.1:9000/healthz"}, []string{"python"}},
		{"node on alpine: tool missing", "DF017", "FROM node:22.11.0-alpine3.20\nHEALTHCHECK CMD curl -f http://localhost:3000/ || exit 1\nUSER node\nCMD [\"node\", \"index.js\"]\n",
			[]string{`"node", "-e"`}, []string{"python"}},
		{"alpine user", "DF013", "FROM alpine:3.20.3\nCMD [\"/usr/local/bin/app\"]\n",
			[]string{"adduser -S -D -H -u 10001"}, []string{"useradd"}},
		{"node image has a node user", "DF013", "FROM node:22.11.0-alpine3.20\nCMD [\"node\", \"index.js\"]\n",
			[]string{"USER 1000:1000", "node user"}, []string{"useradd", "USER node"}},
		{"distroless has no shell to create a user", "DF013", "FROM gcr.io/distroless/static-debian12\nCOPY app /app\n",
			[]string{"65532"}, []string{"useradd", "RUN "}},
		{"debian user", "DF013", "FROM debian:12.8-slim\nCMD [\"/app\"]\n",
			[]string{"useradd --uid 10001"}, []string{"adduser"}},
		{"alpine pipefail without bash", "DF060", "FROM alpine:3.20.3\nRUN wget -qO- https://example.org/x.tgz | tar xz\n",
			[]string{"/bin/ash"}, []string{"/bin/bash"}},
		{"alpine with bash installed keeps bash", "DF060", "FROM alpine:3.20.3\nRUN apk add --no-cache bash=5.2.26-r0\nRUN wget -qO- https://example.org/x.tgz | tar xz\n",
			[]string{"/bin/bash"}, []string{"/bin/ash"}},
		{"npm install order", "DF075", "FROM node:22.11.0-bookworm-slim\nWORKDIR /app\nCOPY . .\nRUN npm ci\n",
			[]string{"COPY package.json package-lock.json ./"}, []string{"requirements.txt"}},
		{"alpine passwordless user", "DF079", "FROM alpine:3.20.3\nRUN adduser -D app && echo 'app:pw' | chpasswd\n",
			[]string{"adduser -D -H"}, []string{"useradd"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := lint.Check([]lint.Input{{Kind: source.Dockerfile, Path: "Dockerfile", Data: []byte(c.dockerfile)}}, lint.DefaultConfig(), lint.List())
			if len(res.Errors) > 0 {
				t.Fatalf("check: %v", res.Errors)
			}
			var fix string
			for _, f := range res.Findings {
				if f.Rule == c.rule {
					fix = f.Fix
				}
			}
			if fix == "" {
				t.Fatalf("%s did not fire", c.rule)
			}
			for _, w := range c.want {
				if !strings.Contains(fix, w) {
					t.Errorf("fix %q does not contain %q", fix, w)
				}
			}
			for _, w := range c.notWant {
				if strings.Contains(fix, w) {
					t.Errorf("fix %q contains %q", fix, w)
				}
			}
		})
	}
}

// TestUserFix_SatisfiesDF014 applies every USER that DF013 suggests, per
// image, and every USER a rule's fix text names, and holds them to DF012
// and DF014: a fix must not lead straight to another finding (the node
// image's `USER node` did, as a name).
func TestUserFix_SatisfiesDF014(t *testing.T) {
	userSpan := regexp.MustCompile("`USER ([^`]+)`")
	images := []string{
		"node:22.11.0-alpine3.20", "node:22.11.0-bookworm-slim", "alpine:3.20.3", "debian:12.8-slim",
		"gcr.io/distroless/static-debian12", "scratch", "registry.access.redhat.com/ubi9/ubi-minimal:9.5", "python:3.12.7-slim",
	}
	check := func(t *testing.T, dockerfile string) []lint.Finding {
		t.Helper()
		res := lint.Check([]lint.Input{{Kind: source.Dockerfile, Path: "Dockerfile", Data: []byte(dockerfile)}}, lint.DefaultConfig(), lint.List())
		if len(res.Errors) > 0 {
			t.Fatalf("check: %v", res.Errors)
		}
		return res.Findings
	}
	for _, img := range images {
		t.Run(img, func(t *testing.T) {
			base := "FROM " + img + "\nCOPY app /app\nCMD [\"/app\"]\n"
			var users []string
			for _, f := range check(t, base) {
				if f.Rule == "DF013" {
					for _, m := range userSpan.FindAllStringSubmatch(f.Fix, -1) {
						users = append(users, m[1])
					}
				}
			}
			if len(users) == 0 {
				t.Fatalf("DF013's fix for %s names no USER", img)
			}
			for _, u := range users {
				for _, f := range check(t, base+"USER "+u+"\n") {
					if f.Rule == "DF012" || f.Rule == "DF013" || f.Rule == "DF014" {
						t.Errorf("after the suggested `USER %s`, %s: %s", u, f.Rule, f.Message)
					}
				}
			}
		})
	}
	for _, r := range lint.List() {
		m := r.Info()
		for _, u := range userSpan.FindAllStringSubmatch(m.Fix, -1) {
			name, _, _ := strings.Cut(u[1], ":")
			if name != "root" && strings.Trim(name, "0123456789") != "" {
				t.Errorf("%s's fix names `USER %s`, which DF014 reports as a name", m.ID, u[1])
			}
		}
	}
}
