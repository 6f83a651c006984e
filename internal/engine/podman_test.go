package engine

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// fakeEngine serves, on a unix socket, the answers Podman 4.3.1 gave here
// (or Docker's, podman false) to the calls podman.go makes, and returns a
// client for it and the paths it was asked.
func fakeEngine(t *testing.T, podman bool) (*client.Client, *[]string) {
	t.Helper()
	var asked []string
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if i := strings.Index(p, "/libpod/"); i > 0 {
			p = p[i:] // /v4.0.0/libpod/... as /libpod/...
		} else if strings.HasPrefix(p, "/v1.") {
			p = p[strings.Index(p[1:], "/")+1:]
		}
		asked = append(asked, r.Method+" "+p+"?"+r.URL.RawQuery)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case p == "/_ping":
			w.Header().Set("Api-Version", "1.41")
			w.Write([]byte("OK"))
		case p == "/version":
			name := "Engine"
			if podman {
				name = "Podman Engine"
			}
			w.Write([]byte(`{"ApiVersion":"1.41","Version":"4.3.1","Components":[{"Name":"` + name + `","Version":"4.3.1"}]}`))
		case p == "/images/app:1/json":
			// Podman's compat inspect: Config without the Healthcheck.
			w.Write([]byte(`{"Id":"sha256:715f716fa8f9","Config":{"User":"65532:65532","ExposedPorts":{"8080/tcp":{}}}}`))
		case p == "/libpod/images/715f716fa8f9/json":
			w.Write([]byte(`{"Id":"715f716fa8f9","Healthcheck":{"Test":["CMD","/api","-healthcheck"],"Interval":10000000000,"Timeout":3000000000}}`))
		case p == "/containers/c1/top":
			if r.URL.Query().Get("ps_args") != "pid,user" {
				return // Podman 4.3's answer to ps options: an empty 200
			}
			w.Write([]byte(`{"Processes":[["1","nonroot"],["7","nonroot"],["9","1001"]],"Titles":["PID","USER"]}`))
		case p == "/containers/c1/archive":
			http.Error(w, `{"message":"no such file"}`, http.StatusNotFound)
		case p == "/libpod/containers/c1/healthcheck":
			w.Write([]byte(`{"Status":"healthy","FailingStreak":0,"Log":null}`))
		default:
			http.Error(w, `{"message":"not served by the fake"}`, http.StatusNotFound)
		}
	})
	sock := filepath.Join(t.TempDir(), "engine.sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(mux)
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	c, err := client.New(client.WithHost("unix://"+sock), client.WithAPIVersion("1.41"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, &asked
}

func TestInspectImage_HealthcheckFromLibpodOnPodman(t *testing.T) {
	c, _ := fakeEngine(t, true)
	img, err := InspectImage(context.Background(), c, "app:1")
	if err != nil {
		t.Fatal(err)
	}
	facts := FactsOf(img.Config)
	if facts.Healthcheck == nil || strings.Join(facts.Healthcheck.Test, " ") != "CMD /api -healthcheck" || facts.Healthcheck.Interval != 10*time.Second {
		t.Fatalf("healthcheck = %+v, want Podman's CMD /api -healthcheck every 10s", facts.Healthcheck)
	}
}

func TestInspectImage_DockerIsAskedOnce(t *testing.T) {
	c, asked := fakeEngine(t, false)
	img, err := InspectImage(context.Background(), c, "app:1")
	if err != nil {
		t.Fatal(err)
	}
	if img.Config.Healthcheck != nil {
		t.Fatalf("an image without a HEALTHCHECK on Docker got %+v", img.Config.Healthcheck)
	}
	for _, a := range *asked {
		if strings.Contains(a, "libpod") {
			t.Errorf("asked Docker %s", a)
		}
	}
}

func TestProcessUsers_PodmanDescriptors(t *testing.T) {
	c, _ := fakeEngine(t, true)
	users, err := ProcessUsers(context.Background(), c, "c1")
	if err != nil {
		t.Fatal(err)
	}
	// No /etc/passwd to read here: names stay names, uids stay uids.
	if strings.Join(users, ",") != "1001,nonroot" {
		t.Fatalf("users = %v", users)
	}
}

func TestIsPodman_AskedOncePerClient(t *testing.T) {
	c, asked := fakeEngine(t, true)
	for range 3 {
		if !IsPodman(context.Background(), c) {
			t.Fatal("not Podman")
		}
	}
	n := 0
	for _, a := range *asked {
		if strings.HasPrefix(a, "GET /version") {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("/version asked %d times: %v", n, *asked)
	}
}

func TestRunHealthcheck_Libpod(t *testing.T) {
	c, asked := fakeEngine(t, true)
	if err := runHealthcheck(context.Background(), c, "c1"); err != nil {
		t.Fatal(err)
	}
	if err := runHealthcheck(context.Background(), c, "gone"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("a missing container: %v", err)
	}
	if last := (*asked)[len(*asked)-2]; last != "GET /libpod/containers/c1/healthcheck?" {
		t.Fatalf("asked %q", last)
	}
}

func TestHealthDue(t *testing.T) {
	start := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	ins := func(interval time.Duration, running bool, lastEnd time.Time) container.InspectResponse {
		st := &container.State{Running: running, StartedAt: start.Format(time.RFC3339Nano), Health: &container.Health{Status: container.Starting}}
		if !lastEnd.IsZero() {
			st.Health.Log = []*container.HealthcheckResult{{End: lastEnd}}
		}
		return container.InspectResponse{State: st, Config: &container.Config{Healthcheck: &container.HealthConfig{Test: []string{"CMD", "/x"}, Interval: interval}}}
	}
	cases := []struct {
		name string
		ins  container.InspectResponse
		now  time.Time
		want bool
	}{
		{"before the first interval", ins(time.Second, true, time.Time{}), start.Add(time.Second), false},
		{"an interval and the slack after the start", ins(time.Second, true, time.Time{}), start.Add(1500 * time.Millisecond), true},
		{"a probe ran lately (a systemd timer)", ins(time.Second, true, start.Add(time.Second)), start.Add(2 * time.Second), false},
		{"its last probe is an interval old", ins(time.Second, true, start.Add(time.Second)), start.Add(2600 * time.Millisecond), true},
		{"no interval: Docker's 30 s", ins(0, true, time.Time{}), start.Add(20 * time.Second), false},
		{"not running", ins(time.Second, false, time.Time{}), start.Add(time.Minute), false},
		{"no health check", container.InspectResponse{State: &container.State{Running: true}, Config: &container.Config{}}, start.Add(time.Minute), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := healthDue(c.ins, c.now); got != c.want {
				t.Errorf("healthDue = %v, want %v", got, c.want)
			}
		})
	}
}
