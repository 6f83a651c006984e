package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// binwiederhier/ntfy: a urfave/cli program whose server is its `serve`
// command (cmd/serve.go: var cmdServe = &cli.Command{Name: "serve"});
// its handler dispatches by comparing r.URL.Path (`r.Method ==
// http.MethodGet && r.URL.Path == apiHealthPath`, a constant
// "/v1/health"); its server package embeds site, which its Makefile's
// web-build makes and git ignores.
func TestDetect_NtfyShape(t *testing.T) {
	files := ntfyFiles()
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if s.Args == nil || strings.Join(s.ArgWords, " ") != "serve" || s.Args.File != "cmd/serve.go" || s.Args.Line != 9 {
		t.Errorf("arguments %s %v, want serve from cmd/serve.go:9", ev(s.Args), s.ArgWords)
	}
	if s.HealthPath == nil || s.HealthPath.Value != "/v1/health" || s.HealthPath.Line != 18 {
		t.Errorf("health %s, want /v1/health from server/server.go:18", ev(s.HealthPath))
	}
	if len(s.Needs) != 1 || s.Needs[0].File != "server/server.go" || s.Needs[0].Line != 10 ||
		!strings.Contains(s.Needs[0].Value, "server/site, which the tree lacks: Makefile:3 makes it (`cd web && npm run build && mv build ../server/site`)") {
		t.Errorf("needs %+v, want server/site from the embed at server/server.go:10, made by Makefile:3", s.Needs)
	}

	// Made (as after make web): no need; a POST route and a flag named
	// serve are no GET route and no command.
	files["server/site/app.html"] = "<html></html>\n"
	files["server/server.go"] = strings.Replace(files["server/server.go"], `r.URL.Path == "/"`, `r.Method == http.MethodPost && r.URL.Path == "/publish"`, 1)
	files["cmd/serve.go"] = strings.Replace(files["cmd/serve.go"], "&cli.Command{\n\tName:   \"serve\",", "&cli.Command{\n\tName:   \"run\",\n\tFlags: []cli.Flag{&cli.StringFlag{Name: \"serve\"}},", 1)
	dir := testutil.WriteTree(t, files)
	s, err = Detect(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Needs) != 0 {
		t.Errorf("needs %+v with server/site made", s.Needs)
	}
	if s.Args != nil {
		t.Errorf("arguments %s from a flag named serve", ev(s.Args))
	}
	routes, _ := (&repo{dir: dir, lines: map[string][]string{}, lang: "go"}).goRoutes()
	for _, rt := range routes {
		if rt.Value == "/publish" {
			t.Errorf("POST /publish taken for a GET route")
		}
	}
	if len(routes) != 1 || routes[0].Value != "/v1/health" {
		t.Errorf("routes %+v, want /v1/health alone", routes)
	}
}

func ntfyFiles() map[string]string {
	return map[string]string{
		"go.mod":     "module heckel.io/ntfy/v2\n\ngo 1.24\n\nrequire github.com/urfave/cli/v2 v2.27.6\n",
		".gitignore": "server/site/\n",
		"Makefile":   "web: web-build\nweb-build:\n\tcd web && npm run build && mv build ../server/site\n",
		"main.go":    "package main\n\nimport (\n\t\"os\"\n\n\t\"heckel.io/ntfy/v2/cmd\"\n)\n\nfunc main() {\n\tcmd.New().Run(os.Args)\n}\n",
		"cmd/app.go": "package cmd\n\nimport \"github.com/urfave/cli/v2\"\n\nfunc New() *cli.App {\n\treturn &cli.App{Commands: []*cli.Command{cmdServe}}\n}\n",
		"cmd/serve.go": "package cmd\n\nimport (\n\t\"github.com/urfave/cli/v2\"\n\t\"heckel.io/ntfy/v2/server\"\n)\n\nvar cmdServe = &cli.Command{\n\tName:   \"serve\",\n\tAction: execServe,\n}\n\n" +
			"func execServe(c *cli.Context) error {\n\treturn server.New().Run()\n}\n",
		"server/server.go": "package server\n\nimport (\n\t\"embed\"\n\t\"net/http\"\n)\n\nconst apiHealthPath = \"/v1/health\"\n\n//go:embed site\nvar webFs embed.FS\n\ntype Server struct{}\n\nfunc (s *Server) handle(w http.ResponseWriter, r *http.Request) {\n" +
			"\tif r.Method == http.MethodGet && r.URL.Path == \"/\" {\n\t\tw.Write(nil)\n\t} else if r.Method == http.MethodGet && r.URL.Path == apiHealthPath {\n\t\tw.Write(nil)\n\t}\n}\n\n" +
			"func New() *Server { return &Server{} }\n\nfunc (s *Server) Run() error {\n\treturn http.ListenAndServe(\":80\", http.HandlerFunc(s.handle))\n}\n",
	}
}
