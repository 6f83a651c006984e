package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// composeDeployFile is a compose project whose web service needs its
// database: web's health check dials db:5432, so a release is only
// healthy when it reaches its accessory by the service name on the
// project's network.
const composeDeployFile = `name: %s
services:
  web:
    image: shipshape-e2e/versioned:c1
    environment:
      NEEDS: db:5432
    depends_on:
      db:
        condition: service_healthy
    stop_grace_period: 5s
  db:
    image: postgres:15.18-bookworm
    environment:
      POSTGRES_PASSWORD: e2e
    volumes:
      - db_data:/var/lib/postgresql/data
    healthcheck:
      test: ["CMD", "pg_isready", "-U", "postgres"]
      interval: 1s
      retries: 30
    stop_signal: SIGINT
volumes:
  db_data: {}
`

// TestDeploy_Compose releases the web service of a compose project through
// the CLI, as a user would: compose starts its database, shipshape runs web
// as releases on the project's network. A second deploy under traffic loses
// no request and leaves the database container untouched (same container,
// same start time); compose itself never runs web.
func TestDeploy_Compose(t *testing.T) {
	dir := t.TempDir()
	image := versionedImages(t, dir)
	image("c1", "true")
	c2 := image("c2", "true")
	project := fmt.Sprintf("e2e-compose-%d", time.Now().UnixNano()%100000)
	file := filepath.Join(dir, "compose.yaml")
	if err := os.WriteFile(file, []byte(fmt.Sprintf(composeDeployFile, project)), 0o644); err != nil {
		t.Fatal(err)
	}
	service := project + "-web"
	t.Cleanup(func() {
		cmd := exec.Command(docker, "compose", "--project-directory", dir, "down", "-v", "--timeout", "5")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("compose down: %v\n%s", err, out)
		}
		if nets, _ := try("network", "ls", "-q", "--filter", "name="+project); nets != "" {
			t.Errorf("compose down left the project's network: %s", nets)
		}
	})
	removeReleases(t, service) // first: they hold the network compose removes
	addr, sock := startProxy(t, dir)
	deployArgs := []string{"deploy", "--compose", file, "--service", "web", "--proxy", sock, "--window", "2s", "--drain", "3s", "--timeout", "60s"}

	code, out, errOut := shipshape(t, deployArgs...)
	if code != 0 {
		t.Fatalf("first deploy: exit %d\n%s%s", code, out, errOut)
	}
	if !strings.Contains(errOut, "project "+project+": db up") {
		t.Errorf("the progress does not show compose starting db:\n%s", errOut)
	}
	if body := get(t, "http://"+addr+"/"); body != "c1 ok\n" {
		t.Fatalf("after the first deploy: %q", body)
	}
	db := func() string {
		return strings.TrimSpace(run(t, "inspect", "-f", "{{.Id}} {{.State.StartedAt}}", project+"-db-1"))
	}
	dbBefore := db()

	stop := load(t, "http://"+addr+"/")
	code, out, errOut = shipshape(t, append(deployArgs, c2)...)
	r := stop()
	if code != 0 {
		t.Fatalf("second deploy: exit %d\n%s%s", code, out, errOut)
	}
	t.Logf("traffic during the compose deploy: %s; bodies %v\n%s", r, r.Bodies, errOut)
	if r.Failures != 0 || r.Bodies["c1"] == 0 || r.Bodies["c2"] == 0 {
		t.Errorf("%d of %d requests failed, bodies %v: want none failed, c1 then c2", r.Failures, r.Requests, r.Bodies)
	}
	if got := db(); got != dbBefore {
		t.Errorf("the database was restarted by the deploy: %s, then %s", dbBefore, got)
	}
	// The release is on the project's network under the service's name,
	// and compose runs only the accessory.
	running := strings.Fields(run(t, "ps", "-q", "--filter", "label=dev.shipshape.app="+service))
	if len(running) != 1 {
		t.Fatalf("%d running releases of %s, want 1", len(running), service)
	}
	aliases := run(t, "inspect", "-f", `{{json (index .NetworkSettings.Networks "`+project+`_default").Aliases}}`, running[0])
	if !strings.Contains(aliases, `"web"`) {
		t.Errorf("the release's aliases on %s_default: %s; want web", project, aliases)
	}
	ps, err := exec.Command(docker, "compose", "--project-directory", dir, "ps", "--services").Output()
	if err != nil || strings.TrimSpace(string(ps)) != "db" {
		t.Errorf("compose runs %q (%v), want only db", ps, err)
	}

	// Bad input names the file and line, exit 2, and starts nothing.
	code, _, errOut = shipshape(t, "deploy", "--compose", file, "--service", "nope", "--proxy", sock)
	if code != 2 || !strings.Contains(errOut, file+":2") || !strings.Contains(errOut, "db, web") {
		t.Errorf("deploy of a missing service: exit %d, %q", code, errOut)
	}
}
