package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// hound-search/hound (4cbc3cfac9de): houndd's web.Server answers its
// health check before the search UI is ready by comparing the request's
// path with a configuration field, `r.URL.Path == s.cfg.HealthCheckURI`,
// which config.go sets to its constant "/healthz" when the configuration
// file leaves it empty. The program's unused runHttp mounts the UI at /.
func TestDetect_HoundShape(t *testing.T) {
	files := houndFiles()
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if s.HealthPath == nil || s.HealthPath.Value != "/healthz" || s.HealthPath.File != "web/web.go" || s.HealthPath.Line != 15 {
		t.Errorf("health %s, want /healthz from web/web.go:15", ev(s.HealthPath))
	}
	if s.Port == nil || s.Port.Value != "6080" {
		t.Errorf("port %s, want 6080", ev(s.Port))
	}

	// A field the program sets to two paths is no route: which one the
	// handler compares with depends on the run.
	files["config/config.go"] = strings.Replace(files["config/config.go"], "\treturn nil\n}\n", "\tif c.Dev {\n\t\tc.HealthCheckURI = \"/dev/health\"\n\t}\n\treturn nil\n}\n", 1)
	s, err = Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if s.HealthPath != nil && s.HealthPath.Value != "/" {
		t.Errorf("health %s from a field set to two paths", ev(s.HealthPath))
	}

	// Set by the run too (a flag's pointer, a call's result), or to
	// another value in a literal: no path (from a review).
	for name, extra := range map[string]string{
		"a flag":    "\nfunc flags(c *Config) { flag.StringVar(&c.HealthCheckURI, \"health\", \"/livez\", \"\") }\n",
		"a call":    "\nfunc read(c *Config) (err error) { c.HealthCheckURI, err = load(); return }\n",
		"a literal": "\nvar legacy = Config{HealthCheckURI: \"/livez\"}\n",
	} {
		f := houndFiles()
		f["config/config.go"] += extra
		s, err := Detect(testutil.WriteTree(t, f))
		if err != nil {
			t.Fatal(err)
		}
		if s.HealthPath != nil && s.HealthPath.Value == "/healthz" {
			t.Errorf("%s: health %s, though the field gets another value", name, ev(s.HealthPath))
		}
	}
}

func houndFiles() map[string]string {
	return map[string]string{
		"go.mod": "module github.com/hound-search/hound\n\ngo 1.16\n",
		"config/config.go": "package config\n\nconst (\n\tdefaultTitle          = \"Hound\"\n\tdefaultHealthCheckURI = \"/healthz\"\n)\n\n" +
			"type Config struct {\n\tTitle          string `json:\"title\"`\n\tDev            bool   `json:\"dev\"`\n\tHealthCheckURI string `json:\"health-check-uri\"`\n}\n\n" +
			"func initConfig(c *Config) error {\n\tif c.Title == \"\" {\n\t\tc.Title = defaultTitle\n\t}\n\tif c.HealthCheckURI == \"\" {\n\t\tc.HealthCheckURI = defaultHealthCheckURI\n\t}\n\treturn nil\n}\n",
		"web/web.go": "package web\n\nimport (\n\t\"fmt\"\n\t\"net/http\"\n\n\t\"github.com/hound-search/hound/config\"\n)\n\n" +
			"type Server struct {\n\tcfg *config.Config\n}\n\nfunc (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {\n\tif r.URL.Path == s.cfg.HealthCheckURI {\n\t\tfmt.Fprintln(w, \"ok\")\n\t\treturn\n\t}\n\thttp.Error(w, \"Hound is not ready.\", http.StatusServiceUnavailable)\n}\n\n" +
			"func Start(cfg *config.Config, addr string) *Server {\n\ts := &Server{cfg: cfg}\n\tgo func() {\n\t\thttp.ListenAndServe(addr, s)\n\t}()\n\treturn s\n}\n",
		"cmds/houndd/main.go": "package main\n\nimport (\n\t\"flag\"\n\t\"net/http\"\n\n\t\"github.com/hound-search/hound/config\"\n\t\"github.com/hound-search/hound/web\"\n)\n\n" +
			"func runHttp(addr string) error {\n\tm := http.DefaultServeMux\n\tm.Handle(\"/\", http.NotFoundHandler())\n\treturn http.ListenAndServe(addr, m)\n}\n\n" +
			"func main() {\n\tflagAddr := flag.String(\"addr\", \":6080\", \"\")\n\tflag.Parse()\n\tvar cfg config.Config\n\tweb.Start(&cfg, *flagAddr)\n\tselect {}\n}\n",
	}
}
