package cli

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/atomicfile"
	"github.com/shipshape/shipshape/internal/engine"
	"github.com/shipshape/shipshape/internal/proxy"
)

// The installed proxy's container carries its configuration, so that a
// second install can tell "nothing to do" from "something else asked".
const (
	labelProxyService = "dev.shipshape.proxy.service"
	labelProxyConfig  = "dev.shipshape.proxy.config"
	// proxyImageRepo is what make proxy-image tags (shipshape:<commit>).
	proxyImageRepo = "shipshape"
	// upgradeTimeout bounds a hand-over and the old proxy's drain.
	upgradeTimeout = 2 * time.Minute
)

// proxyService is how the proxy runs as a service: the arguments of
// `shipshape proxy` and the host paths they name, which the container
// mounts at the same place (so the admin socket is where deploy looks).
type proxyService struct {
	name       string // container (or systemd unit) name
	image      string
	user       string
	listen     string
	admin      string
	state      string
	tokenFile  string
	tlsCert    string
	tlsKey     string
	httpListen string
	httpsPort  int
	acme       bool
	acmeDir    string
	acmeEmail  string
	acmeCACert string
	acmeURL    string
	extra      []string // more `shipshape proxy` flags, after --
}

func (s *proxyService) register(f interface {
	StringVar(*string, string, string, string)
	IntVar(*int, string, int, string)
	BoolVar(*bool, string, bool, string)
}) {
	f.StringVar(&s.name, "name", "shipshape-proxy", "the proxy's container (or systemd unit) name")
	f.StringVar(&s.listen, "listen", "127.0.0.1:8080", "address for traffic, as shipshape proxy --listen (on the host's network)")
	f.StringVar(&s.admin, "admin", "unix:///run/shipshape/proxy.sock", "admin API, as shipshape proxy --admin (a unix socket on the host)")
	f.StringVar(&s.state, "state", "/var/lib/shipshape/proxy.json", "where routes and active targets are saved, on the host")
	f.StringVar(&s.tokenFile, "token-file", "", "file holding the admin API's bearer token (an admin API on TCP)")
	f.StringVar(&s.tlsCert, "tls-cert", "", "serve TLS with this certificate (PEM), as shipshape proxy --tls-cert")
	f.StringVar(&s.tlsKey, "tls-key", "", "and this key (PEM)")
	f.BoolVar(&s.acme, "acme", false, "serve TLS with certificates obtained by ACME, as shipshape proxy --acme")
	f.StringVar(&s.acmeURL, "acme-directory", "", "the ACME CA's directory URL (default: shipshape proxy's)")
	f.StringVar(&s.acmeEmail, "acme-email", "", "contact address of the ACME account")
	f.StringVar(&s.acmeDir, "acme-dir", "", "where ACME keys and certificates are kept (default: acme/ beside --state)")
	f.StringVar(&s.acmeCACert, "acme-ca-cert", "", "PEM roots for a private ACME CA's HTTPS")
	f.StringVar(&s.httpListen, "http-listen", "", "plain HTTP address for ACME challenges and redirects, as shipshape proxy --http-listen")
	f.IntVar(&s.httpsPort, "https-port", 0, "the HTTPS port --http-listen redirects to")
}

// Validate checks what the service would run: absolute host paths (they
// are mounted), and the flags as shipshape proxy itself parses them.
func (s *proxyService) Validate() error {
	if s.name == "" || strings.ContainsAny(s.name, "/ \t\n") {
		return usageErrorf("--name %q: want a container name such as shipshape-proxy", s.name)
	}
	sock, unix := strings.CutPrefix(s.admin, "unix://")
	if unix && !filepath.IsAbs(sock) {
		return usageErrorf("--admin %q: the socket's path on the host must be absolute", s.admin)
	}
	if !unix && s.tokenFile == "" {
		return usageErrorf("--admin %q on TCP needs --token-file; or use unix:///path.sock", s.admin)
	}
	for flag, path := range map[string]string{"state": s.state, "token-file": s.tokenFile, "tls-cert": s.tlsCert,
		"tls-key": s.tlsKey, "acme-dir": s.acmeDir, "acme-ca-cert": s.acmeCACert} {
		if path != "" && !filepath.IsAbs(path) {
			return usageErrorf("--%s %q: the path on the host must be absolute (it is mounted into the proxy's container)", flag, path)
		}
		if strings.ContainsAny(path, ":,") {
			return usageErrorf("--%s %q: a path mounted into a container cannot hold ':' or ','", flag, path)
		}
	}
	check := newProxyCommand()
	check.cmd.Flags().SetOutput(io.Discard)
	if err := check.cmd.Flags().Parse(s.args()[1:]); err != nil {
		return usageErrorf("shipshape proxy %s: %v", strings.Join(s.args()[1:], " "), err)
	}
	if err := check.validateACME(); err != nil {
		return err
	}
	if (s.tlsCert == "") != (s.tlsKey == "") {
		return usageErrorf("--tls-cert and --tls-key go together")
	}
	return nil
}

// args is the command line the service runs, from "proxy" on.
func (s *proxyService) args() []string {
	a := []string{"proxy", "--listen", s.listen, "--admin", s.admin, "--state", s.state}
	add := func(flag, v string) {
		if v != "" {
			a = append(a, "--"+flag, v)
		}
	}
	add("token-file", s.tokenFile)
	add("tls-cert", s.tlsCert)
	add("tls-key", s.tlsKey)
	if s.acme {
		a = append(a, "--acme")
	}
	add("acme-directory", s.acmeURL)
	add("acme-email", s.acmeEmail)
	add("acme-dir", s.acmeDir)
	add("acme-ca-cert", s.acmeCACert)
	add("http-listen", s.httpListen)
	if s.httpsPort != 0 {
		add("https-port", strconv.Itoa(s.httpsPort))
	}
	return append(a, s.extra...)
}

// binds are the host directories and files the proxy uses, at the same
// paths: the socket's and the state's directories read-write (the engine
// creates them when missing, as on a new host), the rest read-only.
func (s *proxyService) binds() []string {
	rw := map[string]bool{filepath.Dir(s.state): true}
	if sock, ok := strings.CutPrefix(s.admin, "unix://"); ok {
		rw[filepath.Dir(sock)] = true
	}
	if s.acmeDir != "" {
		rw[s.acmeDir] = true
	}
	var binds []string
	for _, dir := range sortedKeys(rw) {
		binds = append(binds, dir+":"+dir)
	}
	for _, file := range []string{s.tokenFile, s.tlsCert, s.tlsKey, s.acmeCACert} {
		if file != "" && !rw[filepath.Dir(file)] {
			binds = append(binds, file+":"+file+":ro")
		}
	}
	return binds
}

// installedConfig is the label a second install and upgrade read: the
// proxy's command line (Extra its last words), its user and its image as
// asked for.
type installedConfig struct {
	Args  []string `json:"args"`
	Extra []string `json:"extra,omitempty"`
	User  string   `json:"user"`
	Image string   `json:"image"`
}

func (s *proxyService) config() string {
	data, _ := json.Marshal(installedConfig{Args: s.args(), Extra: s.extra, User: s.user, Image: s.image})
	return string(data)
}

// container is the container create request: the host's network (so a
// successor can take the listening sockets over on the same addresses), a
// restart policy, a read-only root, every capability dropped but binding
// ports below 1024.
func (s *proxyService) container(imageID string, hasHealth bool) client.ContainerCreateOptions {
	cfg := &container.Config{Image: imageID, Cmd: s.args(), User: s.user,
		Labels: map[string]string{labelProxyService: s.name, labelProxyConfig: s.config()}}
	if hasHealth && !s.imageProbeFits() {
		// The image's probe asks http://127.0.0.1:8080: elsewhere it
		// would fail, or ask whatever else listens there.
		cfg.Healthcheck = &container.HealthConfig{Test: []string{"NONE"}}
	}
	return client.ContainerCreateOptions{
		Name:   s.name,
		Config: cfg,
		HostConfig: &container.HostConfig{
			NetworkMode:    "host",
			RestartPolicy:  container.RestartPolicy{Name: container.RestartPolicyUnlessStopped},
			ReadonlyRootfs: true,
			CapDrop:        []string{"ALL"},
			CapAdd:         []string{"NET_BIND_SERVICE"},
			SecurityOpt:    []string{"no-new-privileges"},
			Binds:          s.binds(),
		},
	}
}

// imageProbeFits says whether the image's HEALTHCHECK, plain HTTP to
// 127.0.0.1:8080, reaches this proxy.
func (s *proxyService) imageProbeFits() bool {
	_, port, err := netSplit(s.listen)
	return err == nil && port == "8080" && s.tlsCert == "" && !s.acme
}

type proxyInstallCommand struct {
	cmd     *cobra.Command
	svc     proxyService
	host    hostFlags
	force   bool
	systemd bool
	unitDir string
	binary  string
}

func newProxyInstallCommand() *proxyInstallCommand {
	c := &proxyInstallCommand{}
	c.cmd = &cobra.Command{
		Use:   "install [flags] [-- more shipshape proxy flags]",
		Short: "Run the proxy as a service that survives a crash and a reboot",
		Long: `install runs shipshape proxy as a long-lived service on the Docker host
(this one, or DOCKER_HOST / --host-ssh): a container named --name from the
proxy's own image (make proxy-image builds shipshape:<commit>; --image picks
another), on the host's network, restarted by the engine unless stopped
(a crash; a reboot, when the engine starts at boot), with a read-only root,
every capability dropped but binding ports below 1024. The admin socket's
directory and the state's are mounted at the same paths, so deploy finds
the proxy where it looks, and a restarted proxy serves its saved routes at
once. A proxy that exits at start fails the install with its log, and its
container is removed.

On a host over SSH, the paths are that host's: install asks the proxy
through the SSH connection and reads --token-file in the proxy's container.

Without the image on a local engine (or with --systemd, on this machine
only), install writes a systemd unit that runs this binary (Restart=always)
instead, checks it with systemd-analyze verify where that is installed, and
enables it where systemd runs; where it does not, it says so.

Installing again with the same configuration does nothing and says so; a
different configuration is refused unless --force (which replaces the proxy:
requests fail while it restarts). A new image with the same configuration:
shipshape proxy upgrade, which drops no request.

Flags after -- go to shipshape proxy as they are (e.g. -- --gzip --trust 10.0.0.0/8).`,
		Example: `  shipshape proxy install --listen :443 --http-listen :80 --acme --acme-email ops@example.com
  shipshape proxy install --image shipshape:3f2c1e9a0b1d --listen 127.0.0.1:8080 -- --gzip
  DOCKER_HOST=ssh://deploy@web1 shipshape proxy install --listen :80
  shipshape proxy install --systemd --unit-dir /etc/systemd/system`,
		RunE: func(cmd *cobra.Command, args []string) error {
			c.svc.extra = args
			return c.run(cmd)
		},
	}
	f := c.cmd.Flags()
	c.svc.register(f)
	f.StringVar(&c.svc.image, "image", "", "the proxy's image (default: the newest shipshape:* on the engine)")
	f.StringVar(&c.svc.user, "user", "0:0", "user the container runs as (root with every capability dropped but NET_BIND_SERVICE, so it can write the host directories docker creates and bind :80/:443)")
	f.BoolVar(&c.force, "force", false, "replace an installed proxy whose configuration differs (requests fail while it restarts)")
	f.BoolVar(&c.systemd, "systemd", false, "write a systemd unit for this binary instead of running a container")
	f.StringVar(&c.unitDir, "unit-dir", "/etc/systemd/system", "where --systemd writes its unit")
	f.StringVar(&c.binary, "binary", "", "the shipshape binary the systemd unit runs (default: this one)")
	c.host.register(c.cmd)
	return c
}

func (c *proxyInstallCommand) run(cmd *cobra.Command) error {
	if err := c.svc.Validate(); err != nil {
		return err
	}
	out := cmd.OutOrStdout()
	if c.systemd {
		if remoteEngine() {
			// The unit would be written and enabled here, not on the host
			// the other verbs work on.
			host, _ := engine.Host()
			return usageErrorf("--systemd writes the unit on this machine, but the Docker host is %s: run shipshape proxy install --systemd on that host, or leave --systemd out to run the proxy there as a container", host)
		}
		return c.installUnit(cmd, "")
	}
	eng, err := engine.Connect(cmd.Context())
	if err != nil {
		if remoteEngine() {
			return &exitError{code: exitUsage, err: sshFirst(err)}
		}
		return c.installUnit(cmd, fmt.Sprintf("no container engine answers (%v)", err))
	}
	defer eng.Close()
	imageID, hasHealth, err := c.resolveImage(cmd.Context(), eng)
	if errors.Is(err, errNoProxyImage) {
		if remoteEngine() {
			return usageErrorf("the engine has no %s:* image: build it there (make proxy-image), or load it (docker save %s:TAG | ssh HOST docker load), or pass --image", proxyImageRepo, proxyImageRepo)
		}
		return c.installUnit(cmd, fmt.Sprintf("the engine has no %s:* image (make proxy-image builds it)", proxyImageRepo))
	}
	if err != nil {
		return err
	}
	done, err := c.installed(cmd.Context(), eng, imageID)
	if done || err != nil {
		return err
	}
	create := c.svc.container(imageID, hasHealth)
	created, err := eng.ContainerCreate(cmd.Context(), create)
	if err != nil {
		return fmt.Errorf("creating the proxy's container %s: %w", c.svc.name, err)
	}
	if _, err := eng.ContainerStart(cmd.Context(), created.ID, client.ContainerStartOptions{}); err != nil {
		_, _ = eng.ContainerRemove(context.WithoutCancel(cmd.Context()), created.ID, client.ContainerRemoveOptions{Force: true})
		return fmt.Errorf("starting the proxy's container %s: %w", c.svc.name, err)
	}
	v, err := waitProxy(cmd.Context(), eng, created.ID, c.svc.admin, c.svc.tokenFile)
	if err != nil {
		// Left, it would restart forever, and the next install would find
		// it installed with this configuration: nothing to do.
		_, _ = eng.ContainerRemove(context.WithoutCancel(cmd.Context()), created.ID, client.ContainerRemoveOptions{Force: true})
		return fmt.Errorf("%w\nthe container %s is removed: fix what its log says, then install again", err, c.svc.name)
	}
	fmt.Fprintf(out, "installed %s: container %s from %s (version %s), restart policy unless-stopped, host network, listening on %s, admin %s, state %s\n",
		c.svc.name, shortID(created.ID), c.svc.image, v.Version, c.svc.listen, c.svc.admin, c.svc.state)
	return nil
}

var errNoProxyImage = errors.New("no proxy image")

// resolveImage is --image, or the newest shipshape:* image; its ID and
// whether it has a HEALTHCHECK.
func (c *proxyInstallCommand) resolveImage(ctx context.Context, eng *engine.Client) (string, bool, error) {
	if c.svc.image == "" {
		list, err := eng.ImageList(ctx, client.ImageListOptions{Filters: make(client.Filters).Add("reference", proxyImageRepo)})
		if err != nil {
			return "", false, fmt.Errorf("listing the engine's images: %w", err)
		}
		sort.Slice(list.Items, func(i, j int) bool { return list.Items[i].Created > list.Items[j].Created })
		for _, img := range list.Items {
			if len(img.RepoTags) > 0 {
				c.svc.image = img.RepoTags[0]
				break
			}
		}
		if c.svc.image == "" {
			return "", false, errNoProxyImage
		}
	}
	img, err := engine.InspectImage(ctx, eng, c.svc.image)
	if cerrdefs.IsNotFound(err) {
		return "", false, usageErrorf("--image %s: the engine has no such image: build it (make proxy-image) or pull it", c.svc.image)
	}
	if err != nil {
		return "", false, fmt.Errorf("inspecting %s: %w", c.svc.image, err)
	}
	return img.ID, img.Config != nil && img.Config.Healthcheck != nil, nil
}

// installed reports whether a proxy with the same configuration and image
// runs already (done); an installed one that differs is an error that
// says what to run, unless --force, which removes it.
func (c *proxyInstallCommand) installed(ctx context.Context, eng *engine.Client, imageID string) (done bool, err error) {
	ins, err := eng.ContainerInspect(ctx, c.svc.name, client.ContainerInspectOptions{})
	if cerrdefs.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("inspecting %s: %w", c.svc.name, err)
	}
	ct := ins.Container
	was := ct.Config.Labels[labelProxyConfig]
	running := ct.State != nil && ct.State.Running
	switch {
	case was == c.svc.config() && ct.Image == imageID && running:
		fmt.Fprintf(c.cmd.OutOrStdout(), "%s is installed already with this configuration and image (container %s, %s): nothing to do\n",
			c.svc.name, shortID(ct.ID), c.svc.image)
		return true, nil
	case c.force:
		if _, err := eng.ContainerRemove(ctx, ct.ID, client.ContainerRemoveOptions{Force: true}); err != nil {
			return false, fmt.Errorf("removing the installed %s: %w", c.svc.name, err)
		}
		fmt.Fprintf(c.cmd.ErrOrStderr(), "removed the installed %s (--force): requests fail until the new one listens\n", c.svc.name)
		return false, nil
	case was == "":
		return false, usageErrorf("a container named %s exists and is not a proxy shipshape installed: remove it, or pass --name", c.svc.name)
	case was == c.svc.config() && running:
		return false, usageErrorf("%s runs another image (%s) with this configuration: shipshape proxy upgrade --name %s --image %s replaces it without dropping a request",
			c.svc.name, shortID(ct.Image), c.svc.name, c.svc.image)
	case !running:
		return false, usageErrorf("%s is installed but stopped (%s): docker start %s, or install --force to replace it", c.svc.name, ct.State.Status, c.svc.name)
	default:
		return false, usageErrorf("%s is installed with another configuration (shipshape %s): install --force replaces it (requests fail while it restarts); shipshape proxy upgrade changes only the image, without dropping a request",
			c.svc.name, strings.Join(ct.Config.Cmd, " "))
	}
}

// waitProxy waits until the proxy in container id answers on its admin
// API, and returns its version; a container that stops is an error with
// its last log lines.
func waitProxy(ctx context.Context, eng *engine.Client, id, admin, tokenFile string) (proxy.VersionInfo, error) {
	pc, err := adminClient(ctx, eng, id, admin, tokenFile)
	if err != nil {
		return proxy.VersionInfo{}, err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		v, err := pc.Version(ctx)
		if err == nil {
			return v, nil
		}
		ins, ierr := eng.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
		// A proxy that exits (a bad token file, a port taken) is started
		// again by its restart policy, so it is seen running as often as
		// not: a restart is as telling as a stop.
		if ierr == nil && ins.Container.State != nil && (!ins.Container.State.Running || ins.Container.RestartCount > 0) {
			return proxy.VersionInfo{}, fmt.Errorf("the proxy's container %s exited (exit code %d, restarted %d times):\n%s",
				shortID(id), ins.Container.State.ExitCode, ins.Container.RestartCount, containerTail(ctx, eng, id))
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return proxy.VersionInfo{}, fmt.Errorf("the proxy in %s does not answer on %s after 30 s (%v):\n%s", shortID(id), admin, err, containerTail(ctx, eng, id))
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// adminClient is a client of the admin API of the proxy in container id.
// Its --token-file is read where the proxy reads it: on the Docker host,
// which is this machine, or another one whose file system only the
// engine reaches (the file is mounted into the proxy's container, so it
// is read from there, through the engine's connection).
func adminClient(ctx context.Context, eng *engine.Client, id, admin, tokenFile string) (*proxy.Client, error) {
	if tokenFile == "" {
		return proxy.NewClient(admin), nil
	}
	var token []byte
	var err error
	if remoteEngine() {
		token, err = containerFile(ctx, eng, id, tokenFile)
	} else {
		token, err = readBounded(tokenFile)
	}
	if err != nil {
		return nil, usageErrorf("--token-file %s: %v (install and upgrade read it to ask the proxy)", tokenFile, err)
	}
	return proxy.NewClient(admin, proxy.WithToken(strings.TrimSpace(string(token)))), nil
}

// maxTokenFile bounds what is read of a --token-file.
const maxTokenFile = 64 << 10

var errTokenFileSize = fmt.Errorf("not a regular file of at most %d bytes", maxTokenFile)

func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxTokenFile+1))
	if err == nil && len(data) > maxTokenFile {
		return nil, errTokenFileSize
	}
	return data, err
}

// containerFile reads the regular file path out of container id through
// the engine (its archive API), as docker cp does.
func containerFile(ctx context.Context, eng *engine.Client, id, path string) ([]byte, error) {
	res, err := eng.CopyFromContainer(ctx, id, client.CopyFromContainerOptions{SourcePath: path})
	if err != nil {
		return nil, fmt.Errorf("reading it in the proxy's container %s: %w", shortID(id), err)
	}
	defer res.Content.Close()
	archive := tar.NewReader(res.Content)
	h, err := archive.Next()
	if err != nil {
		return nil, fmt.Errorf("reading it in the proxy's container %s: %w", shortID(id), err)
	}
	if h.Typeflag != tar.TypeReg || h.Size > maxTokenFile {
		return nil, errTokenFileSize
	}
	return io.ReadAll(io.LimitReader(archive, maxTokenFile))
}

// containerTail is the container's last log lines, for an error.
func containerTail(ctx context.Context, eng *engine.Client, id string) string {
	rc, err := eng.ContainerLogs(context.WithoutCancel(ctx), id, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true, Tail: "15"})
	if err != nil {
		return "(no logs: " + err.Error() + ")"
	}
	defer rc.Close()
	// The stream is multiplexed (the container has no terminal): each
	// frame's header is not text. A frame cut by the limit ends it.
	var text bytes.Buffer
	_, _ = stdcopy.StdCopy(&text, &text, io.LimitReader(rc, 16<<10))
	var lines []string
	for _, line := range strings.Split(strings.TrimRight(text.String(), "\n"), "\n") {
		lines = append(lines, "  "+strings.TrimRight(line, "\r"))
	}
	return strings.Join(lines, "\n")
}

// remoteEngine says whether the engine is on another host (SSH or TCP):
// a systemd unit written here would not run there.
func remoteEngine() bool {
	h, _ := engine.Host()
	return h != "" && !strings.HasPrefix(h, "unix://")
}

func shortID(id string) string {
	id = strings.TrimPrefix(id, "sha256:")
	if len(id) > 12 {
		return id[:12]
	}
	return id
}

func sortedKeys(m map[string]bool) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// netSplit is net.SplitHostPort for a --listen address such as :443.
func netSplit(addr string) (string, string, error) {
	i := strings.LastIndexByte(addr, ':')
	if i < 0 {
		return "", "", fmt.Errorf("%q has no port", addr)
	}
	return addr[:i], addr[i+1:], nil
}

// installUnit writes the systemd unit that runs this binary as the proxy;
// why says why it is not a container (empty: --systemd).
func (c *proxyInstallCommand) installUnit(cmd *cobra.Command, why string) error {
	out := cmd.OutOrStdout()
	binary := c.binary
	if binary == "" {
		exe, err := os.Executable()
		if err != nil {
			return fmt.Errorf("finding this binary for the unit's ExecStart: %w (pass --binary)", err)
		}
		binary = exe
	}
	if !filepath.IsAbs(binary) {
		return usageErrorf("--binary %q: systemd wants an absolute path", binary)
	}
	unit := systemdUnit(binary, c.svc.args())
	path := filepath.Join(c.unitDir, c.svc.name+".service")
	if why != "" {
		fmt.Fprintf(out, "%s: writing a systemd unit for %s instead of a container\n", why, binary)
	}
	old, err := os.ReadFile(path)
	switch {
	case err == nil && string(old) == unit:
		fmt.Fprintf(out, "%s is written already with this configuration: nothing to do\n", path)
		return c.startUnit(cmd, path, false)
	case err == nil && !c.force:
		return usageErrorf("%s exists with another configuration: install --systemd --force replaces it", path)
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("reading %s: %w", path, err)
	}
	if err := os.MkdirAll(c.unitDir, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", c.unitDir, err)
	}
	if err := atomicfile.Write(path, 0o644, func(w io.Writer) error { _, err := io.WriteString(w, unit); return err }); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	fmt.Fprintf(out, "wrote %s (Restart=always, runs %s %s)\n", path, binary, strings.Join(c.svc.args(), " "))
	return c.startUnit(cmd, path, true)
}

// startUnit checks the unit with systemd-analyze verify where it is
// installed, and enables and starts it where systemd runs.
func (c *proxyInstallCommand) startUnit(cmd *cobra.Command, path string, changed bool) error {
	out := cmd.OutOrStdout()
	if analyze, err := exec.LookPath("systemd-analyze"); err == nil {
		res, err := exec.CommandContext(cmd.Context(), analyze, "verify", path).CombinedOutput()
		if err != nil {
			return &exitError{code: exitFindings, err: fmt.Errorf("systemd-analyze verify %s: %v\n%s", path, err, bytesTrim(res))}
		}
		fmt.Fprintf(out, "systemd-analyze verify %s: no complaints\n", path)
	} else {
		fmt.Fprintln(out, "systemd-analyze is not installed: the unit is not verified")
	}
	if _, err := os.Stat("/run/systemd/system"); err != nil {
		fmt.Fprintf(out, "systemd is not running on this machine (no /run/systemd/system): the unit is written, not started; on a host that boots with systemd: systemctl daemon-reload && systemctl enable --now %s\n", c.svc.name)
		return nil
	}
	steps := [][]string{{"daemon-reload"}, {"enable", "--now", c.svc.name}}
	if changed {
		steps = append(steps, []string{"restart", c.svc.name})
	}
	for _, args := range steps {
		if res, err := exec.CommandContext(cmd.Context(), "systemctl", args...).CombinedOutput(); err != nil {
			return fmt.Errorf("systemctl %s: %v\n%s", strings.Join(args, " "), err, bytesTrim(res))
		}
	}
	fmt.Fprintf(out, "enabled and started %s.service\n", c.svc.name)
	return nil
}

func bytesTrim(b []byte) string { return strings.TrimSpace(string(b)) }

// systemdUnit is the unit that runs binary with args, restarted always.
func systemdUnit(binary string, args []string) string {
	quoted := make([]string, 0, len(args)+1)
	for _, a := range append([]string{binary}, args...) {
		quoted = append(quoted, systemdQuote(a))
	}
	return `# Written by shipshape proxy install.
[Unit]
Description=shipshape proxy
Documentation=https://github.com/shipshape/shipshape/blob/main/docs/proxy-service.md
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=` + strings.Join(quoted, " ") + `
Restart=always
RestartSec=1
KillSignal=SIGTERM
TimeoutStopSec=40
NoNewPrivileges=yes
AmbientCapabilities=CAP_NET_BIND_SERVICE

[Install]
WantedBy=multi-user.target
`
}

// systemdQuote quotes an ExecStart word that needs it.
func systemdQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\"'\\$%;") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, `$`, `$$`, `%`, `%%`)
	return `"` + r.Replace(s) + `"`
}

type proxyUpgradeCommand struct {
	cmd     *cobra.Command
	name    string
	image   string
	timeout time.Duration
	host    hostFlags
}

func newProxyUpgradeCommand() *proxyUpgradeCommand {
	c := &proxyUpgradeCommand{}
	c.cmd = &cobra.Command{
		Use:   "upgrade",
		Short: "Replace the installed proxy with a new image without dropping a request",
		Long: `upgrade starts the new image beside the installed proxy, with the same
configuration. The new proxy connects to the old one's hand-over socket
(beside the state file), receives its listening sockets and the state it
last saved, serves on them, and takes the admin socket over; the old one
stops accepting, finishes the requests in flight, closes its idle
keep-alive connections and exits. No connection is refused meanwhile: the
listening socket is never closed, so connections waiting to be accepted are
accepted by the new proxy. Then upgrade removes the old container and gives
the new one its name.

If the new proxy fails before it serves, the old one takes its admin socket
back and serves on; upgrade removes the new container and prints its logs.`,
		Example: `  shipshape proxy upgrade --image shipshape:3f2c1e9a0b1d
  DOCKER_HOST=ssh://deploy@web1 shipshape proxy upgrade`,
		Args: argsBetween(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error { return c.run(cmd) },
	}
	f := c.cmd.Flags()
	f.StringVar(&c.name, "name", "shipshape-proxy", "the installed proxy's container")
	f.StringVar(&c.image, "image", "", "the new image (default: the installed one's reference, as it resolves now)")
	f.DurationVar(&c.timeout, "timeout", upgradeTimeout, "how long the hand-over and the old proxy's drain may take")
	c.host.register(c.cmd)
	return c
}

func (c *proxyUpgradeCommand) run(cmd *cobra.Command) error {
	ctx, out := cmd.Context(), cmd.OutOrStdout()
	eng, err := connectEngine(cmd)
	if err != nil {
		return err
	}
	defer eng.Close()
	ins, err := eng.ContainerInspect(ctx, c.name, client.ContainerInspectOptions{})
	if cerrdefs.IsNotFound(err) {
		return usageErrorf("no proxy named %s is installed here: shipshape proxy install", c.name)
	}
	if err != nil {
		return fmt.Errorf("inspecting %s: %w", c.name, err)
	}
	old := ins.Container
	var cfg installedConfig
	if err := json.Unmarshal([]byte(old.Config.Labels[labelProxyConfig]), &cfg); err != nil || len(cfg.Args) == 0 {
		return usageErrorf("%s is not a proxy shipshape proxy install started (no %s label): install it first", c.name, labelProxyConfig)
	}
	if old.State == nil || !old.State.Running {
		return usageErrorf("%s is not running: docker start %s, then upgrade (a stopped proxy has no listeners to hand over)", c.name, c.name)
	}
	svc, err := serviceOf(c.name, cfg)
	if err != nil {
		return err
	}
	if c.image != "" {
		svc.image = c.image
	}
	img, err := engine.InspectImage(ctx, eng, svc.image)
	if cerrdefs.IsNotFound(err) {
		return usageErrorf("--image %s: the engine has no such image: build it (make proxy-image) or pull it", svc.image)
	}
	if err != nil {
		return fmt.Errorf("inspecting %s: %w", svc.image, err)
	}
	if img.ID == old.Image {
		fmt.Fprintf(out, "%s runs %s (%s) already: nothing to upgrade\n", c.name, svc.image, shortID(img.ID))
		return nil
	}
	pc, err := adminClient(ctx, eng, old.ID, svc.admin, svc.tokenFile)
	if err != nil {
		return err
	}
	before, err := pc.Version(ctx)
	if err != nil {
		return fmt.Errorf("the installed proxy does not answer: %w", sshFirst(err))
	}
	return c.replace(ctx, eng, old, svc, img.ID, img.Config != nil && img.Config.Healthcheck != nil, before, out)
}

// replace is the upgrade itself: the old container is kept from
// restarting once it exits, the new one takes the sockets over, the old
// one drains and exits and is removed, and the new one takes its name.
func (c *proxyUpgradeCommand) replace(ctx context.Context, eng *engine.Client, old container.InspectResponse, svc proxyService,
	imageID string, hasHealth bool, before proxy.VersionInfo, out io.Writer) error {
	start := time.Now()
	keep := context.WithoutCancel(ctx) // undoing and cleaning up outlive an interrupt
	noRestart := container.RestartPolicy{Name: container.RestartPolicyDisabled}
	if _, err := eng.ContainerUpdate(ctx, old.ID, client.ContainerUpdateOptions{RestartPolicy: &noRestart}); err != nil {
		return fmt.Errorf("keeping %s from restarting once it hands over: %w", c.name, err)
	}
	restore := func() {
		_, _ = eng.ContainerUpdate(keep, old.ID, client.ContainerUpdateOptions{RestartPolicy: &old.HostConfig.RestartPolicy})
	}
	create := svc.container(imageID, hasHealth)
	create.Name = c.name + "-next"
	_, _ = eng.ContainerRemove(ctx, create.Name, client.ContainerRemoveOptions{Force: true}) // a failed upgrade's
	created, err := eng.ContainerCreate(ctx, create)
	if err != nil {
		restore()
		return fmt.Errorf("creating the new proxy's container: %w", err)
	}
	fail := func(err error) error {
		logs := containerTail(keep, eng, created.ID)
		_, _ = eng.ContainerRemove(keep, created.ID, client.ContainerRemoveOptions{Force: true})
		restore()
		return fmt.Errorf("%w; the installed proxy serves on. The new one's last lines:\n%s", err, logs)
	}
	if _, err := eng.ContainerStart(ctx, created.ID, client.ContainerStartOptions{}); err != nil {
		return fail(fmt.Errorf("starting the new proxy: %w", err))
	}
	deadline := time.Now().Add(c.timeout)
	for {
		o, err := eng.ContainerInspect(ctx, old.ID, client.ContainerInspectOptions{})
		if err != nil {
			return fail(fmt.Errorf("watching the old proxy: %w", err))
		}
		if !o.Container.State.Running {
			if code := o.Container.State.ExitCode; code != 0 {
				fmt.Fprintf(out, "the old proxy exited with code %d after handing over\n", code)
			}
			break
		}
		n, err := eng.ContainerInspect(ctx, created.ID, client.ContainerInspectOptions{})
		if err != nil || !n.Container.State.Running {
			return fail(errors.New("the new proxy stopped before it took over"))
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fail(fmt.Errorf("the old proxy still runs after %v (requests in flight, or no hand-over)", c.timeout))
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := eng.ContainerRemove(keep, old.ID, client.ContainerRemoveOptions{}); err != nil {
		return fmt.Errorf("removing the old proxy's container %s: %w (the new one serves, as %s)", shortID(old.ID), err, create.Name)
	}
	if _, err := eng.ContainerRename(keep, created.ID, client.ContainerRenameOptions{NewName: c.name}); err != nil {
		return fmt.Errorf("naming the new proxy %s: %w (it serves, as %s)", c.name, err, create.Name)
	}
	pc, err := adminClient(ctx, eng, created.ID, svc.admin, svc.tokenFile)
	if err != nil {
		return err
	}
	after, err := pc.Version(ctx)
	if err != nil {
		return fmt.Errorf("the new proxy does not answer on its admin API: %w", err)
	}
	fmt.Fprintf(out, "upgraded %s in %v: version %s (pid %d) → %s (pid %d), image %s (%s); the listening sockets were handed over, the old proxy drained and exited\n",
		c.name, time.Since(start).Round(time.Millisecond), before.Version, before.PID, after.Version, after.PID, svc.image, shortID(imageID))
	return nil
}

// serviceOf reads an installed proxy's configuration back from its
// command line.
func serviceOf(name string, cfg installedConfig) (proxyService, error) {
	args := cfg.Args
	if len(args) == 0 || args[0] != "proxy" || len(cfg.Extra) > len(args)-1 {
		return proxyService{}, usageErrorf("%s runs %q, not shipshape proxy", name, strings.Join(args, " "))
	}
	fs := newProxyInstallCommand()
	fs.cmd.Flags().SetOutput(io.Discard)
	if err := fs.cmd.Flags().Parse(args[1 : len(args)-len(cfg.Extra)]); err != nil {
		return proxyService{}, usageErrorf("%s's command line %q: %v", name, strings.Join(args, " "), err)
	}
	parsed := fs.svc
	parsed.name, parsed.user, parsed.extra, parsed.image = name, cfg.User, cfg.Extra, cfg.Image
	return parsed, nil
}

// proxyAnswers is deploy's first step on a Docker host: a proxy must
// answer on its admin socket. When none does, it says what to run and, on
// a terminal, offers to install one.
func proxyAnswers(cmd *cobra.Command, socket string) error {
	ctx, cancel := context.WithTimeout(cmd.Context(), 5*time.Second)
	defer cancel()
	_, err := proxy.NewClient(socket).State(ctx)
	var api *proxy.APIError
	if err == nil || errors.As(err, &api) || ctx.Err() != nil {
		return nil // it answers; a refusal is deploy's to report
	}
	admin := "unix://" + strings.TrimPrefix(socket, "unix://")
	install := "shipshape proxy install --admin " + admin
	if !interactive(cmd.InOrStdin()) {
		return usageErrorf("no shipshape proxy answers on %s on this host (%v): install one with %s (it keeps running across crashes and reboots), then deploy again",
			socket, sshFirst(err), install)
	}
	errOut := cmd.ErrOrStderr()
	fmt.Fprintf(errOut, "No shipshape proxy answers on %s on this host.\nInstall one now (%s)? [y/N] ", socket, install)
	line, _ := bufio.NewReader(cmd.InOrStdin()).ReadString('\n')
	if answer := strings.ToLower(strings.TrimSpace(line)); answer != "y" && answer != "yes" {
		return usageErrorf("no proxy, so no deploy: %s, then deploy again", install)
	}
	c := newProxyInstallCommand()
	c.cmd.SetContext(cmd.Context())
	c.cmd.SetOut(errOut)
	c.cmd.SetErr(errOut)
	if err := c.cmd.Flags().Parse([]string{"--admin", admin}); err != nil {
		return err
	}
	return c.run(c.cmd)
}
