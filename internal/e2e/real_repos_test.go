package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// realRepos are public web services nobody in this project wrote, at a
// pinned version, taken at test time from the Go module proxy (a module's
// zip is its repository's tree: Dockerfile, Makefile, Procfile and all);
// nothing of theirs is committed here. They are the ones the proxy this
// project's CI reaches serves: of the 24 Go services the corpus and the
// newcomer trials used, it refuses 20 (403); node_exporter, mailpit,
// statsd_exporter and distribution were found among the others it serves. Each must pass init --verify
// as a newcomer runs it, with the facts init reads from its code.
var realRepos = []struct {
	module, version string
	flags           []string
	facts           []string // lines init's output must hold
}{
	// Its root program is the server, sendmail/ a client (chosen by flag).
	// The port is the default of the package variable its http.Server's
	// Addr names; server/ embeds ui/, inside which the root package.json's
	// esbuild script writes ui/dist (git ignores it): a Node stage builds
	// it. v1.27.11, since v1.33.1's lock file pins a sass-embedded the
	// npm registry no longer serves.
	{"github.com/axllent/mailpit", "v1.27.11", []string{"--entrypoint", "."},
		[]string{"port         8025                         config/config.go:40", "front end    server/ui/dist (npm run build)", "health       /livez"}},
	// Its Dockerfile runs the program by name with `serve
	// /etc/distribution/config.yml`, a file it copies from
	// cmd/registry/config-dev.yml, which keeps the data in its VOLUME
	// /var/lib/registry; the Redis client it imports is for a cache that
	// configuration does not configure. The /debug/health route found is
	// the debug server's (:5001): the first run's diagnosis finds / 200 on
	// :5000 and init changes the route itself.
	{"github.com/distribution/distribution/v3", "v3.1.2", nil,
		[]string{"carried      cmd/registry/config-dev.yml to /etc/distribution/config.yml", "data         /var/lib/registry",
			"Changed: --health-path / (was /debug/health)", "the code imports a redis client"}},
	// net/http with Go 1.22 method patterns: GET /{$} is the health route.
	{"github.com/mccutchen/go-httpbin/v2", "v2.26.0", nil,
		[]string{"health       /                            httpbin/httpbin.go:"}},
	// Its option table gives port 8080 (the loopback LISTEN_ADDR is
	// replaced by $PORT, which the image sets); Postgres is started for
	// the run.
	{"miniflux.app/v2", "v2.3.5", nil,
		[]string{"port         8080                         internal/config/options.go:", "health       /healthcheck", "database     postgres"}},
	// Its only program outside examples/ is a generator its Makefile runs:
	// the example server is chosen by flag; cobra's serve subcommand runs
	// it, and its --http default (loopback) is replaced; SQLite on a volume.
	{"github.com/pocketbase/pocketbase", "v0.36.8", []string{"--entrypoint", "examples/base"},
		[]string{"port         8090                         cmd/serve.go:", "arguments    serve", "health       /api/health"}},
	// Its listen address is exporter-toolkit's kingpin flag,
	// kingpinflag.AddFlags(kingpin.CommandLine, ":9100").
	{"github.com/prometheus/node_exporter", "v1.12.1", nil,
		[]string{"port         9100                         node_exporter.go:203 (the default of its --web.listen-address flag)"}},
	// Another Prometheus exporter, found served later: its kingpin
	// --web.listen-address flag (a plain kingpin.Flag call, not
	// exporter-toolkit's AddFlags), /-/ready.
	{"github.com/prometheus/statsd_exporter", "v0.31.0", nil,
		[]string{"port         9102                         main.go:247 (the default of its --web.listen-address flag)", "health       /-/ready"}},
	// The port is its flag's default, 9898, not 8080; Redis started.
	{"github.com/stefanprodan/podinfo", "v1.8.1-0.20250910200901-e86405a8674e", nil,
		[]string{"port         9898                         cmd/podinfo/main.go:", "health       /healthz", "database     redis"}},
}

// TestInitVerify_RealRepositories runs init --verify on each real
// repository and requires it to pass, with the facts above.
func TestInitVerify_RealRepositories(t *testing.T) {
	for _, r := range realRepos {
		t.Run(filepath.Base(strings.TrimSuffix(strings.TrimSuffix(r.module, "/v2"), "/v3")), func(t *testing.T) {
			dir := moduleTree(t, r.module, r.version)
			code, out, errOut := initVerify(t, dir, append([]string{"--force"}, r.flags...)...)
			if code != 0 || !strings.Contains(out, "passed verify") {
				t.Fatalf("init --verify %s@%s: exit %d\n%s%s", r.module, r.version, code, out, errOut)
			}
			for _, f := range r.facts {
				if !strings.Contains(out, f) {
					t.Errorf("init's output lacks %q:\n%s", f, out)
				}
			}
		})
	}
}

// moduleTree downloads module@version from the Go module proxy and copies
// its tree into a new git repository.
func moduleTree(t *testing.T, module, version string) string {
	t.Helper()
	cmd := exec.Command("go", "mod", "download", "-json", module+"@"+version)
	cmd.Dir = t.TempDir()
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GO111MODULE=on")
	data, err := cmd.Output()
	var info struct{ Dir, Error string }
	if jerr := json.Unmarshal(data, &info); err != nil || jerr != nil || info.Dir == "" {
		t.Fatalf("go mod download %s@%s: %v %s %s", module, version, err, info.Error, data)
	}
	dir := filepath.Join(t.TempDir(), filepath.Base(info.Dir))
	copyTree(t, info.Dir, dir)
	commitAll(t, dir, "source")
	return dir
}
