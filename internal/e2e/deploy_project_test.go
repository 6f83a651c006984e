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

	"github.com/shipshape/shipshape/internal/loadgen"
)

// composeProjectFile is seed 004's shape, small: several web services of
// one project behind one proxy (a site at /, an API at /api that needs the
// database, an admin at /admin), a database compose keeps, and a worker
// left to compose.
const composeProjectFile = `name: %s
services:
  web:
    build: .
    image: e2e-proj-web:${TAG}
    depends_on: [api]
    stop_grace_period: 5s
  api:
    build: .
    image: e2e-proj-api:${TAG}
    labels:
      dev.shipshape.prefix: /api
    environment:
      NEEDS: db:5432
    depends_on:
      db: {condition: service_healthy}
    stop_grace_period: 5s
  admin:
    build: .
    image: e2e-proj-admin:${TAG}
    labels:
      dev.shipshape.prefix: /admin
    stop_grace_period: 5s
  worker:
    build: .
    image: e2e-proj-web:${TAG}
    labels:
      dev.shipshape.deploy: "false"
    profiles: [jobs]
  db:
    image: postgres:15.18-bookworm
    environment:
      POSTGRES_PASSWORD: e2e
    healthcheck:
      test: ["CMD", "pg_isready", "-U", "postgres"]
      interval: 1s
      retries: 30
    stop_signal: SIGINT
`

// TestDeploy_Project releases a whole compose project (three web services
// in dependency order) under steady traffic on each: a release where the
// API's new version never turns healthy switches the admin service, which
// went first, back, and all of them keep serving v1; then v2 of all three
// switches. No request fails, the database is never restarted, the worker
// is never released.
func TestDeploy_Project(t *testing.T) {
	dir := t.TempDir()
	image := versionedImages(t, dir)
	tag := func(src, dst string) {
		run(t, "tag", src, dst)
		t.Cleanup(func() { _, _ = try("rmi", dst) })
	}
	for _, v := range []string{"v1", "v2"} {
		good := image(v, "true")
		for _, s := range []string{"web", "admin"} {
			tag(good, "e2e-proj-"+s+":"+v)
		}
		if v == "v1" {
			tag(good, "e2e-proj-api:v1")
		}
	}
	tag(image("v2bad", "false"), "e2e-proj-api:v2bad")
	tag("e2e-proj-web:v2", "e2e-proj-api:v2")
	project := fmt.Sprintf("e2eproj%d", time.Now().UnixNano()%100000)
	file := filepath.Join(dir, "compose.yaml")
	if err := os.WriteFile(file, []byte(fmt.Sprintf(composeProjectFile, project)), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd := exec.Command(docker, "compose", "--project-directory", dir, "--project-name", project, "down", "-v", "--timeout", "5")
		cmd.Env = append(os.Environ(), "TAG=v1")
		_, _ = cmd.CombinedOutput()
	})
	for _, s := range []string{"web", "api", "admin", "worker"} {
		removeReleases(t, project+"-"+s)
	}
	addr, sock := startProxy(t, dir)
	deploy := func(tagValue string) (int, string, string) {
		t.Setenv("TAG", tagValue)
		return shipshape(t, "deploy", "--compose", file, "--proxy", sock, "--window", "2s", "--drain", "2s", "--timeout", "20s")
	}
	serving := func(want string) {
		t.Helper()
		for _, path := range []string{"/", "/api/items", "/admin/"} {
			if body := get(t, "http://"+addr+path); body != want+" ok\n" {
				t.Errorf("GET %s: %q, want %s", path, body, want)
			}
		}
	}

	if code, out, errOut := deploy("v1"); code != 0 {
		t.Fatalf("first project deploy: exit %d\n%s%s", code, out, errOut)
	}
	serving("v1")
	db := func() string {
		return strings.TrimSpace(run(t, "inspect", "-f", "{{.Id}} {{.State.StartedAt}}", project+"-db-1"))
	}
	dbBefore := db()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	results := make(chan *loadgen.Result, 3)
	for _, path := range []string{"/", "/api/items", "/admin/"} {
		go func(url string) {
			r, _ := loadgen.Run(ctx, loadgen.Options{URL: url, Concurrency: 4, Duration: 3 * time.Minute})
			results <- r
		}("http://" + addr + path)
	}
	time.Sleep(300 * time.Millisecond)

	// api's v2 never turns healthy: the project stays on v1, admin (released
	// before api) switched back.
	if err := exec.Command(docker, "tag", "e2e-proj-api:v2bad", "e2e-proj-api:v2").Run(); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := deploy("v2")
	if code == 0 || !strings.Contains(errOut, project+"-api") || !strings.Contains(errOut, project+"-admin switched back to its previous release") {
		t.Fatalf("a project deploy whose api fails: exit %d\n%s%s", code, out, errOut)
	}
	serving("v1")

	if err := exec.Command(docker, "tag", "e2e-proj-web:v2", "e2e-proj-api:v2").Run(); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = deploy("v2")
	if code != 0 {
		t.Fatalf("the project's v2: exit %d\n%s%s", code, out, errOut)
	}
	serving("v2")
	order := []string{}
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) > 1 && f[0] == "released" {
			order = append(order, strings.TrimPrefix(f[1], project+"-"))
		}
	}
	if strings.Join(order, " ") != "admin api web" {
		t.Errorf("released %v, want admin, api, web (web depends on api)\n%s", order, out)
	}
	cancel()
	for i := 0; i < 3; i++ {
		r := <-results
		t.Logf("traffic: %s; bodies %v", r, r.Bodies)
		if r.Failures != 0 {
			t.Errorf("%d of %d requests failed: %v", r.Failures, r.Requests, r.ByStatus)
		}
	}
	if got := db(); got != dbBefore {
		t.Errorf("the database was restarted: %s, then %s", dbBefore, got)
	}
	if n, _ := try("ps", "-aq", "--filter", "label=dev.shipshape.app="+project+"-worker"); strings.TrimSpace(n) != "" {
		t.Errorf("the worker was released: %s", n)
	}
}
