package cli

import (
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/engine"
	"github.com/shipshape/shipshape/internal/verify"
)

type verifyCommand struct {
	cmd     *cobra.Command
	opts    verify.Options
	maxSize float64
	format  string
	envFile string
	volumes []string
	host    hostFlags
}

func newVerifyCommand() *verifyCommand {
	c := &verifyCommand{}
	c.cmd = &cobra.Command{
		Use:   "verify IMAGE",
		Short: "Prove an image: non-root, HEALTHCHECK, size, layers, no secrets, and a real hardened run that turns healthy, serves and stops cleanly",
		Long: `verify reads the image's configuration (user, HEALTHCHECK, ports, size) and
its layers (the largest, bytes hidden by later layers, setuid files, shells
and package managers left in: warnings, not failures). It fails on secrets
any layer ships, even one a later layer deletes: private keys, cloud and
API tokens, .env files, .git directories, npm, PyPI, pip and Docker
credentials, each named with its layer and the instruction that added it,
never printed (--allow-secret, or the image's dev.shipshape.allow-secret
label, allows paths). Then it runs the image the way production should:
read-only root file system with a tmpfs /tmp, all capabilities dropped, no
new privileges, its port published on 127.0.0.1 only. It waits for the
HEALTHCHECK to pass, GETs the health path, checks no process runs as uid 0,
sends SIGTERM and expects a clean exit within the grace period. The
container is removed afterwards. With --volume (a host directory or a
named volume, as docker run -v takes it), verify first reads who owns each
writable mount as the container will see it, and fails when the image's
user cannot write there, naming the chown that fixes it on Docker and on
Podman.

When the run fails (the container does not start, exits, stays unhealthy or
does not serve its health path), verify says why, from evidence: the TCP
ports its processes really listen on (/proc/net/tcp in its network
namespace), what the common health routes answer on each of them, its exit
code, OOM kill and last log lines, and the causes it recognises in them (a
missing module, file or environment variable, an unreachable database, a
port in use); with the flags that fix it when the evidence names one. The
ports and routes are read by a short-lived sidecar in the container's
network namespace (--diagnose-image, which needs bash), or from the host's
/proc when the engine runs here.

Exit status: 0 every check passed, 1 a check failed, 2 verification could not
run (no engine, no such image, bad flags). The engine is the one DOCKER_HOST
names, or the default Docker socket; Podman works through its Docker API
(podman system service; DOCKER_HOST=unix:///run/podman/podman.sock).`,
		Example: `  shipshape verify ghcr.io/acme/api:3f2c1e9
  shipshape verify --health-path /health --port 8000 --max-size 150 blog:latest
  shipshape verify --env-file .env.example api:dev
  shipshape verify --volume ./data:/data blog:latest
  shipshape verify --allow-secret '/app/testdata/*' api:dev
  shipshape verify --format json api:dev | jq '.checks[] | select(.passed | not)'`,
		Args: argsBetween(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error { return c.run(cmd, args[0]) },
	}
	f := c.cmd.Flags()
	f.StringVar(&c.opts.HealthPath, "health-path", "", "HTTP path that must answer 2xx once the container is healthy (default: the image's dev.shipshape.health-path label, else the URL its HEALTHCHECK requests, else /healthz)")
	f.StringArrayVar(&c.opts.Pages, "page", nil, "a path the app serves as a page besides the health path, e.g. /; requested as a browser would once healthy, it must answer, not 404, 410 or 5xx (repeatable; init --verify passes the page it detects)")
	f.IntVar(&c.opts.Port, "port", 0, "container port to request it on (default: the lowest EXPOSEd TCP port)")
	f.StringArrayVarP(&c.opts.Env, "env", "e", nil, "KEY=VALUE in the container's environment (repeatable)")
	f.StringVar(&c.envFile, "env-file", "", "read the container's environment from this file (KEY=VALUE lines, as .env)")
	f.DurationVar(&c.opts.Timeout, "timeout", 60*time.Second, "how long the container may take to turn healthy")
	f.DurationVar(&c.opts.Grace, "grace", 10*time.Second, "how long the app may take to exit after SIGTERM")
	f.Float64Var(&c.maxSize, "max-size", 0, "fail when the image is larger than this many MB (0: no limit)")
	f.BoolVar(&c.opts.Writable, "writable", false, "run with a writable root file system instead of read-only + tmpfs /tmp")
	f.StringArrayVar(&c.volumes, "volume", nil, "SOURCE:TARGET[:ro] to mount, as docker run -v: a host directory (a path) or a named volume; verify first checks the container's user can write it (repeatable)")
	f.StringArrayVar(&c.opts.AllowSecrets, "allow-secret", nil, "path glob in the image (path.Match; a directory allows all below it) whose secrets do not fail verify, e.g. /app/testdata/* (repeatable)")
	f.StringVar(&c.opts.DiagnoseImage, "diagnose-image", verify.DefaultDiagnoseImage, "image with bash that, when the run fails, reads the container's listening ports and probes its routes from inside its network")
	f.StringVar(&c.format, "format", "text", "output format: text or json")
	c.host.register(c.cmd)
	return c
}

// Validate checks the flags before anything connects.
func (c *verifyCommand) Validate() error {
	if err := validateTextOrJSON(c.format); err != nil {
		return err
	}
	if c.opts.Timeout <= 0 || c.opts.Grace <= 0 || c.maxSize < 0 || c.opts.Port < 0 || c.opts.Port > 65535 {
		return usageErrorf("--timeout and --grace must be positive, --max-size not negative, --port 1-65535")
	}
	for _, g := range c.opts.AllowSecrets {
		if err := verify.ValidateAllowSecret(g); err != nil {
			return usageErrorf("--allow-secret %v", err)
		}
	}
	for _, p := range c.opts.Pages {
		if _, err := url.ParseRequestURI(p); err != nil || !strings.HasPrefix(p, "/") || strings.ContainsFunc(p, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			return usageErrorf("--page %q: give a path that starts with / and holds no spaces or control characters, as /about", p)
		}
	}
	for _, e := range c.opts.Env {
		if k, _, ok := strings.Cut(e, "="); !ok || k == "" {
			return usageErrorf("--env %q: use KEY=VALUE", e)
		}
	}
	c.opts.Mounts = nil
	for _, v := range c.volumes {
		m, err := verify.ParseVolume(v, ".")
		if err != nil {
			return usageErrorf("--volume %v", err)
		}
		c.opts.Mounts = append(c.opts.Mounts, m)
	}
	return nil
}

func (c *verifyCommand) run(cmd *cobra.Command, ref string) error {
	if err := c.Validate(); err != nil {
		return err
	}
	c.opts.MaxSize = int64(c.maxSize * (1 << 20))
	if c.envFile != "" {
		env, err := readEnvFile(c.envFile)
		if err != nil {
			return usageErrorf("%v", err)
		}
		c.opts.Env = append(env, c.opts.Env...)
	}
	ctx := cmd.Context()
	eng, err := engine.Connect(ctx)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	defer eng.Close()
	removeOrphans(ctx, cmd.ErrOrStderr(), eng)
	rep, err := verify.Image(ctx, eng, ref, c.opts)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	out := cmd.OutOrStdout()
	if c.format == "json" {
		if err := writeJSON(out, rep); err != nil {
			return err
		}
	} else {
		printReport(out, ref, rep)
	}
	if !rep.Passed() {
		return &exitError{code: exitFindings}
	}
	return nil
}

// printReport writes a verify report as text: the image, each check, and
// the diagnosis of a failed run.
func printReport(out io.Writer, ref string, rep *verify.Report) {
	fmt.Fprintf(out, "%s  %s, %.1f MB, user %q, ports %v\n", ref, shortDigest(rep.ID), float64(rep.Size)/(1<<20), rep.User, rep.Exposed)
	for _, ch := range rep.Checks {
		mark := "ok  "
		switch {
		case ch.Warning:
			mark = "warn"
		case !ch.Passed:
			mark = "FAIL"
		}
		fmt.Fprintf(out, "  %s %-15s %s\n", mark, ch.Name, ch.Detail)
	}
	if len(rep.Secrets) > 0 {
		fmt.Fprintln(out, "\nSecrets in the layers (what matched, never the value):")
		for _, s := range rep.Secrets {
			fmt.Fprintf(out, "  %s\n", s)
		}
	}
	if d := rep.Diagnosis; d != nil {
		fmt.Fprintln(out, "\nDiagnosis:")
		for _, line := range strings.Split(d.String(), "\n") {
			fmt.Fprintf(out, "  %s\n", line)
		}
	}
}

// shortDigest is an image ID as people read it: the algorithm and the
// first 12 hex digits (sha256:3f2c1e9a0b1d).
func shortDigest(id string) string {
	if len(id) > 19 {
		return id[:19]
	}
	return id
}
