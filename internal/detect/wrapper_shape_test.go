package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// dexidp/dex ab64ed778070: its image runs a wrapper program first,
// ENTRYPOINT ["/usr/local/bin/docker-entrypoint"], with CMD ["dex",
// "serve", "/etc/dex/config.docker.yaml"], the program's own command.
// The program's arguments are those after its name, not the name.
// gogs/gogs eb1054e5432f: ENTRYPOINT ["/app/gogs/docker/start.sh"] with
// CMD ["/usr/bin/s6-svscan", "/app/gogs/docker/s6/"], a supervisor: the
// server gets none of those, and its urfave/cli `web` command instead,
// which is no path (its web/ directory is not carried for it).
func TestDetect_ArgumentsBehindAWrapper(t *testing.T) {
	dex := map[string]string{
		"go.mod":                        "module github.com/dexidp/dex\n\ngo 1.24\n",
		"cmd/dex/main.go":               "package main\n\nimport \"net/http\"\n\nfunc main() { http.ListenAndServe(\":5556\", nil) }\n",
		"cmd/docker-entrypoint/main.go": "package main\n\nimport \"syscall\"\n\nfunc main() { syscall.Exec(\"/usr/local/bin/dex\", nil, nil) }\n",
		"config.docker.yaml":            "issuer: http://127.0.0.1:5556/dex\n",
		"Dockerfile": "FROM golang:1.24 AS builder\nWORKDIR /usr/local/src/dex\nCOPY . .\nRUN go build -o /go/bin/dex ./cmd/dex && go build -o /go/bin/docker-entrypoint ./cmd/docker-entrypoint\n\n" +
			"FROM alpine:3.21\nCOPY --from=builder /go/bin/dex /usr/local/bin/dex\nCOPY --from=builder /go/bin/docker-entrypoint /usr/local/bin/docker-entrypoint\nCOPY config.docker.yaml /etc/dex/\n" +
			"ENTRYPOINT [\"/usr/local/bin/docker-entrypoint\"]\nCMD [\"dex\", \"serve\", \"/etc/dex/config.docker.yaml\"]\n",
	}
	s, err := Detect(testutil.WriteTree(t, dex), WithEntrypoint("cmd/dex"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.ArgWords, " "); got != "serve /etc/dex/config.docker.yaml" {
		t.Errorf("dex's arguments %q, want serve /etc/dex/config.docker.yaml", got)
	}

	gogs := map[string]string{
		"go.mod":           "module gogs.io/gogs\n\ngo 1.24\n\nrequire github.com/urfave/cli v1.22.16\n",
		"cmd/gogs/main.go": "package main\n\nimport (\n\t\"os\"\n\n\t\"github.com/urfave/cli\"\n)\n\nfunc main() {\n\tapp := cli.NewApp()\n\tapp.Commands = []cli.Command{\n\t\twebCommand,\n\t}\n\tapp.Run(os.Args)\n}\n",
		"cmd/gogs/web.go": "package main\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/urfave/cli\"\n)\n\nvar webCommand = cli.Command{\n\tName:   \"web\",\n\tAction: runWeb,\n}\n\n" +
			"func runWeb(c *cli.Context) error {\n\tm := flamego.New()\n\tm.Get(\"/\", home)\n\tm.Route(\"/healthcheck\", http.MethodHead+\",\"+http.MethodGet, healthCheck)\n\treturn http.ListenAndServe(\"0.0.0.0:3000\", m)\n}\n",
		"web/package.json": "{}\n",
		"docker/start.sh":  "#!/bin/sh\nexec \"$@\"\n",
		"Dockerfile": "FROM golang:1.24 AS binarybuilder\nWORKDIR /gogs.io/gogs\nCOPY . .\nRUN go build -o gogs ./cmd/gogs\n\nFROM alpine:3.21\nWORKDIR /app/gogs\nCOPY docker ./docker\nCOPY --from=binarybuilder /gogs.io/gogs/gogs .\n" +
			"HEALTHCHECK CMD (curl --noproxy localhost -o /dev/null -sS http://localhost:3000/healthcheck) || exit 1\nENTRYPOINT [\"/app/gogs/docker/start.sh\"]\nCMD [\"/usr/bin/s6-svscan\", \"/app/gogs/docker/s6/\"]\n",
	}
	if s, err = Detect(testutil.WriteTree(t, gogs)); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(s.ArgWords, " "); got != "web" {
		t.Errorf("gogs' arguments %q, want its web command", got)
	}
	for _, f := range s.RuntimeFiles {
		if f.Value == "web" {
			t.Errorf("web/ carried as %s: `web` is a command", ev(&f))
		}
	}
	if s.HealthPath == nil || s.HealthPath.Value != "/healthcheck" || s.HealthPath.File != "Dockerfile" {
		t.Errorf("health %s, want the Dockerfile's own probe of /healthcheck", ev(s.HealthPath))
	}
}

// flamego's m.Route(path, methods, handler) registers a route for the
// methods its second argument lists: GET among them, a probe's; POST
// alone, not. Read so without a Dockerfile that names it.
func TestDetect_FlamegoRouteWithItsMethods(t *testing.T) {
	for _, c := range []struct{ methods, want string }{
		{`http.MethodHead+","+http.MethodGet`, "/healthcheck"},
		{`"GET"`, "/healthcheck"},
		{`http.MethodPost`, ""},
	} {
		s, err := Detect(testutil.WriteTree(t, map[string]string{
			"go.mod":  "module x\n\ngo 1.24\n",
			"main.go": "package main\n\nimport \"net/http\"\n\nfunc main() {\n\tm := flamego.New()\n\tm.Route(\"/healthcheck\", " + c.methods + ", healthCheck)\n\thttp.ListenAndServe(\":3000\", m)\n}\n",
		}))
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if s.HealthPath != nil {
			got = s.HealthPath.Value
		}
		if got != c.want {
			t.Errorf("methods %s: health %q, want %q", c.methods, got, c.want)
		}
	}
}
