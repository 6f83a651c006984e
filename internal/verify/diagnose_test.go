package verify

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

func listen(addr string, port int) Listener {
	return Listener{Addr: netip.MustParseAddr(addr), Port: port, UID: 10001}
}

// routes builds probe results on one port from "path status" pairs.
func routes(port int, answers ...any) []Route {
	var rs []Route
	for i := 0; i+1 < len(answers); i += 2 {
		r := Route{Port: port, Path: answers[i].(string)}
		switch a := answers[i+1].(type) {
		case int:
			r.Status = a
		case string:
			r.Error = a
		}
		rs = append(rs, r)
	}
	return rs
}

func TestDiagnosis_Decision(t *testing.T) {
	cases := []struct {
		name   string
		d      Diagnosis
		fix    *Fix     // nil: no change is clear
		advice []string // phrases the advice must hold, in order
	}{
		{
			name: "listens on one other port",
			d: Diagnosis{Failure: Unhealthy, Port: 8080, HealthPath: "/healthz",
				Listening: []Listener{listen("::", 5000)},
				Routes:    routes(5000, "/healthz", 200, "/health", 404, "/", 200)},
			fix:    &Fix{Port: 5000},
			advice: []string{"HEALTHCHECK did not pass", "The app listens on 5000, not 8080 (the image's EXPOSE/HEALTHCHECK port): pass --port 5000"},
		},
		{
			name: "other port and another health route",
			d: Diagnosis{Failure: Unhealthy, Port: 8080, HealthPath: "/healthz",
				Listening: []Listener{listen("0.0.0.0", 5000)},
				Routes:    routes(5000, "/healthz", 404, "/health", 404, "/ping", 200, "/", 200)},
			fix:    &Fix{Port: 5000, HealthPath: "/ping"},
			advice: []string{"pass --port 5000", "GET /healthz answered 404 on 5000; GET /ping answered 200: pass --health-path /ping"},
		},
		{
			name: "right port, health path 404, / answers",
			d: Diagnosis{Failure: NotServing, Port: 8000, HealthPath: "/healthz",
				Listening: []Listener{listen("0.0.0.0", 8000)},
				Routes:    routes(8000, "/healthz", 404, "/health", 404, "/livez", 404, "/readyz", 404, "/ping", 404, "/status", 404, "/api/health", 404, "/", 200)},
			fix:    &Fix{HealthPath: "/"},
			advice: []string{"GET /healthz answered 404 on 8000; GET / answered 200: pass --health-path /"},
		},
		{
			name: "health path fails with 503: the app's own verdict, not a wrong route",
			d: Diagnosis{Failure: Unhealthy, Port: 8000, HealthPath: "/healthz",
				Listening: []Listener{listen("0.0.0.0", 8000)},
				Routes:    routes(8000, "/healthz", 503, "/", 200)},
			advice: []string{"GET /healthz answered 503 on 8000: the app answers but reports a failure"},
		},
		{
			name: "404 everywhere",
			d: Diagnosis{Failure: Unhealthy, Port: 3000, HealthPath: "/healthz",
				Listening: []Listener{listen("::", 3000)},
				Routes:    routes(3000, "/healthz", 404, "/", 404)},
			advice: []string{"no other common health route answers 2xx (/healthz 404, / 404)"},
		},
		{
			name: "two other ports, one speaks HTTP",
			d: Diagnosis{Failure: Unhealthy, Port: 8080, HealthPath: "/healthz",
				Listening: []Listener{listen("0.0.0.0", 5000), listen("0.0.0.0", 9000)},
				Routes:    append(routes(5000, "/healthz", 200), routes(9000, "/healthz", "not HTTP")...)},
			fix:    &Fix{Port: 5000},
			advice: []string{"listens on 5000 and 9000, not 8080", "only 5000 answers HTTP", "pass --port 5000"},
		},
		{
			name: "two other ports, both HTTP: no single fix",
			d: Diagnosis{Failure: Unhealthy, Port: 8080, HealthPath: "/healthz",
				Listening: []Listener{listen("0.0.0.0", 5000), listen("0.0.0.0", 9000)},
				Routes:    append(routes(5000, "/healthz", 200), routes(9000, "/healthz", 200)...)},
			advice: []string{"The app listens on 5000 and 9000, not 8080 (the image's EXPOSE/HEALTHCHECK port): pass --port with the one that serves"},
		},
		{
			name: "loopback only on the right port",
			d: Diagnosis{Failure: NotServing, Port: 8000, HealthPath: "/health",
				Listening: []Listener{listen("127.0.0.1", 8000)},
				Routes:    routes(8000, "/health", 200)},
			advice: []string{"listens on 127.0.0.1:8000 only", "bind 0.0.0.0"},
		},
		{
			name:   "nothing listens",
			d:      Diagnosis{Failure: Unhealthy, Port: 8080, HealthPath: "/healthz", Listening: []Listener{}},
			advice: []string{"No process in the container listens on any TCP port"},
		},
		{
			name: "right port, health answers now: slow start",
			d: Diagnosis{Failure: Unhealthy, Port: 8080, HealthPath: "/healthz",
				Listening: []Listener{listen("::", 8080)},
				Routes:    routes(8080, "/healthz", 200)},
			advice: []string{"answers 200 on 8080 from inside the container now", "--start-period"},
		},
		{
			name: "the port came from --port",
			d: Diagnosis{Failure: Unhealthy, Port: 8080, PortFlag: true, HealthPath: "/",
				Listening: []Listener{listen("::", 5000)}, Routes: routes(5000, "/", 200)},
			fix:    &Fix{Port: 5000},
			advice: []string{"not 8080 (the --port given): pass --port 5000"},
		},
		{
			name: "ports unknown, routes through the published port",
			d: Diagnosis{Failure: NotServing, Port: 8000, HealthPath: "/healthz", ListeningError: "no image debian:bookworm-slim on the engine",
				Routes: routes(8000, "/healthz", 404, "/health", 200)},
			fix:    &Fix{HealthPath: "/health"},
			advice: []string{"Which ports the app listens on is unknown: no image debian:bookworm-slim", "pass --health-path /health"},
		},
		{
			name: "the probes cannot connect",
			d: Diagnosis{Failure: NotServing, Port: 8080, HealthPath: "/healthz",
				Listening: []Listener{listen("::", 8080)},
				Routes:    routes(8080, "/healthz", "connection refused", "/", "connection refused")},
			advice: []string{"GET /healthz could not connect to 8080 from inside the container (connection refused)"},
		},
		{
			name: "a wrong port is not fixed from a sidecar error",
			d: Diagnosis{Failure: Unhealthy, Port: 8080, HealthPath: "/healthz",
				ListeningError: "no image x", RoutesError: "no image x"},
			advice: []string{"Its routes on 8080 could not be probed: no image x"},
		},
		{
			name: "the published port reaches only the wrong port",
			d: Diagnosis{Failure: Unhealthy, Port: 8080, HealthPath: "/healthz", Listening: []Listener{listen("::", 5000)},
				RoutesError: "no image x", Routes: routes(8080, "/healthz", "connection refused")},
			fix:    &Fix{Port: 5000},
			advice: []string{"pass --port 5000", "Its routes on 5000 could not be probed: no image x"},
		},
		{
			name: "exited with a missing variable",
			d: Diagnosis{Failure: Exited, Port: 8000, HealthPath: "/health", ExitCode: 1,
				Logs: []string{"KeyError: 'SECRET_KEY'"}, Causes: FindCauses([]string{"KeyError: 'SECRET_KEY'"}, "")},
			advice: []string{"The container exited with code 1 before it turned healthy.", "The app stops because the environment variable SECRET_KEY is not set"},
		},
		{
			name:   "exited out of memory",
			d:      Diagnosis{Failure: Exited, Port: 8000, ExitCode: 137, OOMKilled: true, Logs: []string{"loading model"}},
			advice: []string{"code 137 (killed: out of memory)", "raise the limit"},
		},
		{
			// podgrab: the SQLite open fails first, and a panic on the
			// nil handle fills the last lines.
			name: "exited, the first error before the last lines",
			d: Diagnosis{Failure: Exited, Port: 8080, ExitCode: 2, Logs: []string{"panic: runtime error: invalid memory address or nil pointer dereference", "goroutine 1 [running]:"},
				FirstError: "2026/12/03 17:29:04 failed to connect database: unable to open database file: no such file or directory"},
			advice: []string{"The container exited with code 2", "name no cause shipshape knows", "The first error it logged, before those lines: 2026/12/03 17:29:04 failed to connect database"},
		},
		{
			name:   "exited silently",
			d:      Diagnosis{Failure: Exited, Port: 8000, ExitCode: 0},
			advice: []string{"code 0 (it finished instead of serving", "It printed nothing"},
		},
		{
			name: "healthy, but the page the code serves is 404 (mpolden/echoip with its html/ templates left out)",
			d: Diagnosis{Failure: PageBroken, Port: 8080, HealthPath: "/health", Page: "/", PageAnswer: "404 Not Found",
				Logs: []string{"2026/12/01 10:00:00 main.go:60: Not configuring default handler: Template not found: html"}},
			advice: []string{"The container runs and GET /health answers, but GET /, a page its code serves, answered 404 Not Found", "templates, static files or built front end",
				"Last log line:\n  | 2026/12/01 10:00:00 main.go:60: Not configuring default handler: Template not found: html"},
		},
		{
			name:   "never started",
			d:      Diagnosis{Failure: NotStarted, Port: 8080, EngineError: `exec: "/app/server": stat /app/server: no such file or directory`, Causes: FindCauses(nil, `exec: "/app/server": stat /app/server: no such file or directory`)},
			advice: []string{"The engine could not start the container", "The entrypoint /app/server cannot be run"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := c.d
			d.conclude()
			switch {
			case c.fix == nil && d.Fix != nil:
				t.Errorf("fix = %+v, want none", *d.Fix)
			case c.fix != nil && d.Fix == nil:
				t.Errorf("no fix, want %+v", *c.fix)
			case c.fix != nil && (d.Fix.Port != c.fix.Port || d.Fix.HealthPath != c.fix.HealthPath || d.Fix.Why == ""):
				t.Errorf("fix = %+v, want %+v with a reason", *d.Fix, *c.fix)
			}
			text := d.String()
			at := 0
			for _, phrase := range c.advice {
				i := strings.Index(text[at:], phrase)
				if i < 0 {
					t.Fatalf("diagnosis lacks %q (after position %d):\n%s", phrase, at, text)
				}
				at += i + len(phrase)
			}
		})
	}
}

// TestFirstError: the first line of a long log's head that reports an
// error, unless the tail shown holds it.
func TestFirstError(t *testing.T) {
	head := []string{"starting podgrab", "[GIN-debug] GET /ws", "failed to connect database: unable to open database file", "panic: nil"}
	if got := firstError(head, []string{"panic: nil"}); got != head[2] {
		t.Errorf("firstError = %q, want %q", got, head[2])
	}
	if got := firstError(head, []string{head[2], "panic: nil"}); got != "" {
		t.Errorf("firstError = %q, want nothing: the tail holds it", got)
	}
	if got := firstError([]string{"listening on :8080"}, nil); got != "" {
		t.Errorf("firstError = %q, want nothing", got)
	}
}

// TestLogLines: all of a log's lines, or its first few; none of an empty
// one. (A first version of the shared reader read no line at all when
// asked for all of them.)
func TestLogLines(t *testing.T) {
	if got := logLines("a\r\nb\nc\n", -1); strings.Join(got, "|") != "a|b|c" {
		t.Errorf("all lines = %q", got)
	}
	if got := logLines("a\nb\nc\n", 2); strings.Join(got, "|") != "a|b" {
		t.Errorf("first 2 = %q", got)
	}
	if got := logLines("\n", -1); got != nil {
		t.Errorf("empty log = %q", got)
	}
}

// TestPageServed: a page is there unless it answers 404, 410 or a server
// error, or nothing; a login wall is a page that is there.
func TestPageServed(t *testing.T) {
	for code, want := range map[int]bool{200: true, 302: true, 401: true, 403: true, 406: true, 404: false, 410: false, 500: false, 502: false, 503: false} {
		if got := pageServed(code, nil); got != want {
			t.Errorf("pageServed(%d) = %v, want %v", code, got, want)
		}
	}
	if pageServed(0, errors.New("connection reset by peer")) {
		t.Error("no answer counted as a page")
	}
}

func TestDiagnosis_String(t *testing.T) {
	d := Diagnosis{Failure: Unhealthy, Port: 8080, HealthPath: "/healthz", ListeningFrom: "/proc/42/net/tcp on the engine's host",
		Listening: []Listener{listen("::", 5000)},
		Routes:    routes(5000, "/healthz", 200, "/", 404, "/status", "connection refused"),
		Logs:      []string{"listening on :5000"}}
	d.conclude()
	want := `The container runs, but its HEALTHCHECK did not pass.
The app listens on 5000, not 8080 (the image's EXPOSE/HEALTHCHECK port): pass --port 5000 (shipshape init writes EXPOSE and the HEALTHCHECK with it).
Listening (/proc/42/net/tcp on the engine's host): [::]:5000 (uid 10001)
Routes on 5000: /healthz 200, / 404, /status connection refused
Last log line:
  | listening on :5000`
	if got := d.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
	if d.Fix == nil || d.Fix.Flags() != "--port 5000" {
		t.Errorf("fix = %+v", d.Fix)
	}
}

func TestCandidatePaths(t *testing.T) {
	got := strings.Join(CandidatePaths("/api/health"), " ")
	if got != "/api/health /healthz /health /livez /readyz /ping /status /" {
		t.Errorf("CandidatePaths = %s", got)
	}
}

func TestParseProbeOutput(t *testing.T) {
	out := "5000 /healthz HTTP/1.1 200 OK\n5000 / HTTP/1.0 404 File not found\n8080 /healthz refused\n9000 /healthz \n9000 / SSH-2.0-OpenSSH_9.2\n9000 /x HTTP/1.1 abc\nbash: warning\n"
	got := ParseProbeOutput(out)
	want := []Route{
		{Port: 5000, Path: "/healthz", Status: 200},
		{Port: 5000, Path: "/", Status: 404},
		{Port: 8080, Path: "/healthz", Error: "connection refused"},
		{Port: 9000, Path: "/healthz", Error: "no answer within 3s"},
		{Port: 9000, Path: "/", Error: "not HTTP"},
		{Port: 9000, Path: "/x", Error: "a malformed status line"},
	}
	if len(got) != len(want) {
		t.Fatalf("routes = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("route %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}

func FuzzFindCauses(f *testing.F) {
	f.Add("ModuleNotFoundError: No module named 'flask'", "")
	f.Add("Error: connect ECONNREFUSED 127.0.0.1:5432", `exec: "x": executable file not found in $PATH`)
	f.Add("[ERROR] Connection in use: ('0.0.0.0', 8000)", "")
	f.Fuzz(func(t *testing.T, log, engineErr string) {
		for _, c := range FindCauses(strings.Split(log, "\n"), engineErr) {
			if c.Kind == "" || c.Advice == "" || c.Line == "" {
				t.Fatalf("incomplete cause %+v", c)
			}
		}
	})
}

// Docker's embedded DNS listens in every container on a user-defined
// network (init --verify runs apps beside their databases on one): its
// socket is not the app's port.
func TestWithoutEngineDNS(t *testing.T) {
	got := withoutEngineDNS([]Listener{
		{Addr: netip.MustParseAddr("127.0.0.11"), Port: 39515},
		{Addr: netip.MustParseAddr("0.0.0.0"), Port: 8080},
	})
	if len(got) != 1 || got[0].Port != 8080 {
		t.Fatalf("listeners: %v", got)
	}
}
