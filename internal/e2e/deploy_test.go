package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/engine"
	"github.com/shipshape/shipshape/internal/loadgen"
	"github.com/shipshape/shipshape/internal/proxy"
	"github.com/shipshape/shipshape/internal/release"
	dockerrelease "github.com/shipshape/shipshape/internal/release/docker"
)

const versionedApp = `package main

import (
	"context"
	"flag"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	check := flag.Bool("healthcheck", false, "probe and exit")
	exit := flag.Int("exit", -1, "print -say and $GREETING, then exit with this code (a release command)")
	say := flag.String("say", "", "what -exit prints")
	flag.Parse()
	if *exit >= 0 {
		os.Stdout.WriteString(*say + " " + os.Getenv("GREETING") + "\n")
		os.Exit(*exit)
	}
	if *check {
		r, err := http.Get("http://127.0.0.1:8080/healthz")
		if err != nil || r.StatusCode != 200 {
			os.Exit(1)
		}
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		if os.Getenv("HEALTHY") != "true" {
			w.WriteHeader(500)
		}
		if sick := os.Getenv("SICK_REPLICA"); sick != "" && sick == os.Getenv("SHIPSHAPE_REPLICA") {
			w.WriteHeader(500)
		}
		if need := os.Getenv("NEEDS"); need != "" {
			c, err := net.DialTimeout("tcp", need, time.Second)
			if err != nil {
				w.WriteHeader(503)
				return
			}
			c.Close()
		}
	})
	started := time.Now()
	failAfter, _ := time.ParseDuration(os.Getenv("FAIL_AFTER"))
	// FAIL_EVERY=5 answers every fifth request 500 (a release failing 20%);
	// DELAY=300ms answers every request that much later.
	failEvery, _ := strconv.Atoi(os.Getenv("FAIL_EVERY"))
	delay, _ := time.ParseDuration(os.Getenv("DELAY"))
	var served atomic.Int64
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if failAfter > 0 && time.Since(started) > failAfter {
			w.WriteHeader(500)
			return
		}
		time.Sleep(delay)
		if failEvery > 0 && served.Add(1)%int64(failEvery) == 0 {
			w.WriteHeader(500)
			w.Write([]byte(os.Getenv("VERSION") + " failed\n"))
			return
		}
		if os.Getenv("INSECURE") == "true" {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html><link rel=\"stylesheet\" href=\"http://" + r.Host + "/site.css\"></html>"))
			return
		}
		w.Write([]byte(os.Getenv("VERSION") + " ok\n"))
	})
	srv := &http.Server{Addr: ":8080", Handler: mux}
	os.Stdout.WriteString(os.Getenv("VERSION") + " listening on :8080\n")
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM)
	defer stop()
	go func() { <-ctx.Done(); c, cancel := context.WithTimeout(context.Background(), 10*time.Second); defer cancel(); srv.Shutdown(c) }()
	if err := srv.ListenAndServe(); err != http.ErrServerClosed {
		os.Exit(1)
	}
}
`

const versionedDockerfile = `FROM golang:1.26.8-bookworm AS build
COPY main.go /src/main.go
RUN CGO_ENABLED=0 GO111MODULE=off go build -o /out/app /src/main.go
FROM gcr.io/distroless/static-debian12:nonroot
ARG VERSION HEALTHY INSECURE FAIL_AFTER
ENV VERSION=$VERSION HEALTHY=$HEALTHY INSECURE=$INSECURE FAIL_AFTER=$FAIL_AFTER
COPY --from=build /out/app /app
EXPOSE 8080
HEALTHCHECK --interval=1s --timeout=2s --retries=3 CMD ["/app", "-healthcheck"]
ENTRYPOINT ["/app"]
`

// TestDeploy_UnderLoad: steady traffic through shipshape proxy while v1 is
// replaced by v2, a v3 that never turns healthy is refused, and a rollback
// brings v1 back. Not one request fails, v3 never serves, and each old
// release is stopped once it has drained.
func TestDeploy_UnderLoad(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	image := versionedImages(t, dir)
	v1, v2, v3 := image("v1", "true"), image("v2", "true"), image("v3", "false")
	// v4 is healthy but links its stylesheet over http:// behind https (seed
	// 002); v5 passes every check, then breaks 2 s after it starts.
	v4, v5 := image("v4", "true", "INSECURE=true"), image("v5", "true", "FAIL_AFTER=4s")

	service := fmt.Sprintf("e2e-deploy-%d", time.Now().UnixNano()%100000)
	removeReleases(t, service)
	addr, sock := startProxy(t, dir)

	c, err := engine.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	opts := func(img string) dockerrelease.Options {
		return dockerrelease.Options{Service: service, Image: img, Proxy: sock, LockDir: dir, Timeout: 20 * time.Second, Drain: 5 * time.Second, Window: 5 * time.Second}
	}
	if _, err := dockerrelease.Deploy(ctx, c, opts(v1), nil); err != nil {
		t.Fatalf("deploy v1: %v", err)
	}
	if body := get(t, "http://"+addr+"/"); body != "v1 ok\n" {
		t.Fatalf("after v1: %q", body)
	}

	stopLoad := load(t, "http://"+addr+"/")
	_, err = dockerrelease.Deploy(ctx, c, opts(v2), func(s release.Step) { t.Logf("v2 %s %v: %s", s.Name, s.Took.Round(time.Millisecond), s.Detail) })
	if err != nil {
		t.Fatalf("deploy v2: %v", err)
	}
	_, err = dockerrelease.Deploy(ctx, c, opts(v3), nil)
	if err == nil || !strings.Contains(err.Error(), "keeps serving") {
		t.Fatalf("deploy of a v3 that never turns healthy: %v", err)
	}
	if body := get(t, "http://"+addr+"/"); body != "v2 ok\n" {
		t.Errorf("after the refused v3: %q", body)
	}
	_, err = dockerrelease.Deploy(ctx, c, opts(v4), nil)
	if err == nil || !strings.Contains(err.Error(), "before any traffic moved") || !strings.Contains(err.Error(), "http://") {
		t.Fatalf("deploy of a v4 with http:// assets behind https: %v", err)
	}
	_, err = dockerrelease.Deploy(ctx, c, opts(v5), func(s release.Step) { t.Logf("v5 %s %v: %s", s.Name, s.Took.Round(time.Millisecond), s.Detail) })
	if err == nil || !strings.Contains(err.Error(), "switched back automatically") {
		t.Fatalf("deploy of a v5 that breaks after the switch: %v", err)
	}
	if body := get(t, "http://"+addr+"/"); body != "v2 ok\n" {
		t.Errorf("after v5's automatic rollback: %q", body)
	}
	// shipshape rollback: v1's image again, as a new release, under traffic;
	// by the image's ID, so moving the v1 tag meanwhile changes nothing.
	run(t, "tag", v2, v1)
	rolled, err := dockerrelease.Rollback(ctx, c, opts(""), "", nil)
	if err != nil {
		t.Fatalf("rollback: %v", err)
	}
	time.Sleep(500 * time.Millisecond)
	r := stopLoad()
	t.Logf("traffic during the deploys: %s; bodies %v; statuses %v", r, r.Bodies, r.ByStatus)
	// v5 broke while serving (its own 500s, 4 s after it started, until the
	// window caught it): those are the app's failures, not the switch's.
	if bad := r.Failures - r.ByStatus["500"]; bad != 0 {
		t.Errorf("%d of %d requests failed during the deploys other than v5's own 500s", bad, r.Requests)
	}
	if r.Bodies["v1"] == 0 || r.Bodies["v2"] == 0 || r.Bodies["v3"] != 0 || r.Bodies["v4"] != 0 {
		t.Errorf("versions served: %v; want v1 and v2 (and v5 briefly), never v3 or v4", r.Bodies)
	}
	if body := get(t, "http://"+addr+"/"); body != "v1 ok\n" {
		t.Errorf("after the rollback: %q", body)
	}
	ps, _ := try("ps", "-a", "--filter", "label="+dockerrelease.LabelApp+"="+service, "--format", "{{.Names}} {{.State}}")
	running := 0
	for _, line := range strings.Split(ps, "\n") {
		if strings.HasSuffix(line, " running") {
			running++
			if !strings.Contains(line, rolled.Release) {
				t.Errorf("%s is still running beside the new release", line)
			}
		}
	}
	if running != 1 || strings.Count(ps, "\n")+1 != 3 {
		t.Errorf("release containers: %q; want the rolled-back v1 running, v2 and the first v1 stopped (kept), v3 removed", ps)
	}
}

// versionedImages writes the versioned app to dir and returns a function
// that builds it as shipshape-e2e/versioned:VERSION (removed after the test).
func versionedImages(t *testing.T, dir string) func(version, healthy string, args ...string) string {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(versionedApp), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(versionedDockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	return func(version, healthy string, args ...string) string {
		t.Helper()
		tag := "shipshape-e2e/versioned:" + version
		build := []string{"build", "-q", "--build-arg", "VERSION=" + version, "--build-arg", "HEALTHY=" + healthy, "-t", tag}
		for _, a := range args {
			build = append(build, "--build-arg", a)
		}
		run(t, append(build, dir)...)
		t.Cleanup(func() { _, _ = try("rmi", "-f", tag) })
		return tag
	}
}

// deployBench is what a deploy test under traffic starts from: the
// versioned app's image builder, a service name no other run shares (its
// releases removed when the test ends), a proxy of its own and an engine
// client (closed when the test ends).
type deployBench struct {
	dir, service, addr, sock string
	image                    func(version, healthy string, args ...string) string
	c                        *engine.Client
}

func newDeployBench(t *testing.T, prefix string) *deployBench {
	t.Helper()
	b := &deployBench{dir: t.TempDir()}
	b.image = versionedImages(t, b.dir)
	b.service = fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano()%100000)
	removeReleases(t, b.service)
	b.addr, b.sock = startProxy(t, b.dir)
	c, err := engine.Connect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	b.c = c
	return b
}

// removeReleases removes the release containers of service when the test ends.
func removeReleases(t *testing.T, service string) {
	t.Cleanup(func() {
		ids, _ := try("ps", "-aq", "--filter", "label="+dockerrelease.LabelApp+"="+service)
		for _, id := range strings.Fields(ids) {
			_, _ = try("rm", "-f", id)
		}
	})
}

// startProxy runs shipshape proxy in the test on a free port with its
// admin socket and state in dir; it returns the traffic address and the socket.
func startProxy(t *testing.T, dir string) (addr, sock string) {
	t.Helper()
	ctx, stop := context.WithCancel(context.Background())
	addr = "127.0.0.1:" + freePort(t)
	sock = filepath.Join(dir, "admin.sock")
	done := make(chan error, 1)
	go func() {
		done <- proxy.Run(ctx, proxy.Config{Listen: addr, Admin: "unix://" + sock, StatePath: filepath.Join(dir, "state.json")})
	}()
	t.Cleanup(func() { stop(); <-done })
	waitFor(t, func() bool { _, err := os.Stat(sock); return err == nil })
	return addr, sock
}

// load sends steady traffic to url until the returned stop is called,
// which returns what it measured.
func load(t *testing.T, url string) (stop func() *loadgen.Result) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan *loadgen.Result, 1)
	go func() {
		r, _ := loadgen.Run(ctx, loadgen.Options{URL: url, Concurrency: 8, Duration: 3 * time.Minute})
		done <- r
	}()
	t.Cleanup(cancel)
	time.Sleep(300 * time.Millisecond)
	return func() *loadgen.Result { cancel(); return <-done }
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	for i := 0; i < 100; i++ {
		if cond() {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("condition not met in 5 s")
}

// TestComposeRecreate_Baseline measures what shipshape deploy is compared
// with: the same steady traffic against a plain `docker compose up -d`
// that recreates the service for a new image. The failures are counted
// for docs/performance.md (a BASELINE line), not asserted: they are the point.
func TestComposeRecreate_Baseline(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(versionedApp), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Dockerfile"), []byte(versionedDockerfile), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, v := range []string{"r1", "r2"} {
		tag := "shipshape-e2e/versioned:" + v
		run(t, "build", "-q", "--build-arg", "VERSION="+v, "--build-arg", "HEALTHY=true", "-t", tag, dir)
		t.Cleanup(func() { _, _ = try("rmi", "-f", tag) })
	}
	port := freePort(t)
	compose := fmt.Sprintf("name: e2e-recreate\nservices:\n  app:\n    image: shipshape-e2e/versioned:${V}\n    ports:\n      - \"127.0.0.1:%s:8080\"\n    stop_grace_period: 10s\n", port)
	if err := os.WriteFile(filepath.Join(dir, "compose.yaml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	up := func(v string) {
		t.Helper()
		cmd := exec.Command(docker, "compose", "--project-directory", dir, "up", "-d", "--wait")
		cmd.Env = append(os.Environ(), "V="+v)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("compose up %s: %v\n%s", v, err, out)
		}
	}
	t.Cleanup(func() {
		cmd := exec.Command(docker, "compose", "--project-directory", dir, "down", "-v", "--timeout", "5")
		cmd.Env = append(os.Environ(), "V=r1")
		_ = cmd.Run()
	})
	up("r1")
	lctx, stop := context.WithCancel(context.Background())
	loaded := make(chan *loadgen.Result, 1)
	go func() {
		r, _ := loadgen.Run(lctx, loadgen.Options{URL: "http://127.0.0.1:" + port + "/", Concurrency: 8, Duration: time.Minute, Timeout: 2 * time.Second})
		loaded <- r
	}()
	time.Sleep(time.Second)
	up("r2")
	time.Sleep(time.Second)
	stop()
	r := <-loaded
	if r.Requests == 0 || r.Bodies["r2"] == 0 {
		t.Fatalf("the baseline did not run: %s %v", r, r.Bodies)
	}
	t.Logf("BASELINE docker compose up -d recreate under 8 clients: %s; statuses %v", r, r.ByStatus)
}
