package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/cli"
)

// example is one app under examples/init and what proves it works.
type example struct {
	name       string
	health     string // the route init must detect
	touch      string // a source file; changing it must not reinstall dependencies
	depStep    string // the dependency RUN step, which must stay CACHED
	page       string // what GET / through the proxy must contain
	healthBody string // what the health answer through the proxy must contain
	maxSizeMB  int
}

var examples = []example{
	{name: "go-service", health: "/healthz", touch: "main.go", depStep: "go mod download",
		page: "hello from go-service", healthBody: "ok", maxSizeMB: 25},
	{name: "python-blog", health: "/health", touch: "app.py", depStep: "pip install --target /opt/deps -r requirements.txt",
		page: `href="http://127.0.0.1:{port}/static/site.css"`, healthBody: "ok", maxSizeMB: 120},
	// Node 24's own binary is 121 MiB, so its distroless runtime is ~126 MiB
	// before the app: seed 004's 120 MB held only with Debian's node 18 (its
	// libnode shared), past its end of life since 2025-04-30.
	{name: "node-shop", health: "/healthz", touch: "server.js", depStep: "npm ci --omit=dev",
		page: `href="http://127.0.0.1:{port}/products/1"`, healthBody: "ok", maxSizeMB: 135},
	{name: "rust-api", health: "/health", touch: "src/main.rs", depStep: "cargo fetch",
		page: `"items"`, healthBody: `"database":"ok"`, maxSizeMB: 25},
}

// TestExamples takes every example from a bare repository to a running
// deployment the way a user would: init → check (zero findings) → build →
// verify (healthy, non-root, graceful stop) → docker compose up → the page
// and the health route answer through the generated nginx → compose down
// -v. A rebuild after touching one source file must reuse the dependency
// layer. Figures for docs/performance.md's table are logged as BENCH lines.
func TestExamples(t *testing.T) {
	for _, ex := range examples {
		t.Run(ex.name, func(t *testing.T) { testExample(t, ex) })
	}
}

func shipshape(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Execute(context.Background(), args, strings.NewReader(""), &out, &errOut)
	return code, out.String(), errOut.String()
}

func testExample(t *testing.T, ex example) {
	dir := filepath.Join(t.TempDir(), ex.name)
	copyTree(t, filepath.Join(repoRoot(t), "examples", "init", ex.name), dir)
	commitAll(t, dir, "source")

	code, out, errOut := shipshape(t, "init", dir)
	if code != 0 {
		t.Fatalf("init: exit %d\n%s%s", code, out, errOut)
	}
	if !regexp.MustCompile(`(?m)^  health\s+` + regexp.QuoteMeta(ex.health) + `\s`).MatchString(out) {
		t.Errorf("init did not detect the health route %s:\n%s", ex.health, out)
	}
	if code, out, errOut := shipshape(t, "check", "--no-config", "--profile", "production", "--fail-on", "info", dir); code != 0 || !strings.Contains(out, "0 findings") {
		t.Fatalf("check of what init wrote: exit %d\n%s%s", code, out, errOut)
	}
	commitAll(t, dir, "shipshape init")

	start := time.Now()
	code, out, errOut = shipshape(t, "build", dir)
	if code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, out, errOut)
	}
	buildTime := time.Since(start)
	ref, _, _ := strings.Cut(strings.TrimSpace(out), "\t")
	if !regexp.MustCompile(`^` + ex.name + `:[0-9a-f]{12}$`).MatchString(ref) {
		t.Fatalf("build printed %q, want %s:<12 hex>", out, ex.name)
	}
	t.Cleanup(func() { _, _ = try("rmi", "-f", ref) })

	// No --health-path: verify reads the route from the image's label.
	code, out, errOut = shipshape(t, "verify", "--format", "json", "--max-size", fmt.Sprint(ex.maxSizeMB), ref)
	var rep struct {
		Size      int64   `json:"size_bytes"`
		StartupMS int64   `json:"startup_ms"`
		StopMS    int64   `json:"stop_ms"`
		MemoryMB  float64 `json:"memory_mb"`
		Checks    []verifyCheck
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 0 {
		t.Fatalf("verify: exit %d (%v)\n%s%s", code, err, out, errOut)
	}
	for _, c := range rep.Checks {
		if !c.Passed && !c.Warning {
			t.Errorf("verify check %s failed: %s", c.Name, c.Detail)
		}
	}

	// Through compose and the generated nginx.
	base := composeUp(t, dir, ex.name, strings.TrimPrefix(ref, ex.name+":"))
	port := strings.TrimPrefix(base, "http://127.0.0.1:")
	body := get(t, base+"/")
	if want := strings.ReplaceAll(ex.page, "{port}", port); !strings.Contains(body, want) {
		t.Errorf("GET / through nginx lacks %q:\n%s", want, body)
	}
	if body := get(t, base+ex.health); !strings.Contains(body, ex.healthBody) {
		t.Errorf("GET %s through nginx lacks %q: %s", ex.health, ex.healthBody, body)
	}

	// The generated Caddyfile, on a real Caddy on the same network, serves
	// the same page and health route (DOMAIN=:8080: plain HTTP, no ACME).
	caddy := caddyUp(t, dir, "e2e-"+ex.name)
	cport := strings.TrimPrefix(caddy, "http://127.0.0.1:")
	if body := get(t, caddy+"/"); !strings.Contains(body, strings.ReplaceAll(ex.page, "{port}", cport)) {
		t.Errorf("GET / through Caddy lacks %q:\n%s", strings.ReplaceAll(ex.page, "{port}", cport), body)
	}
	if body := get(t, caddy+ex.health); !strings.Contains(body, ex.healthBody) {
		t.Errorf("GET %s through Caddy lacks %q: %s", ex.health, ex.healthBody, body)
	}

	// A source-only change: the dependency layer is reused.
	src := filepath.Join(dir, filepath.FromSlash(ex.touch))
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	comment := map[string]string{".go": "//", ".py": "#", ".js": "//", ".rs": "//"}[filepath.Ext(src)]
	if err := os.WriteFile(src, append(data, []byte("\n"+comment+" touched\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	code, out, progress := shipshape(t, "build", dir)
	if code != 0 {
		t.Fatalf("rebuild: exit %d\n%s%s", code, out, progress)
	}
	rebuildTime := time.Since(start)
	rebuilt, _, _ := strings.Cut(strings.TrimSpace(out), "\t")
	t.Cleanup(func() { _, _ = try("rmi", "-f", rebuilt) })
	step := regexp.MustCompile(`(?m)^#(\d+) \[[\w-]+ +\d+/\d+\] RUN [^\n]*` + regexp.QuoteMeta(ex.depStep))
	m := step.FindStringSubmatch(progress)
	if m == nil {
		t.Fatalf("the rebuild has no step running %q:\n%s", ex.depStep, progress)
	}
	if !regexp.MustCompile(`(?m)^#` + m[1] + ` CACHED$`).MatchString(progress) {
		t.Errorf("the dependency step %q ran again after a source-only change:\n%s", ex.depStep, progress)
	}
	t.Logf("BENCH %s size_mb=%.1f build_s=%.1f rebuild_s=%.1f healthy_ms=%d stop_ms=%d memory_mb=%.1f",
		ex.name, float64(rep.Size)/(1<<20), buildTime.Seconds(), rebuildTime.Seconds(), rep.StartupMS, rep.StopMS, rep.MemoryMB)
}

// composeUp starts the compose project in dir with the images tagged sha,
// the proxy on a free port, and a fresh database password; it is taken
// down with its volumes when the test ends. It returns the proxy's URL.
func composeUp(t *testing.T, dir, name, sha string) string {
	t.Helper()
	port := freePort(t)
	project := "e2e-" + name
	env := append(os.Environ(), "GIT_SHA="+sha, "PROXY_PORT="+port, "COMPOSE_PROJECT_NAME="+project)
	if err := os.WriteFile(filepath.Join(dir, ".env"), []byte("POSTGRES_PASSWORD=e2e-"+fmt.Sprint(time.Now().UnixNano())+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	compose := func(args ...string) (string, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, docker, append([]string{"compose", "--project-directory", dir}, args...)...)
		cmd.Env = env
		b, err := cmd.CombinedOutput()
		return string(b), err
	}
	t.Cleanup(func() {
		if out, err := compose("down", "-v", "--remove-orphans", "--timeout", "10"); err != nil {
			t.Errorf("compose down -v: %v\n%s", err, out)
		}
		if vols, _ := try("volume", "ls", "-q", "--filter", "label=com.docker.compose.project="+project); vols != "" {
			t.Errorf("volumes left after down -v: %s", vols)
		}
	})
	if out, err := compose("up", "-d", "--wait", "--no-build"); err != nil {
		logs, _ := compose("logs", "--no-color", "--tail", "40")
		t.Fatalf("compose up: %v\n%s\n%s", err, out, logs)
	}
	return "http://127.0.0.1:" + port
}

// caddyUp runs Caddy with dir's deploy/proxy/Caddyfile on the compose
// project's network and returns its URL; it is removed when the test ends.
func caddyUp(t *testing.T, dir, project string) string {
	t.Helper()
	port := freePort(t)
	name := project + "-caddy"
	id := run(t, "run", "-d", "--name", name, "--network", project+"_default", "-e", "DOMAIN=:8080",
		"-p", "127.0.0.1:"+port+":8080", "-v", filepath.Join(dir, "deploy", "proxy", "Caddyfile")+":/etc/caddy/Caddyfile:ro", "caddy:2.6.2")
	t.Cleanup(func() {
		if t.Failed() {
			logs, _ := try("logs", "--tail", "30", id)
			t.Logf("caddy logs:\n%s", logs)
		}
		_, _ = try("rm", "-f", id)
	})
	return "http://127.0.0.1:" + port
}

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// commitAll commits everything in dir, making it a git repository first
// if it is not one: init names an image after the commit it is built from.
func commitAll(t *testing.T, dir, message string) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(dir, ".git")); err != nil {
		git(t, dir, "init", "-q")
	}
	git(t, dir, "add", "-A")
	git(t, dir, "-c", "user.name=e2e", "-c", "user.email=e2e@example.com", "commit", "-qm", message)
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		if d.IsDir() {
			if d.Name() == "target" || d.Name() == "node_modules" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
}

// get fetches url, retrying briefly while nginx comes up.
func get(t *testing.T, url string) string {
	t.Helper()
	c := http.Client{Timeout: 5 * time.Second}
	var last string
	for i := 0; i < 20; i++ {
		resp, err := c.Get(url)
		if err == nil {
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return string(b)
			}
			last = fmt.Sprintf("status %d: %s", resp.StatusCode, b)
		} else {
			last = err.Error()
		}
		time.Sleep(500 * time.Millisecond)
	}
	t.Fatalf("GET %s: %s", url, last)
	return ""
}

// TestExamples_Microservices: seed 004's shape, several services in one
// repository behind one nginx. init finds all three (Node, Python, Go),
// writes a Dockerfile for each and one compose project; each image builds
// and verifies; through nginx / reaches the front service and /catalog/
// and /orders/ the others, with the prefix stripped and passed on.
func TestExamples_Microservices(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "microservices")
	copyTree(t, filepath.Join(repoRoot(t), "examples", "init", "microservices"), dir)
	if code, out, errOut := shipshape(t, "init", dir); code != 0 {
		t.Fatalf("init: exit %d\n%s%s", code, out, errOut)
	} else if !strings.Contains(out, "served at /catalog/") || !strings.Contains(out, "services/orders/Dockerfile") {
		t.Errorf("init did not find every service:\n%s", out)
	}
	if code, out, errOut := shipshape(t, "check", "--no-config", "--profile", "production", "--fail-on", "info", dir); code != 0 || !strings.Contains(out, "0 findings") {
		t.Fatalf("check: exit %d\n%s%s", code, out, errOut)
	}
	commitAll(t, dir, "services and shipshape init")
	sha := ""
	for _, svc := range []string{"web", "catalog", "orders"} {
		code, out, errOut := shipshape(t, "build", "--name", "microservices-"+svc, filepath.Join(dir, "services", svc))
		if code != 0 {
			t.Fatalf("build %s: exit %d\n%s%s", svc, code, out, errOut)
		}
		ref, _, _ := strings.Cut(strings.TrimSpace(out), "\t")
		t.Cleanup(func() { _, _ = try("rmi", "-f", ref) })
		sha = ref[strings.LastIndex(ref, ":")+1:]
		if code, out, errOut := shipshape(t, "verify", ref); code != 0 {
			t.Errorf("verify %s: exit %d\n%s%s", ref, code, out, errOut)
		}
	}
	base := composeUp(t, dir, "microservices", sha)
	if page := get(t, base+"/"); !strings.Contains(page, `href="`+base+`/catalog/"`) {
		t.Errorf("the front page's links do not point through the proxy:\n%s", page)
	}
	if body := get(t, base+"/catalog/"); !strings.Contains(body, `"Teapot"`) || !strings.Contains(body, `"self": "/catalog/"`) {
		t.Errorf("/catalog/ through nginx: %s", body)
	}
	if body := get(t, base+"/orders/"); !strings.Contains(body, `"self":"/orders/"`) {
		t.Errorf("/orders/ through nginx: %s", body)
	}
	if body := get(t, base+"/orders/healthz"); body != "ok" {
		t.Errorf("/orders/healthz through nginx: %q", body)
	}
	caddy := caddyUp(t, dir, "e2e-microservices")
	if page := get(t, caddy+"/"); !strings.Contains(page, `href="`+caddy+`/catalog/"`) {
		t.Errorf("through Caddy, the front page's links do not point through the proxy:\n%s", page)
	}
	if body := get(t, caddy+"/catalog/"); !strings.Contains(body, `"self": "/catalog/"`) {
		t.Errorf("/catalog/ through Caddy: %s", body)
	}
	if body := get(t, caddy+"/orders/healthz"); body != "ok" {
		t.Errorf("/orders/healthz through Caddy: %q", body)
	}
}

// TestExamples_WithoutSIGTERMHandler: most apps never handle SIGTERM
// (express-generator's skeleton does not), and as PID 1 they ignore it
// until the engine kills them. init notices and wraps the entrypoint so the
// process exits on SIGTERM; verify's graceful-stop check proves it.
func TestExamples_WithoutSIGTERMHandler(t *testing.T) {
	strip := map[string]struct{ file, from string }{
		"node-shop":   {"server.js", "// Stop accepting"},
		"python-blog": {"app.py", "    def stop(*_):"},
		"rust-api":    {"src/main.rs", ""}, // its signal() calls are removed below
	}
	for name, s := range strip {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), name)
			copyTree(t, filepath.Join(repoRoot(t), "examples", "init", name), dir)
			src := filepath.Join(dir, s.file)
			data, err := os.ReadFile(src)
			if err != nil {
				t.Fatal(err)
			}
			code, _, _ := strings.Cut(string(data), s.from)
			if s.from == "" {
				// Rust: no signal() calls at all, so init runs it under
				// tini (a program that handled SIGINT would get
				// STOPSIGNAL SIGINT instead).
				var kept []string
				for _, line := range strings.Split(string(data), "\n") {
					if !strings.Contains(line, "signal(15") && !strings.Contains(line, "signal(2,") {
						kept = append(kept, strings.ReplaceAll(line, "SIGTERM", "a stop signal"))
					}
				}
				code = strings.Join(kept, "\n")
			}
			if name == "python-blog" {
				code += "    server.serve_forever()\n\n\nif __name__ == \"__main__\":\n    main()\n"
			}
			if strings.Contains(code, "SIGTERM") {
				t.Fatalf("%s still handles SIGTERM", s.file)
			}
			if err := os.WriteFile(src, []byte(code), 0o644); err != nil {
				t.Fatal(err)
			}
			c, out, errOut := shipshape(t, "init", dir)
			if c != 0 || !strings.Contains(out, "does not handle SIGTERM") {
				t.Fatalf("init: exit %d, no SIGTERM note\n%s%s", c, out, errOut)
			}
			commitAll(t, dir, "no handler")
			c, out, errOut = shipshape(t, "build", "--name", "e2e-nosig-"+name, dir)
			if c != 0 {
				t.Fatalf("build: exit %d\n%s%s", c, out, errOut)
			}
			ref, _, _ := strings.Cut(strings.TrimSpace(out), "\t")
			t.Cleanup(func() { _, _ = try("rmi", "-f", ref) })
			code2, checks, report := verifyImage(t, ref)
			if code2 != 0 || !checks["graceful-stop"].Passed {
				t.Fatalf("verify: exit %d, graceful-stop %+v\n%s", code2, checks["graceful-stop"], report)
			}
		})
	}
}
