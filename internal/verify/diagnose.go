package verify

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Failure is how a run went wrong, which decides what can be looked at:
// only a running container has ports and routes.
type Failure string

const (
	// NotStarted: the engine could not start the container.
	NotStarted Failure = "not-started"
	// Exited: the container stopped before it turned healthy.
	Exited Failure = "exited"
	// Unhealthy: it runs, but its HEALTHCHECK did not pass in time.
	Unhealthy Failure = "unhealthy"
	// NotServing: it turned healthy (or has no HEALTHCHECK), but the health
	// path did not answer 2xx on the published port.
	NotServing Failure = "not-serving"
	// PageBroken: it serves its health path, but a page its code serves
	// (Options.Pages) answered 404, 410 or 5xx, or nothing.
	PageBroken Failure = "page-broken"
	// ExitedServing: it served, then exited before it connected to the
	// services the run started beside it (Options.Services).
	ExitedServing Failure = "exited-serving"
)

// Route is the answer to one GET, sent from inside the container's network
// namespace.
type Route struct {
	Port   int    `json:"port"`
	Path   string `json:"path"`
	Status int    `json:"status,omitempty"` // 0: no HTTP answer
	Error  string `json:"error,omitempty"`  // why there was none
}

func (r Route) ok() bool { return r.Status >= 200 && r.Status < 300 }

func (r Route) answer() string {
	if r.Status != 0 {
		return strconv.Itoa(r.Status)
	}
	return r.Error
}

// Fix is the one change to the port or the health path that the evidence
// points at. Zero fields are left as they were.
type Fix struct {
	Port       int    `json:"port,omitempty"`
	HealthPath string `json:"health_path,omitempty"`
	// Why is the evidence, as a sentence.
	Why string `json:"why"`
}

// Flags are the command-line flags that make the change.
func (f Fix) Flags() string {
	var s []string
	if f.Port != 0 {
		s = append(s, fmt.Sprintf("--port %d", f.Port))
	}
	if f.HealthPath != "" {
		s = append(s, "--health-path "+f.HealthPath)
	}
	return strings.Join(s, " ")
}

// Diagnosis is what verify found out about a run that failed, from
// evidence: the sockets the container's processes listen on, what its
// candidate health routes answer, how it exited and what it logged.
type Diagnosis struct {
	Failure Failure `json:"failure"`
	// Port is the container port verify expected the app on; PortFlag
	// says it came from --port rather than the image.
	Port       int    `json:"expected_port"`
	PortFlag   bool   `json:"-"`
	HealthPath string `json:"health_path"`
	// Page and PageAnswer are the page that failed (PageBroken) and
	// what it answered.
	Page string `json:"page,omitempty"`
	// beside: the run started the app's databases on its network.
	beside bool
	// Unconnected are the services an app that exited (ExitedServing)
	// had not connected to.
	Unconnected string `json:"unconnected,omitempty"`
	PageAnswer  string `json:"page_answer,omitempty"`

	// Listening holds the LISTEN sockets, when ListeningError is empty
	// and the container was running; ListeningFrom says where they were read.
	Listening      []Listener `json:"listening"`
	ListeningFrom  string     `json:"listening_from,omitempty"`
	ListeningError string     `json:"listening_error,omitempty"`

	// Routes are the candidate health routes on every listening port,
	// probed from a sidecar; when it could not run (RoutesError), on the
	// expected port only, through its published port.
	Routes      []Route `json:"routes,omitempty"`
	RoutesError string  `json:"routes_error,omitempty"`
	// Probe is the output of the image's last HEALTHCHECK run.
	Probe string `json:"last_probe,omitempty"`

	ExitCode    int    `json:"exit_code,omitempty"`
	OOMKilled   bool   `json:"oom_killed,omitempty"`
	EngineError string `json:"engine_error,omitempty"`
	// Logs are the container's last lines of output, oldest first.
	Logs []string `json:"log_tail"`
	// FirstError is the first line of a longer log that reports an
	// error, when the last lines do not hold it.
	FirstError string `json:"first_error,omitempty"`

	Causes []Cause `json:"causes,omitempty"`
	// Fix is set when the evidence points at one change of port or
	// health path; Advice holds every conclusion, as sentences.
	Fix    *Fix     `json:"fix,omitempty"`
	Advice []string `json:"advice"`
}

// healthCandidates are the routes apps commonly serve for health checks,
// in the order a replacement is chosen: dedicated routes before /.
var healthCandidates = []string{"/healthz", "/health", "/livez", "/readyz", "/ping", "/status", "/api/health", "/"}

// CandidatePaths are the routes probed: the expected health path first.
func CandidatePaths(healthPath string) []string {
	paths := []string{healthPath}
	for _, p := range healthCandidates {
		if !slices.Contains(paths, p) {
			paths = append(paths, p)
		}
	}
	return paths
}

func (d *Diagnosis) running() bool { return d.Failure == Unhealthy || d.Failure == NotServing }

// conclude turns the evidence into Advice and, when the evidence points
// at one change, a Fix. It reads only the Diagnosis: the decision is a
// pure function of what was observed.
func (d *Diagnosis) conclude() {
	d.Fix, d.Advice = nil, nil
	say := func(format string, args ...any) { d.Advice = append(d.Advice, fmt.Sprintf(format, args...)) }
	switch d.Failure {
	case NotStarted:
		say("The engine could not start the container: %s.", strings.TrimSuffix(d.EngineError, "."))
	case Exited:
		say("The container exited with code %d%s before it turned healthy.", d.ExitCode, exitMeaning(d.ExitCode, d.OOMKilled))
		if d.OOMKilled {
			say("The kernel killed it for using more memory than its limit: raise the limit, or lower what the app uses at start.")
		}
	case ExitedServing:
		say("The container served, then exited with code %d without having connected to %s, which the run started beside it: an app that gives up on a service it cannot reach (a driver's connect timeout) does so, and then the address it connects to is not the one the run gave it; the log below says whether that is why.", d.ExitCode, d.Unconnected)
	case Unhealthy:
		say("The container runs, but its HEALTHCHECK did not pass%s.", probeSuffix(d.Probe))
	case NotServing:
		say("The container runs, but GET %s on port %d did not answer 2xx from outside it.", d.HealthPath, d.Port)
	case PageBroken:
		say("The container runs and GET %s answers, but GET %s, a page its code serves, answered %s: the image may lack what the page needs (its templates, static files or built front end), or the page needs what the health route does not (a database table, a setting); the log lines below may say which.",
			d.HealthPath, d.Page, d.PageAnswer)
	}
	for _, c := range d.Causes {
		say("%s.", upperFirst(adviceBeside(c.Advice, d.beside)))
	}
	if d.running() {
		d.concludeNetwork(say)
	}
	if !d.running() && len(d.Causes) == 0 && d.Failure != NotStarted && d.Failure != PageBroken {
		if len(d.Logs) == 0 {
			say("It printed nothing: run it with docker run to see what it does, or check that the entrypoint is the server.")
		} else {
			say("Its last log lines (below) name no cause shipshape knows: read them.")
		}
		if d.FirstError != "" {
			say("The first error it logged, before those lines: %s", d.FirstError)
		}
	}
}

// concludeNetwork: the port first (routes on the wrong port mean
// nothing), then the health path on the port that serves.
func (d *Diagnosis) concludeNetwork(say func(string, ...any)) {
	fix := Fix{}
	serving := 0
	expected := "the image's EXPOSE/HEALTHCHECK port"
	if d.PortFlag {
		expected = "the --port given"
	}
	switch ports := listenPorts(d.Listening); {
	case d.ListeningError != "":
		say("Which ports the app listens on is unknown: %s.", strings.TrimSuffix(d.ListeningError, "."))
		serving = d.Port
	case len(ports) == 0:
		say("No process in the container listens on any TCP port: the app has not started a server (it may still be starting: raise --timeout), or the image runs something other than the server (pass --entrypoint to shipshape init).")
		return
	case reachable(d.Listening, d.Port):
		serving = d.Port
	case slices.Contains(ports, d.Port):
		say("The app listens on %s only, which nothing outside the container reaches: make it bind 0.0.0.0 (a --host 0.0.0.0 option, HOST=0.0.0.0, or listening on \":%d\").", loopbackAddrs(d.Listening, d.Port), d.Port)
		return
	default:
		var open []int
		for _, p := range ports {
			if reachable(d.Listening, p) {
				open = append(open, p)
			}
		}
		if len(open) > 1 {
			if http := d.answeringHTTP(open); len(http) == 1 {
				say("The app listens on %s, not %d (%s); only %d answers HTTP.", joinInts(open), d.Port, expected, http[0])
				open = http
			}
		}
		switch len(open) {
		case 0:
			say("The app listens on %s only, not on %d, and nothing outside the container reaches loopback: bind 0.0.0.0 and pass --port %d.", loopbackAddrs(d.Listening, 0), d.Port, ports[0])
			return
		case 1:
			serving = open[0]
			fix.Port = serving
			fix.Why = fmt.Sprintf("the app listens on %d, not %d (%s)", serving, d.Port, expected)
			say("The app listens on %d, not %d (%s): pass --port %d (shipshape init writes EXPOSE and the HEALTHCHECK with it).", serving, d.Port, expected, serving)
		default:
			say("The app listens on %s, not %d (%s): pass --port with the one that serves the app.", joinInts(open), d.Port, expected)
			return
		}
	}

	var on []Route
	for _, r := range d.Routes {
		if r.Port == serving {
			on = append(on, r)
		}
	}
	if len(on) == 0 && d.RoutesError != "" {
		say("Its routes on %d could not be probed: %s.", serving, strings.TrimSuffix(d.RoutesError, "."))
	}
	health, found := routeFor(on, d.HealthPath)
	switch {
	case !found:
	case health.ok() && fix.Port == 0 && d.Failure == Unhealthy:
		say("GET %s answers %d on %d from inside the container now: the app may start slower than the HEALTHCHECK allows (raise its --start-period, or --timeout), or the HEALTHCHECK requests another port or address than the app serves.", d.HealthPath, health.Status, serving)
	case health.ok():
	case health.Status == 404 || health.Status == 410:
		if alt, ok := firstOK(on, d.HealthPath); ok {
			fix.HealthPath = alt.Path
			why := fmt.Sprintf("GET %s answered %d on %d; GET %s answered %d", d.HealthPath, health.Status, serving, alt.Path, alt.Status)
			fix.Why = joinWhy(fix.Why, why)
			say("%s: pass --health-path %s.", upperFirst(why), alt.Path)
		} else {
			say("GET %s answered %d on %d, and no other common health route answers 2xx (%s): add a cheap health route that answers 200 and pass it as --health-path.", d.HealthPath, health.Status, serving, summary(on))
		}
	case health.Status != 0:
		say("GET %s answered %d on %d: the app answers but reports a failure there; its log may say why.", d.HealthPath, health.Status, serving)
	case health.Error == "connection refused":
		say("GET %s could not connect to %d from inside the container (connection refused): the app listens on an address the probe cannot reach, or closed the port meanwhile.", d.HealthPath, serving)
	default:
		say("GET %s got no HTTP answer on %d (%s): the port does not speak HTTP, or the app hangs.", d.HealthPath, serving, health.Error)
	}
	d.setFix(fix)
}

func (d *Diagnosis) setFix(f Fix) {
	if f.Port != 0 || f.HealthPath != "" {
		d.Fix = &f
	}
}

// answeringHTTP are the ports where any probe got an HTTP status.
func (d *Diagnosis) answeringHTTP(ports []int) []int {
	var out []int
	for _, r := range d.Routes {
		if r.Status != 0 && slices.Contains(ports, r.Port) && !slices.Contains(out, r.Port) {
			out = append(out, r.Port)
		}
	}
	return out
}

func routeFor(rs []Route, path string) (Route, bool) {
	for _, r := range rs {
		if r.Path == path {
			return r, true
		}
	}
	return Route{}, false
}

// firstOK is the first candidate other than skip that answered 2xx, in
// healthCandidates order.
func firstOK(rs []Route, skip string) (Route, bool) {
	for _, p := range healthCandidates {
		if r, ok := routeFor(rs, p); ok && p != skip && r.ok() {
			return r, true
		}
	}
	return Route{}, false
}

func summary(rs []Route) string {
	s := make([]string, 0, len(rs))
	for _, r := range rs {
		s = append(s, r.Path+" "+r.answer())
	}
	return strings.Join(s, ", ")
}

// String is the diagnosis as a user reads it: the conclusions, what was
// seen, and the end of the log.
func (d *Diagnosis) String() string {
	var b strings.Builder
	for _, a := range d.Advice {
		b.WriteString(a + "\n")
	}
	if len(d.Listening) > 0 {
		addrs := make([]string, 0, len(d.Listening))
		for _, l := range d.Listening {
			addrs = append(addrs, fmt.Sprintf("%s (uid %d)", l, l.UID))
		}
		fmt.Fprintf(&b, "Listening (%s): %s\n", d.ListeningFrom, strings.Join(addrs, ", "))
	}
	for _, p := range listenPorts(d.Listening) {
		var on []Route
		for _, r := range d.Routes {
			if r.Port == p {
				on = append(on, r)
			}
		}
		if len(on) > 0 {
			fmt.Fprintf(&b, "Routes on %d: %s\n", p, summary(on))
		}
	}
	if len(d.Logs) > 0 {
		if len(d.Logs) == 1 {
			b.WriteString("Last log line:\n")
		} else {
			fmt.Fprintf(&b, "Last %d log lines:\n", len(d.Logs))
		}
		for _, l := range d.Logs {
			b.WriteString("  | " + l + "\n")
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func exitMeaning(code int, oom bool) string {
	switch {
	case oom:
		return " (killed: out of memory)"
	case code == 0:
		return " (it finished instead of serving: the entrypoint is a one-off command, or starts the server in the background)"
	case code == 126:
		return " (the entrypoint is not executable)"
	case code == 127:
		return " (the entrypoint was not found)"
	case code == 137:
		return " (killed by SIGKILL)"
	case code == 139:
		return " (segmentation fault)"
	}
	return ""
}

func probeSuffix(out string) string {
	if out == "" {
		return ""
	}
	return fmt.Sprintf(" (its last probe printed %q)", out)
}

func loopbackAddrs(ls []Listener, port int) string {
	var s []string
	for _, l := range ls {
		if l.Loopback() && (port == 0 || l.Port == port) {
			s = append(s, l.String())
		}
	}
	return strings.Join(s, " and ")
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

func joinWhy(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
