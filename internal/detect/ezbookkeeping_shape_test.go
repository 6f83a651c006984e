package detect

import (
	"strings"
	"testing"
)

// mayswind/ezbookkeeping 2e20df861c25: its Dockerfile's final stage runs
// ENTRYPOINT ["/docker-entrypoint.sh"] with no CMD, a copy of
// docker/docker-entrypoint.sh, whose default branch runs `exec
// /ezbookkeeping/ezbookkeeping server run ${conf_path_param}` (empty unless
// EBK_CONF_PATH is set): the image passes `server run`. The stage copies
// conf/ and templates/ from the context beside the program (its working
// directory, where it reads them), and dist/ from a Node stage to public/,
// which its package.json's vite build writes. Its health route is
// /healthz.json. A single-stage Dockerfile's COPYs are its sources: no
// run-time files.
func TestDetect_EzbookkeepingShape(t *testing.T) {
	files := map[string]string{
		"go.mod":           "module github.com/mayswind/ezbookkeeping\n\ngo 1.24\n\nrequire github.com/urfave/cli/v3 v3.0.0\n",
		"ezbookkeeping.go": "package main\n\nimport \"github.com/mayswind/ezbookkeeping/cmd\"\n\nfunc main() { cmd.Run() }\n",
		"cmd/webserver.go": "package cmd\n\nimport \"net/http\"\n\nfunc Run() {\n\thttp.HandleFunc(\"/healthz.json\", nil)\n\thttp.HandleFunc(\"/api/v1/accounts/list.json\", nil)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"Dockerfile": "FROM golang:1.24-alpine AS be-builder\nWORKDIR /go/src/app\nCOPY . .\nRUN ./build.sh backend\n\n" +
			"FROM node:24-alpine AS fe-builder\nWORKDIR /go/src/app\nCOPY . .\nRUN ./build.sh frontend\n\n" +
			"FROM alpine:3.21\nCOPY docker/docker-entrypoint.sh /docker-entrypoint.sh\nWORKDIR /ezbookkeeping\n" +
			"COPY --from=be-builder /go/src/app/ezbookkeeping /ezbookkeeping/ezbookkeeping\nCOPY --from=fe-builder /go/src/app/dist /ezbookkeeping/public\n" +
			"COPY conf /ezbookkeeping/conf\nCOPY templates /ezbookkeeping/templates\nCOPY LICENSE /ezbookkeeping/LICENSE\nEXPOSE 8080\nENTRYPOINT [\"/docker-entrypoint.sh\"]\n",
		"docker/docker-entrypoint.sh": "#!/bin/sh\n\nset -e;\n\nconf_path_param=\"\";\n\nif [ \"${EBK_CONF_PATH}\" != \"\" ]; then\n  conf_path_param=\"--conf-path=${EBK_CONF_PATH}\";\nfi\n\n" +
			"if [ $# -gt 0 ]; then\n    exec \"$@\"\nelse\n    exec /ezbookkeeping/ezbookkeeping server run ${conf_path_param};\nfi\n",
		"conf/ezbookkeeping.ini": "[server]\nhttp_port = 8080\n",
		"templates/email.tmpl":   "hello\n",
		"LICENSE":                "MIT\n",
		"package.json":           `{"name": "ezbookkeeping", "scripts": {"build": "cross-env NODE_ENV=production vite build"}, "devDependencies": {"vite": "^7.0.0"}}`,
		"package-lock.json":      `{"lockfileVersion": 3}`,
		"src/main.ts":            "console.log(1)\n",
	}
	s, _ := goShape(t, files)
	if got := ev(s.Args); got != "server run@docker/docker-entrypoint.sh:14" {
		t.Errorf("args %s, want `server run` from docker/docker-entrypoint.sh:14", got)
	}
	if got := ev(s.HealthPath); got != "/healthz.json@cmd/webserver.go:6" {
		t.Errorf("health %s", got)
	}
	var runtime []string
	for _, e := range s.RuntimeFiles {
		runtime = append(runtime, e.Value)
	}
	if got := strings.Join(runtime, " "); got != "conf templates" {
		t.Errorf("run-time files %q, want conf templates (not LICENSE)", got)
	}
	if f := s.Frontend; f == nil || f.Out != "dist" || f.Dest != "public" || !f.Runtime {
		t.Errorf("front end %+v, want dist built and put at public", f)
	}
	// One stage that builds the program: its COPYs are sources.
	files["Dockerfile"] = "FROM golang:1.24\nWORKDIR /app\nCOPY go.mod ./\nCOPY conf conf\nRUN go build -o main .\nCMD [\"/app/main\"]\n"
	s, _ = goShape(t, files)
	for _, e := range s.RuntimeFiles {
		if e.Why == "the repository's Dockerfile copies it beside the program" {
			t.Errorf("run-time file %s from a stage that builds the program", ev(&e))
		}
	}
}
