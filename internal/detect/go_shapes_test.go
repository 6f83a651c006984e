package detect

import (
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

// goShape runs Detect on a small tree in the shape of a real repository
// and returns the facts the cases below judge.
func goShape(t *testing.T, files map[string]string) (*Stack, map[string]string) {
	t.Helper()
	s, err := Detect(testutil.WriteTree(t, files))
	if err != nil {
		t.Fatal(err)
	}
	var env, ask []string
	for _, e := range s.Env {
		env = append(env, e.Value)
	}
	for _, ch := range s.Ambiguous {
		ask = append(ask, ch.What)
	}
	return s, map[string]string{
		"port": ev(s.Port), "portvar": ev(s.PortVar), "health": ev(s.HealthPath), "cgo": ev(s.CGO),
		"env": " " + strings.Join(env, " ") + " ", "ask": strings.Join(ask, "; "),
	}
}

// go-gin-pgweb: jessevdk/go-flags options are command-line flags, not
// variables. Its database's `long:"port" default:"5432"` is no listen
// port and no $PORT; the listen port is --listen's default, 8081
// (pkg/command/options.go:30,43).
func TestDetect_GoFlagsOptionsAreFlags(t *testing.T) {
	s, got := goShape(t, map[string]string{
		"go.mod":  "module github.com/sosedoff/pgweb\n\ngo 1.25\n\nrequire github.com/gin-gonic/gin v1.10.0\n",
		"main.go": "package main\n\nimport \"github.com/sosedoff/pgweb/pkg/cli\"\n\nfunc main() { cli.Run() }\n",
		"pkg/command/options.go": "package command\n\nimport \"github.com/jessevdk/go-flags\"\n\nconst envVarPrefix = \"PGWEB_\"\n\ntype Options struct {\n" +
			"\tVersion  bool   `short:\"v\" long:\"version\" description:\"Print version\"`\n" +
			"\tHost     string `long:\"host\" description:\"Server hostname or IP\" default:\"localhost\"`\n" +
			"\tPort     int    `long:\"port\" description:\"Server port\" default:\"5432\"`\n" +
			"\tHTTPHost string `long:\"bind\" description:\"HTTP server host\" default:\"localhost\"`\n" +
			"\tHTTPPort uint   `long:\"listen\" description:\"HTTP server listen port\" default:\"8081\"`\n" +
			"\tMetricsAddr string `long:\"metrics-addr\" description:\"Listen host and port for Prometheus metrics server\"`\n" +
			"}\n\nfunc ParseOptions(args []string) (Options, error) {\n\tvar opts = Options{}\n\t_, err := flags.ParseArgs(&opts, args)\n\treturn opts, err\n}\n",
		"pkg/cli/cli.go": "package cli\n\nfunc startServer() {\n\trouter := gin.New()\n\trouter.Run(fmt.Sprintf(\"%v:%v\", options.HTTPHost, options.HTTPPort))\n}\n",
	})
	if got["port"] != "8081@pkg/command/options.go:12" || got["portvar"] != "-" {
		t.Errorf("port %s ($%s), want 8081@pkg/command/options.go:12 and no variable", got["port"], got["portvar"])
	}
	if s.Port != nil && !strings.Contains(s.Port.Why, "--listen") {
		t.Errorf("port's evidence %q does not name the --listen flag", s.Port.Why)
	}
	for _, v := range []string{"PORT", "HOST", "LISTEN", "--listen", "--port"} {
		if strings.Contains(got["env"], " "+v+" ") {
			t.Errorf("go-flags option read as the variable %s: env %s", v, got["env"])
		}
	}
	// An option with an env tag is read from that variable too.
	_, got = goShape(t, map[string]string{
		"go.mod":  "module x\n\ngo 1.22\n",
		"main.go": "package main\n\ntype opts struct {\n\tPort int `long:\"port\" env:\"APP_PORT\" default:\"9000\"`\n}\n\nfunc main() { flags.Parse(&o); http.ListenAndServe(fmt.Sprintf(\":%d\", o.Port), nil) }\n",
	})
	if got["port"] != "9000@main.go:4" || got["portvar"] != "APP_PORT@main.go:4" {
		t.Errorf("go-flags with env: port %s ($%s), want 9000 from $APP_PORT", got["port"], got["portvar"])
	}
}
