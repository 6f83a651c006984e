package detect

import (
	"slices"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// umputun/remark42's backend: go-flags' `command:"server"` is what serves
// (bare, the program prints its help); its port is REMARK_PORT's 8080,
// not its SSL group's 8443 (walked first); go-pkgz/rest's Ping
// middleware answers /ping; httpToHTTPSRouter's / is a redirect, no
// page. chi's middleware.Heartbeat answers its path too, in
// marcos-nsantos/aluraflix-api's shape (0cfb5ebfa1fe,
// internal/transport/http/routes.go:21: r.Use(middleware.Heartbeat("/ping"))
// in a function handed the *chi.Mux), checked there by hand.
func TestDetect_Remark42Shape(t *testing.T) {
	files := map[string]string{
		"go.mod": "module github.com/umputun/remark42/backend\n\ngo 1.25.0\n\nrequire (\n\tgithub.com/go-pkgz/rest v1.20.0\n\tgithub.com/jessevdk/go-flags v1.6.1\n)\n",
		"app/main.go": "package main\n\nimport (\n\t\"github.com/jessevdk/go-flags\"\n\t\"github.com/umputun/remark42/backend/app/cmd\"\n)\n\n" +
			"type Opts struct {\n\tServerCmd cmd.ServerCommand `command:\"server\"`\n\tImportCmd cmd.ImportCommand `command:\"import\"`\n" +
			"\tRemarkURL string `long:\"url\" env:\"REMARK_URL\" required:\"true\" description:\"url to remark\"`\n}\n\n" +
			"func main() {\n\tvar opts Opts\n\tflags.NewParser(&opts, flags.Default).Parse()\n}\n",
		"app/cmd/server.go": "package cmd\n\nimport \"github.com/umputun/remark42/backend/app/rest/api\"\n\n" +
			"type ServerCommand struct {\n\tSSL SSLGroup `group:\"ssl\" namespace:\"ssl\" env-namespace:\"SSL\"`\n\tPort int `long:\"port\" env:\"REMARK_PORT\" default:\"8080\" description:\"port\"`\n" +
			"\tBackupLocation string `long:\"backup\" env:\"BACKUP_PATH\" default:\"./var/backup\" description:\"backups location\"`\n" +
			"\tBoltPath string `long:\"path\" env:\"STORE_BOLT_PATH\" default:\"./var\" description:\"parent directory for the bolt files\"`\n}\n\n" +
			"type SSLGroup struct {\n\tPort int `long:\"port\" env:\"PORT\" description:\"port number for https server\" default:\"8443\"`\n}\n\n" +
			"type ImportCommand struct{}\n\nfunc (s *ServerCommand) Execute(args []string) error {\n\treturn api.Run(s.Port)\n}\n",
		"app/rest/api/rest.go": "package api\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n\n\tR \"github.com/go-pkgz/rest\"\n)\n\n" +
			"func Run(port int) error {\n\trouter := http.NewServeMux()\n\th := R.Ping(router)\n\treturn http.ListenAndServe(fmt.Sprintf(\":%d\", port), h)\n}\n\n" +
			"func routes(router *routegroup.Bundle) {\n\trouter.Use(R.Ping)\n\trouter.HandleFunc(\"POST /api/v1/comment\", create)\n}\n\n" +
			"func (s *Rest) httpToHTTPSRouter() http.Handler {\n\trouter := routegroup.New(http.NewServeMux())\n\trouter.Handle(\"/\", s.redirectHandler())\n\treturn router\n}\n",
	}
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(s.ArgWords, " ") != "server" || s.Args == nil || s.Args.File != "app/main.go" || !strings.Contains(s.Args.Why, "go-flags") {
		t.Errorf("arguments %v %s, want server from app/main.go (go-flags)", s.ArgWords, ev(s.Args))
	}
	if s.Port == nil || s.Port.Value != "8080" || s.PortVar == nil || s.PortVar.Value != "REMARK_PORT" {
		t.Errorf("port %s from %s, want 8080 from $REMARK_PORT", ev(s.Port), ev(s.PortVar))
	}
	if s.HealthPath == nil || s.HealthPath.Value != "/ping" || s.HealthPath.Line != 17 {
		t.Errorf("health %s, want /ping (router.Use(R.Ping), app/rest/api/rest.go:17)", ev(s.HealthPath))
	}
	if !slices.ContainsFunc(s.Required, func(e Evidence) bool { return e.Value == "REMARK_URL" }) {
		t.Errorf("required %s, want REMARK_URL (go-flags' required:\"true\")", evs(s.Required))
	}
	if s.WriteDir == nil || s.WriteDir.Value != "var" {
		t.Errorf("write dir %s, want var: the settings' files are all under ./var", ev(s.WriteDir))
	}
	if s.Page != nil {
		t.Errorf("page %s: the / of httpToHTTPSRouter redirects", ev(s.Page))
	}

	files["app/rest/api/rest.go"] = "package api\n\nimport (\n\t\"net/http\"\n\n\t\"github.com/go-chi/chi/v5\"\n\t\"github.com/go-chi/chi/v5/middleware\"\n)\n\n" +
		"func Run(port int) error {\n\tr := chi.NewRouter()\n\tHandleRequests(r)\n\treturn http.ListenAndServe(\":8080\", r)\n}\n\n" +
		"func HandleRequests(r *chi.Mux) {\n\tr.Use(middleware.Logger)\n\tr.Use(middleware.Heartbeat(\"/ping\"))\n\tr.Post(\"/videos\", postVideo)\n}\n"
	s, _ = Detect(testutil.WriteTree(t, files))
	if s.HealthPath == nil || s.HealthPath.Value != "/ping" || s.HealthPath.File != "app/rest/api/rest.go" {
		t.Errorf("health %s, want /ping (chi's Heartbeat)", ev(s.HealthPath))
	}
}

// remark42's root holds backend/ (the service) and e2e/ (a Go module of
// browser tests): the tests are no service.
func TestServices_TestModulesAreNoServices(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"backend/go.mod":       "module example.com/backend\n\ngo 1.25\n",
		"backend/main.go":      "package main\n\nimport \"net/http\"\n\nfunc main() {\n\thttp.HandleFunc(\"/ping\", nil)\n\thttp.ListenAndServe(\":8080\", nil)\n}\n",
		"e2e/go.mod":           "module example.com/e2e\n\ngo 1.25\n",
		"e2e/e2e_test.go":      "package e2e\n",
		"e2e/main.go":          "package main\n\nfunc main() {}\n",
		"services/x/README.md": "not a service\n",
	})
	got, err := Services(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Dir != "backend" {
		var dirs []string
		for _, s := range got {
			dirs = append(dirs, s.Dir)
		}
		t.Errorf("services %v, want backend alone", dirs)
	}
}
