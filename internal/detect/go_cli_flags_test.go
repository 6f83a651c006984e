package detect

import (
	"maps"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// ntfy's listen flag, in the shape of its cmd/serve.go: a urfave/cli v2
// flag wrapped by altsrc, its default a constant of the server package,
// read from NTFY_LISTEN_HTTP too, beside a metrics listener and an HTTPS
// one without a default. The port is the flag's, the variable the flag's
// (the image moves the privileged 80 through it); a metrics flag, a
// second listen flag or v1's and v3's spellings are read as they say.
func TestDetect_GoCLIListenFlag(t *testing.T) {
	serve := func(flags string) string {
		return "package cmd\n\nimport (\n\t\"github.com/urfave/cli/v2\"\n\t\"github.com/urfave/cli/v2/altsrc\"\n\t\"example.com/ntfy/server\"\n)\n\nvar flags = []cli.Flag{\n" + flags +
			"}\n\nvar cmdServe = &cli.Command{Name: \"serve\", Flags: flags, Action: execServe}\n\nfunc execServe(c *cli.Context) error {\n\tconf := server.NewConfig()\n\tconf.ListenHTTP = c.String(\"listen-http\")\n\treturn server.New(conf).Run()\n}\n"
	}
	files := map[string]string{
		"go.mod":     "module example.com/ntfy\n\ngo 1.24\n\nrequire github.com/urfave/cli/v2 v2.27.6\n",
		"main.go":    "package main\n\nimport (\n\t\"os\"\n\n\t\"example.com/ntfy/cmd\"\n)\n\nfunc main() {\n\tcmd.New().Run(os.Args)\n}\n",
		"cmd/app.go": "package cmd\n\nimport \"github.com/urfave/cli/v2\"\n\nfunc New() *cli.App {\n\treturn &cli.App{Commands: []*cli.Command{cmdServe}}\n}\n",
		"cmd/serve.go": serve("\taltsrc.NewStringFlag(&cli.StringFlag{Name: \"listen-http\", Aliases: []string{\"l\"}, EnvVars: []string{\"NTFY_LISTEN_HTTP\"}, Value: server.DefaultListenHTTP, Usage: \"ip:port used as HTTP listen address\"}),\n" +
			"\taltsrc.NewStringFlag(&cli.StringFlag{Name: \"listen-https\", EnvVars: []string{\"NTFY_LISTEN_HTTPS\"}, Usage: \"ip:port used as HTTPS listen address\"}),\n" +
			"\taltsrc.NewStringFlag(&cli.StringFlag{Name: \"metrics-listen-http\", EnvVars: []string{\"NTFY_METRICS_LISTEN_HTTP\"}, Value: \":9090\"}),\n"),
		"server/config.go": "package server\n\nconst (\n\tDefaultListenHTTP = \":80\"\n)\n\ntype Config struct{ ListenHTTP string }\n\nfunc NewConfig() *Config { return &Config{ListenHTTP: DefaultListenHTTP} }\n",
		"server/server.go": "package server\n\nimport \"net/http\"\n\ntype Server struct{ config *Config }\n\nfunc New(c *Config) *Server { return &Server{config: c} }\n\n" +
			"func (s *Server) Run() error {\n\tsrv := &http.Server{Addr: s.config.ListenHTTP}\n\treturn srv.ListenAndServe()\n}\n",
	}
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if s.Port == nil || s.Port.Value != "80" || s.Port.File != "cmd/serve.go" || s.Port.Line != 10 ||
		!strings.Contains(s.Port.Why, `--listen-http, server.DefaultListenHTTP (":80", server/config.go:4)`) {
		t.Errorf("port %s, want 80 from cmd/serve.go:10's --listen-http and server/config.go:4", ev(s.Port))
	}
	if s.PortVar == nil || s.PortVar.Value != "NTFY_LISTEN_HTTP" || !s.PortVarAddress {
		t.Errorf("port variable %s (an address: %v), want NTFY_LISTEN_HTTP, an address", ev(s.PortVar), s.PortVarAddress)
	}

	for _, c := range []struct {
		name, flags, port, env string
	}{
		{"v1's EnvVar, a literal", "\tcli.StringFlag{Name: \"listen\", EnvVar: \"APP_LISTEN,LISTEN\", Value: \"0.0.0.0:8090\"},\n", "8090", "APP_LISTEN"},
		{"v3's Sources, an int", "\t&cli.IntFlag{Name: \"port\", Sources: cli.EnvVars(\"APP_PORT\"), Value: 7000},\n", "7000", "APP_PORT"},
		{"no variable", "\t&cli.StringFlag{Name: \"http-addr\", Value: \":3100\"},\n", "3100", ""},
		// A review's: v3's file source is no variable, a chain's EnvVar
		// is, and an address read from a variable named for a port would
		// lose its colon in the image.
		{"v3's file source", "\t&cli.StringFlag{Name: \"listen\", Sources: cli.Files(\"/run/secrets/listen\"), Value: \":8090\"},\n", "8090", ""},
		{"v3's chain", "\t&cli.StringFlag{Name: \"listen\", Sources: cli.NewValueSourceChain(cli.EnvVar(\"APP_LISTEN\")), Value: \":8090\"},\n", "8090", "APP_LISTEN"},
		{"an address from a port variable", "\t&cli.StringFlag{Name: \"port\", Sources: cli.EnvVars(\"APP_PORT\"), Value: \":8090\"},\n", "8090", "APP_PORT"},
		// Two listen flags: which one serves is not said.
		{"two listen flags", "\t&cli.StringFlag{Name: \"listen\", Value: \":8000\"},\n\t&cli.StringFlag{Name: \"http-addr\", Value: \":8001\"},\n", "", ""},
		// A database's port and a flag not named as a listener are not the app's.
		{"a database's port", "\t&cli.StringFlag{Name: \"addr\", Value: \"localhost:5432\"},\n", "", ""},
		{"another name", "\t&cli.StringFlag{Name: \"upstream\", Value: \":8000\"},\n", "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := maps.Clone(files)
			files["cmd/serve.go"] = serve(c.flags)
			files["server/server.go"] = strings.Replace(files["server/server.go"], "s.config.ListenHTTP", "conf()", 1) + "\nfunc conf() string { return \"\" }\n"
			s, err := Detect(testutil.WriteTree(t, files))
			if err != nil {
				t.Fatal(err)
			}
			got, env := "", ""
			if s.Port != nil && s.Port.File == "cmd/serve.go" {
				got = s.Port.Value
			}
			if s.PortVar != nil {
				env = s.PortVar.Value
			}
			if got != c.port || env != c.env {
				t.Errorf("port %s, variable %s; want %q from cmd/serve.go, $%s", ev(s.Port), ev(s.PortVar), c.port, c.env)
			}
		})
	}
}

// ntfy embeds server/docs, which its Makefile's cli-deps-static-sites
// (a prerequisite of its own server builds) makes with an empty
// index.html: the build does the same, and says so, instead of stopping.
// A recipe with more than mkdir and touch, a variable, or a path outside
// the tree is no placeholder.
func TestDetect_GoEmbedPlaceholder(t *testing.T) {
	files := ntfyFiles()
	files["Makefile"] += "\ncli-linux-server: cli-deps-static-sites\n\tmkdir -p dist/ntfy_linux_server server/docs\n\tgo build -o dist/ntfy_linux_server/ntfy\n\n" +
		"cli-deps-static-sites:\n\tmkdir -p server/docs server/site\n\ttouch server/docs/index.html server/site/app.html\n"
	files["server/server.go"] = strings.Replace(files["server/server.go"], "var webFs embed.FS\n", "var webFs embed.FS\n\n//go:embed docs\nvar docsFs embed.FS\n", 1)
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Placeholders) != 1 || s.Placeholders[0].Value != "mkdir -p server/docs && touch server/docs/index.html" ||
		s.Placeholders[0].File != "Makefile" || s.Placeholders[0].Line != 9 || !strings.Contains(s.Placeholders[0].Why, "its rule cli-deps-static-sites makes server/docs with empty files") {
		t.Errorf("placeholders %+v, want server/docs's mkdir and touch from Makefile:9", s.Placeholders)
	}
	if len(s.Needs) != 1 || !strings.Contains(s.Needs[0].Value, "server/site") {
		t.Errorf("needs %+v, want server/site's alone (its front end is no placeholder)", s.Needs)
	}
	// A line that removes the directory and builds it (mkdocs) is a
	// build: no placeholder.
	built := maps.Clone(files)
	built["Makefile"] += "\ndocs:\n\trm -rf server/docs && mkdocs build --site-dir server/docs\n"
	if s, err := Detect(testutil.WriteTree(t, built)); err != nil {
		t.Fatal(err)
	} else if len(s.Placeholders) != 0 {
		t.Errorf("placeholders %+v beside a build of server/docs", s.Placeholders)
	}
	for _, recipe := range []string{
		"\tmkdir -p server/docs\n\ttouch server/docs/index.html\n\tcp README.md server/docs/\n",
		"\tmkdir -p $(DOCS)\n\ttouch server/docs/index.html\n",
		"\tmkdir -p server/docs; touch server/docs/index.html\n",
		"\ttouch ../server/docs/index.html\n",
		"\tmkdir -p server/docs\n", // no file: go:embed refuses an empty directory
	} {
		files := maps.Clone(files)
		files["Makefile"] = "web-build:\n\tcd web && npm run build && mv build ../server/site\n\nstatic:\n" + recipe
		s, err := Detect(testutil.WriteTree(t, files))
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Placeholders) != 0 {
			t.Errorf("recipe %q taken for a placeholder: %+v", recipe, s.Placeholders)
		}
	}
}

// A package the program does not import gives it no port: goatcounter's
// gctest, a helper only its _test.go files import, sets $PGPORT to 5432
// (gctest/gctest.go:37), which init took for the app's port and variable.
// PGPORT is no listen port by its name now either (OtherServer), so the
// helper here sets a name that could be one, APP_PORT.
func TestDetect_GoPortOutsideTheProgram(t *testing.T) {
	files := map[string]string{
		"go.mod":                    "module zgo.at/goatcounter\n\ngo 1.25\n",
		"cmd/goatcounter/main.go":   "package main\n\nimport \"zgo.at/goatcounter/handlers\"\n\nfunc main() { handlers.Serve() }\n",
		"handlers/serve.go":         "package handlers\n\nimport \"net/http\"\n\nfunc Serve() { http.ListenAndServe(\":8081\", nil) }\n",
		"gctest/gctest.go":          "// Package gctest contains testing helpers.\npackage gctest\n\nimport \"os\"\n\nfunc init() {\n\tset := func(k, v string) {\n\t\tif _, ok := os.LookupEnv(k); !ok {\n\t\t\tos.Setenv(k, v)\n\t\t}\n\t}\n\tset(\"PGHOST\", \"localhost\")\n\tset(\"APP_PORT\", \"9000\")\n}\n",
		"handlers/serve_test.go":    "package handlers\n\nimport _ \"zgo.at/goatcounter/gctest\"\n",
		"gctest/fixtures/setup.sql": "create table x (id int);\n",
	}
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if s.Port == nil || s.Port.Value != "8081" || s.Port.File != "handlers/serve.go" {
		t.Errorf("port %s, want 8081 from handlers/serve.go", ev(s.Port))
	}
	if s.PortVar != nil && s.PortVar.File == "gctest/gctest.go" {
		t.Errorf("port variable %s from a package the program does not import", ev(s.PortVar))
	}
	// Imported by the program's code, the same package is the program's.
	files["handlers/serve.go"] = "package handlers\n\nimport _ \"zgo.at/goatcounter/gctest\"\n"
	if s, err = Detect(testutil.WriteTree(t, files)); err != nil {
		t.Fatal(err)
	}
	if s.Port == nil || s.Port.File != "gctest/gctest.go" {
		t.Errorf("port %s, want gctest's once the program imports it", ev(s.Port))
	}
}
