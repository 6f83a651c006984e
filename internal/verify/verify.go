// Package verify proves an image: what its configuration says (user,
// HEALTHCHECK, ports, size) and what a real run shows (it turns healthy,
// answers its health path, runs as non-root, stops on SIGTERM in time).
// When the run fails, a Diagnosis says why from evidence: the ports the
// container really listens on, what its routes answer, how it exited and
// what it logged.
package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/netip"
	"slices"
	"sort"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/engine"
	"github.com/shipshape/shipshape/internal/hostnet"
)

// Options say how to run the image.
type Options struct {
	// HealthPath is requested over HTTP once the container is healthy.
	HealthPath string
	// Pages are paths the app's code serves as pages besides the health
	// path (init's detected /): each is requested as a browser would,
	// once the health path answers, and must answer: not 404 or 410, not
	// 5xx, not nothing. A redirect is an answer.
	Pages []string
	// PagesUnproven, when set, says why a page's server error proves
	// nothing about the image (the run gave the services the page needs
	// placeholder addresses): a 5xx or no answer is then a warning; 404
	// and 410 still fail (a page the image lacks is missing whatever the
	// services).
	PagesUnproven string
	// Port is the container port to request it on; 0 means the lowest
	// EXPOSEd TCP port.
	Port int
	// Timeout bounds start to healthy.
	Timeout time.Duration
	// Grace is how long the app may take to exit after SIGTERM.
	Grace time.Duration
	// MaxSize fails images larger than this many bytes; 0 means no limit.
	MaxSize int64
	// Writable runs with a writable root file system; by default it is
	// read-only with a tmpfs /tmp, as production should run it.
	Writable bool
	// Network is the network the container joins (StartAccessories'),
	// "" for the engine's default.
	Network string
	// Env is the container's environment (KEY=VALUE): what the app needs
	// to start, e.g. the example values a repository documents.
	Env []string
	// Cmd are the arguments the container runs the image's entrypoint
	// with, as compose's command: gives them; nil keeps the image's CMD.
	Cmd []string
	// Mounts are host directories and named volumes the container gets
	// (ParseVolume); verify checks first that its user can write the
	// writable ones.
	Mounts []mount.Mount
	// AllowSecrets are path globs (path.Match, absolute) whose secrets do
	// not fail verify: a glob matching a directory allows all below it.
	AllowSecrets []string
	// Services are the accessories the run started beside the app
	// (Accessories.Services): once it serves, verify watches until it has
	// connected to each, for up to ConnectWait (0: 35 s) after it started.
	Services    []Service
	ConnectWait time.Duration
	// DiagnoseImage has the bash that looks inside a failed container
	// (its sockets, its routes); empty means DefaultDiagnoseImage.
	DiagnoseImage string
}

// Check is one verified property. A warning is reported but does not fail
// the verification.
type Check struct {
	Name    string `json:"name"`
	Passed  bool   `json:"passed"`
	Warning bool   `json:"warning,omitempty"`
	Detail  string `json:"detail"`
}

// Report is everything verify learned.
type Report struct {
	Image     string    `json:"image"`
	ID        string    `json:"id"`
	Size      int64     `json:"size_bytes"`
	User      string    `json:"user"`
	Exposed   []string  `json:"exposed_ports"`
	StartupMS int64     `json:"startup_ms,omitempty"`
	StopMS    int64     `json:"stop_ms,omitempty"`
	MemoryMB  float64   `json:"memory_mb,omitempty"`
	Contents  *Contents `json:"contents,omitempty"`
	Secrets   []Secret  `json:"secrets,omitempty"` // allowed ones included
	Checks    []Check   `json:"checks"`
	// Pages are the pages of Options.Pages that answered.
	Pages []string `json:"pages,omitempty"`
	// Diagnosis says why the run failed, when it did.
	Diagnosis *Diagnosis `json:"diagnosis,omitempty"`
}

// Passed reports whether every check passed.
func (r *Report) Passed() bool {
	for _, c := range r.Checks {
		if !c.Passed && !c.Warning {
			return false
		}
	}
	return true
}

func (r *Report) add(name string, passed bool, format string, args ...any) {
	r.Checks = append(r.Checks, Check{Name: name, Passed: passed, Detail: fmt.Sprintf(format, args...)})
}

func (r *Report) has(name string) bool {
	return slices.ContainsFunc(r.Checks, func(c Check) bool { return c.Name == name })
}

func (r *Report) warn(name string, passed bool, format string, args ...any) {
	r.Checks = append(r.Checks, Check{Name: name, Passed: passed, Warning: !passed, Detail: fmt.Sprintf(format, args...)})
}

// Image verifies ref on the engine c. An error means verification could not
// be carried out (no such image, the engine refused); failed checks are in
// the report.
func Image(ctx context.Context, c *client.Client, ref string, opts Options) (*Report, error) {
	img, err := engine.InspectImage(ctx, c, ref)
	if cerrdefs.IsNotFound(err) {
		return nil, fmt.Errorf("no image %s on the engine: build it first (or pull it), or check the name", ref)
	}
	if err != nil {
		return nil, fmt.Errorf("image %s: %v", ref, err)
	}
	r := &Report{Image: ref, ID: img.ID, Size: img.Size}
	cfg := img.Config
	facts := engine.FactsOf(cfg)
	if opts.HealthPath == "" {
		opts.HealthPath = facts.HealthPath
	}
	if cfg != nil {
		r.User = cfg.User
		for p := range cfg.ExposedPorts {
			r.Exposed = append(r.Exposed, p)
		}
	}
	sort.Strings(r.Exposed)

	r.add("non-root-user", !isRoot(r.User), "USER %q", orRoot(r.User))
	hasHealth := facts.Healthcheck != nil
	if hasHealth {
		r.add("healthcheck", true, "%s", strings.Join(facts.Healthcheck.Test, " "))
	} else {
		r.add("healthcheck", false, "the image has no HEALTHCHECK")
	}
	if opts.MaxSize > 0 {
		r.add("size", r.Size <= opts.MaxSize, "%s (limit %s)", human(r.Size), human(opts.MaxSize))
	}
	open, done, err := saveImage(ctx, c, ref)
	if err != nil {
		return nil, err
	}
	defer done()
	if err := inspectContents(ref, open, r); err != nil {
		return nil, err
	}
	var labels map[string]string
	if cfg != nil {
		labels = cfg.Labels
	}
	if err := inspectSecrets(ctx, ref, open, labels, opts, r); err != nil {
		return nil, err
	}
	if err := inspectMounts(ctx, c, ref, opts, r); err != nil {
		return nil, err
	}
	port := opts.Port
	if port == 0 {
		port = facts.Port
	}
	if port == 0 {
		r.add("port", false, "the image EXPOSEs no TCP port and --port was not given")
		return r, nil
	}
	var probe *container.HealthConfig
	if hasHealth {
		// The image's own check, probed every second rather than at its
		// interval, so that verify reports startup time, not the interval.
		probe = engine.FastProbe(*facts.Healthcheck, time.Second)
	}
	return r, run(ctx, c, ref, port, probe, opts, r)
}

// run starts the image hardened, as production should, and checks it
// becomes healthy, serves, is not root and stops in time.
func run(ctx context.Context, c *client.Client, ref string, port int, probe *container.HealthConfig, opts Options, r *Report) error {
	hasHealth := probe != nil
	cport, err := network.ParsePort(fmt.Sprintf("%d/tcp", port))
	if err != nil {
		return err
	}
	id, err := createRun(ctx, c, ref, cport, probe, opts)
	if err != nil {
		return err
	}
	defer func() {
		// Cleanup must happen even when ctx was cancelled (Ctrl-C).
		_, _ = c.ContainerRemove(context.WithoutCancel(ctx), id, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
	}()
	image := opts.DiagnoseImage
	if image == "" {
		image = DefaultDiagnoseImage
	}
	why := func(f Failure, engineErr string) {
		r.Diagnosis = diagnose(ctx, c, id, &Diagnosis{Failure: f, Port: port, PortFlag: opts.Port != 0, HealthPath: opts.HealthPath, EngineError: engineErr, beside: opts.Network != ""}, image)
	}
	start := time.Now()
	if _, err := c.ContainerStart(ctx, id, client.ContainerStartOptions{}); err != nil {
		r.add("starts", false, "%v", err)
		why(NotStarted, err.Error())
		return nil
	}

	state, err := engine.WaitReady(ctx, c, id, hasHealth, opts.Timeout)
	if err != nil {
		return err
	}
	switch {
	case !state.Running:
		r.add("starts", false, "exited with code %d after %v%s", state.ExitCode, time.Since(start).Round(time.Millisecond), oom(state))
		why(Exited, "")
		return nil
	case hasHealth && state.Health != nil && state.Health.Status != container.Healthy:
		r.add("healthy", false, "%s after %v%s", state.Health.Status, time.Since(start).Round(time.Millisecond), engine.LastProbe(state.Health))
		why(Unhealthy, "")
		return nil
	}
	r.StartupMS = time.Since(start).Milliseconds()
	if hasHealth {
		r.add("healthy", true, "healthy after %v", time.Since(start).Round(time.Millisecond))
	} else {
		r.add("starts", true, "running after %v (no HEALTHCHECK to wait for)", time.Since(start).Round(time.Millisecond))
	}
	wait := time.Duration(0)
	if !hasHealth {
		// Running is all the engine says of an image without a
		// HEALTHCHECK: the app may still be starting (a Python server a
		// second after its container, on a busy host); its route is
		// asked again until it answers or the run's time is up.
		wait = max(opts.Timeout-time.Since(start), 0)
	}
	if err := checkServing(ctx, c, id, cport, port, wait, opts, r, why); err != nil {
		return err
	}
	if r.Passed() {
		if running, err := checkConnections(ctx, c, id, start, opts, r, why); err != nil || !running {
			return err
		}
	}
	return checkStop(ctx, c, id, opts, r)
}

// createRun creates the container verify runs: hardened as production
// should be (read-only root, no capabilities, no new privileges), its port
// published on 127.0.0.1 only.
func createRun(ctx context.Context, c *client.Client, ref string, cport network.Port, probe *container.HealthConfig, opts Options) (string, error) {
	host := hardenedHost(opts)
	host.PortBindings = network.PortMap{cport: {{HostIP: netip.MustParseAddr("127.0.0.1")}}}
	created, err := c.ContainerCreate(ctx, client.ContainerCreateOptions{
		Config:     &container.Config{Image: ref, ExposedPorts: network.PortSet{cport: {}}, Healthcheck: probe, Env: opts.Env, Cmd: opts.Cmd, Labels: engine.RunLabels(nil)},
		HostConfig: host,
	})
	if err != nil {
		return "", fmt.Errorf("creating a container from %s: %v", ref, err)
	}
	return created.ID, nil
}

// hardenedHost is how verify runs the image, the app and its release
// steps alike: read-only root with a tmpfs /tmp (unless opts.Writable), no
// capabilities, no new privileges, opts' mounts and network.
func hardenedHost(opts Options) *container.HostConfig {
	host := &container.HostConfig{
		ReadonlyRootfs: !opts.Writable,
		CapDrop:        []string{"ALL"},
		SecurityOpt:    []string{"no-new-privileges"},
		Mounts:         opts.Mounts,
	}
	if !opts.Writable {
		host.Tmpfs = map[string]string{"/tmp": "rw,noexec,nosuid,size=64m"}
	}
	if opts.Network != "" {
		host.NetworkMode = container.NetworkMode(opts.Network)
	}
	return host
}

// checkServing checks the running container: its health route answers
// 2xx on the published port, the memory it uses once ready, and that no
// process of it runs as root.
func checkServing(ctx context.Context, c *client.Client, id string, cport network.Port, port int, wait time.Duration, opts Options, r *Report, why func(Failure, string)) error {
	ins, err := c.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		return err
	}
	if b := ins.Container.NetworkSettings.Ports[cport]; len(b) > 0 {
		url := fmt.Sprintf("http://127.0.0.1:%s%s", b[0].HostPort, opts.HealthPath)
		code, err := get(ctx, url)
		for until := time.Now().Add(wait); err != nil && ctx.Err() == nil && time.Now().Before(until); {
			// No answer yet (refused, reset: nothing listens): again.
			select {
			case <-ctx.Done():
			case <-time.After(250 * time.Millisecond):
			}
			code, err = get(ctx, url)
		}
		served := err == nil && code >= 200 && code < 300
		r.add("health-path", served, "GET %s on port %d: %s", opts.HealthPath, port, status(code, err))
		if !served {
			why(NotServing, "")
		}
		for _, page := range opts.Pages {
			if !served {
				break
			}
			if page == opts.HealthPath {
				continue
			}
			code, err := getPage(ctx, fmt.Sprintf("http://127.0.0.1:%s%s", b[0].HostPort, page))
			missing := err == nil && (code == http.StatusNotFound || code == http.StatusGone)
			switch {
			case pageServed(code, err):
				r.add("page", true, "GET %s on port %d: %s", page, port, status(code, err))
				r.Pages = append(r.Pages, page)
			case opts.PagesUnproven != "" && !missing:
				r.warn("page", false, "GET %s on port %d: %s, which proves nothing: %s", page, port, status(code, err), opts.PagesUnproven)
			default:
				r.add("page", false, "GET %s on port %d: %s", page, port, status(code, err))
				why(PageBroken, "")
				r.Diagnosis.Page, r.Diagnosis.PageAnswer = page, status(code, err)
				r.Diagnosis.conclude() // again, with the page it names
				served = false
			}
		}
	} else {
		r.add("health-path", false, "port %d was not published", port)
		why(NotServing, "")
	}
	if r.Passed() {
		logDatabaseCause(ctx, c, id, opts.Network != "", r)
	}
	if mem, ok := memoryInUse(ctx, c, id); ok {
		r.MemoryMB = float64(mem) / (1 << 20)
		r.add("memory", true, "%.1f MB in use once ready (page cache excluded)", r.MemoryMB)
	}
	if users, err := engine.ProcessUsers(ctx, c, id); err == nil {
		root := slices.Contains(users, "0") || slices.Contains(users, "root")
		r.add("process-uid", len(users) > 0 && !root, "processes run as uid %s", strings.Join(users, ", "))
	} else {
		r.add("process-uid", false, "cannot list the container's processes: %v", err)
	}
	return nil
}

// databaseKinds are the causes that say the app could not use its
// database, which a health route that reads no table does not show.
var databaseKinds = map[CauseKind]bool{DatabaseUnreachable: true, OldDatabaseDriver: true, MissingTable: true, SQLiteCannotOpen: true}

// logDatabaseCause warns (check "log") when the log of a serving app says
// it could not use its database: it turned healthy on a route that does
// not touch it (javieraviles/node-typescript-koa-rest's pg, refused with
// "The server does not support SSL connections", served / all the same).
// A warning, since an app may log a refused connection and retry; init
// --verify, whose database was up before the app started, counts it.
// beside says the run started the app's databases on its network.
func logDatabaseCause(ctx context.Context, c *client.Client, id string, beside bool, r *Report) {
	for _, cause := range FindCauses(containerLogs(ctx, c, id), "") {
		if !databaseKinds[cause.Kind] {
			continue
		}
		r.warn("log", false, "the log says %q: %s", cause.Line, adviceBeside(cause.Advice, beside))
		return
	}
}

// adviceBeside is a cause's advice for a run that started the app's
// databases on its network (beside): the advice for an image run alone,
// which looks for its database in the container itself, does not apply.
func adviceBeside(advice string, beside bool) string {
	if beside && (strings.HasPrefix(advice, "the app cannot reach its database") || strings.HasPrefix(advice, "the app looks for its database")) {
		return "the database was started beside the app, so the address the app connects to is not the one the run gave it: a host written in its code or configuration, or a variable it does not read"
	}
	return advice
}

// checkStop stops the container as docker stop does and checks it exits
// by itself, well, within opts.Grace of SIGTERM.
func checkStop(ctx context.Context, c *client.Client, id string, opts Options, r *Report) error {
	grace := int(opts.Grace.Seconds())
	stopStart := time.Now()
	// docker stop sends SIGTERM, waits grace seconds, then SIGKILL: the
	// extra seconds tell a late exit from a kill.
	kill := grace + 5
	if _, err := c.ContainerStop(ctx, id, client.ContainerStopOptions{Timeout: &kill}); err != nil {
		return fmt.Errorf("stopping the container: %v", err)
	}
	took := time.Since(stopStart)
	r.StopMS = took.Milliseconds()
	ins, err := c.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		return err
	}
	code := ins.Container.State.ExitCode
	switch {
	case code == 137 || took > opts.Grace:
		r.add("graceful-stop", false, "did not exit within %v of SIGTERM (exit %d after %v): the app ignores SIGTERM or is not PID 1 (shell-form CMD)", opts.Grace, code, took.Round(time.Millisecond))
	case code != 0 && code != 143:
		r.add("graceful-stop", false, "exited with code %d on SIGTERM after %v: handle SIGTERM and exit 0 once requests drain", code, took.Round(time.Millisecond))
	default:
		r.add("graceful-stop", true, "exited %d after SIGTERM in %v", code, took.Round(time.Millisecond))
	}
	return nil
}

// memoryInUse reads one stats sample: usage minus page cache, as
// `docker stats` shows it.
func memoryInUse(ctx context.Context, c *client.Client, id string) (uint64, bool) {
	res, err := c.ContainerStats(ctx, id, client.ContainerStatsOptions{Stream: false})
	if err != nil {
		return 0, false
	}
	defer res.Body.Close()
	var st container.StatsResponse
	if err := json.NewDecoder(res.Body).Decode(&st); err != nil || st.MemoryStats.Usage == 0 {
		return 0, false
	}
	used := st.MemoryStats.Usage
	for _, k := range []string{"inactive_file", "total_inactive_file", "cache"} {
		if v, ok := st.MemoryStats.Stats[k]; ok && v < used {
			return used - v, true
		}
	}
	return used, true
}

func get(ctx context.Context, url string) (int, error) {
	return request(ctx, url, "")
}

// getPage GETs url as a browser does (a Mozilla User-Agent, Accept:
// text/html): apps answer a browser with their page where a command-line
// client gets plain text (echoip's / for curl and Go) or JSON. A redirect
// is not followed: it is the page's answer (to a login, to https://, to
// the site's public name), and verify requests nothing outside the
// container.
func getPage(ctx context.Context, url string) (int, error) {
	return request(ctx, url, "text/html,application/xhtml+xml,*/*;q=0.8")
}

// browserAgent is the User-Agent of getPage: what routers match a browser
// by (podinfo's "^Mozilla"), naming verify.
const browserAgent = "Mozilla/5.0 (X11; Linux x86_64) shipshape-verify"

// pageServed says whether a page's answer shows it is there: anything but
// no answer, 404 (410) or a server error. A login wall (401, 403) or a
// redirect to one is a page that is there.
func pageServed(code int, err error) bool {
	return err == nil && code != http.StatusNotFound && code != http.StatusGone && code < 500
}

func request(ctx context.Context, url, accept string) (int, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
		req.Header.Set("User-Agent", browserAgent)
	}
	hc := &http.Client{Transport: hostnet.Transport(ctx)}
	if accept != "" {
		hc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

func status(code int, err error) string {
	if err != nil {
		var ue interface{ Timeout() bool }
		if errors.As(err, &ue) && ue.Timeout() {
			return "timed out"
		}
		return err.Error()
	}
	return fmt.Sprintf("%d %s", code, http.StatusText(code))
}

func isRoot(user string) bool {
	name, _, _ := strings.Cut(user, ":")
	return name == "" || name == "root" || name == "0"
}

func orRoot(user string) string {
	if user == "" {
		return "(unset: root)"
	}
	return user
}

func oom(st *container.State) string {
	if st.OOMKilled {
		return " (killed: out of memory)"
	}
	return ""
}

func human(n int64) string {
	const mb = 1 << 20
	return fmt.Sprintf("%.1f MB", float64(n)/mb)
}
