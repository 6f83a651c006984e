package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/engine"
)

type buildCommand struct {
	cmd       *cobra.Command
	name      string
	file      string
	target    string
	tags      []string
	buildArgs []string
	network   string
}

func newBuildCommand() *buildCommand {
	c := &buildCommand{}
	c.cmd = &cobra.Command{
		Use:   "build [DIR]",
		Short: "Build the image with BuildKit, tagged with the git commit and labelled with OCI metadata",
		Long: `build runs a BuildKit build of DIR (default: the current directory) on the
engine. The image is tagged NAME:<commit> (the first 12 hex digits of HEAD,
with -dirty when the work tree has uncommitted changes) and, with --tag,
moving tags such as latest. It carries the OCI labels
org.opencontainers.image.{revision,source,created,version,title}.
Progress goes to stderr; stdout gets the image reference, ID and size.

The docker CLI runs the build: SHIPSHAPE_DOCKER names it, otherwise the
first docker on the PATH that can build with BuildKit (one with the buildx
plugin, or a client older than 23 with DOCKER_BUILDKIT=1) is used.

Podman: SHIPSHAPE_DOCKER=podman builds with podman build (in Docker image
format, so that HEALTHCHECK is kept), and DOCKER_HOST pointing at Podman's
Docker-compatible socket (podman system service) lets build and verify
inspect and run the result.`,
		Example: `  shipshape build                       # ./ → myservice:3f2c1e9a0b1d
  shipshape build --name ghcr.io/acme/api --tag latest services/api
  shipshape build --target runtime --build-arg PYTHON_IMAGE=python:3.12.7-slim-bookworm`,
		Args: argsBetween(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return c.run(cmd, dir)
		},
	}
	f := c.cmd.Flags()
	f.StringVar(&c.name, "name", "", "image name (default: the directory's name)")
	f.StringVarP(&c.file, "file", "f", "", "Dockerfile (default: DIR/Dockerfile)")
	f.StringVar(&c.target, "target", "", "stage to build")
	f.StringArrayVarP(&c.tags, "tag", "t", nil, "also tag NAME:TAG (repeatable), e.g. latest")
	f.StringArrayVar(&c.buildArgs, "build-arg", nil, "KEY=VALUE passed to the build (repeatable)")
	f.StringVar(&c.network, "network", "", "the network RUN steps use: host reaches a package index on 127.0.0.1 (e.g. PIP_INDEX_URL)")
	return c
}

var (
	nameRe = regexp.MustCompile(`^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$`)
	tagRe  = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	// nameJunk is what a directory name may hold that an image name may not.
	nameJunk = regexp.MustCompile(`[^a-z0-9._-]+`)
)

func (c *buildCommand) run(cmd *cobra.Command, dir string) error {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return usageErrorf("%s: %v", dir, err)
	}
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		return usageErrorf("%s is not a directory", dir)
	}
	file := c.file
	if file == "" {
		file = filepath.Join(abs, "Dockerfile")
	}
	if _, err := os.Stat(file); err != nil {
		return usageErrorf("%s: no Dockerfile (run shipshape init, or pass --file)", file)
	}
	name, err := imageName(c.name, abs)
	if err != nil {
		return err
	}
	for _, t := range c.tags {
		if !tagRe.MatchString(t) {
			return usageErrorf("--tag %q is not a valid tag (letters, digits, _ . -; at most 128)", t)
		}
	}
	for _, a := range c.buildArgs {
		if k, _, ok := strings.Cut(a, "="); !ok || k == "" {
			return usageErrorf("--build-arg %q: use KEY=VALUE", a)
		}
	}
	ctx := cmd.Context()
	rev, err := gitRevision(ctx, abs)
	if err != nil {
		return err
	}
	if rev.dirty {
		fmt.Fprintf(cmd.ErrOrStderr(), "shipshape: %s has uncommitted changes; tagging %s:%s\n", dir, name, rev.tag)
	}

	img, err := buildImage(ctx, cmd.ErrOrStderr(), imageBuild{
		dir: abs, file: file, name: name, rev: rev, target: c.target, tags: c.tags, buildArgs: c.buildArgs, network: c.network,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s\t%.1f MB\n", img.ref, img.id, float64(img.size)/(1<<20))
	for _, t := range c.tags {
		fmt.Fprintf(cmd.OutOrStdout(), "%s:%s\t%s\n", name, t, img.id)
	}
	return nil
}

// imageBuild is one BuildKit build of a directory, as build and
// init --verify run it.
type imageBuild struct {
	dir, file, name, target string
	network                 string // the build's network: "" (the default), host, none
	rev                     revision
	tags, buildArgs         []string
}

// builtImage is a build's result on the engine.
type builtImage struct {
	ref, id string
	size    int64
}

// buildImage builds b with the docker CLI (its progress to progress),
// tagged NAME:<rev.tag> and labelled with OCI metadata, and finds the
// result on the engine.
func buildImage(ctx context.Context, progress io.Writer, b imageBuild) (builtImage, error) {
	ref := b.name + ":" + b.rev.tag
	docker, err := buildkitDocker(ctx)
	if err != nil {
		return builtImage{}, &exitError{code: exitUsage, err: err}
	}
	args := []string{"build", "--progress=plain", "-f", b.file, "-t", ref}
	if filepath.Base(docker) == "podman" {
		// Podman writes OCI images by default, which have no HEALTHCHECK.
		args = append(args, "--format", "docker")
	}
	for _, t := range b.tags {
		args = append(args, "-t", b.name+":"+t)
	}
	if b.target != "" {
		args = append(args, "--target", b.target)
	}
	for _, a := range b.buildArgs {
		args = append(args, "--build-arg", a)
	}
	if b.network != "" {
		args = append(args, "--network", b.network)
	}
	labels := [][2]string{
		{"org.opencontainers.image.revision", b.rev.full},
		{"org.opencontainers.image.created", time.Now().UTC().Format(time.RFC3339)},
		{"org.opencontainers.image.version", b.rev.version},
		{"org.opencontainers.image.title", filepath.Base(b.name)},
		{"org.opencontainers.image.source", b.rev.source},
	}
	for _, l := range labels {
		if l[1] != "" {
			args = append(args, "--label", l[0]+"="+l[1])
		}
	}
	args = append(args, b.dir)
	build := exec.CommandContext(ctx, docker, args...)
	build.Env = append(os.Environ(), "DOCKER_BUILDKIT=1")
	build.Stdout, build.Stderr = progress, progress
	if err := build.Run(); err != nil {
		return builtImage{}, &exitError{code: exitFindings, err: fmt.Errorf("the build of %s failed (%v); its output is above", ref, err)}
	}

	eng, err := engine.Connect(ctx)
	if err != nil {
		return builtImage{}, &exitError{code: exitUsage, err: err}
	}
	defer eng.Close()
	img, err := eng.ImageInspect(ctx, ref)
	if err != nil {
		return builtImage{}, fmt.Errorf("the build finished but %s is not on the engine: %v", ref, err)
	}
	return builtImage{ref: ref, id: img.ID, size: img.Size}, nil
}

// imageName is --name, or the directory's name made into a valid one.
func imageName(flag, dir string) (string, error) {
	if flag != "" {
		if !nameRe.MatchString(strings.TrimPrefix(flag, registryPrefix(flag))) {
			return "", usageErrorf("--name %q is not a valid image name (lower case letters, digits, . _ - and / between parts)", flag)
		}
		return flag, nil
	}
	n := strings.ToLower(filepath.Base(dir))
	n = nameJunk.ReplaceAllString(n, "-")
	n = strings.Trim(n, "._-")
	if n == "" || !nameRe.MatchString(n) {
		return "", usageErrorf("cannot make an image name from %q: pass --name", filepath.Base(dir))
	}
	return n, nil
}

// registryPrefix is the "host[:port]/" in front of a name, if any.
func registryPrefix(name string) string {
	host, _, ok := strings.Cut(name, "/")
	if ok && (strings.ContainsAny(host, ".:") || host == "localhost") {
		return host + "/"
	}
	return ""
}

type revision struct {
	full, tag, version, source string
	dirty                      bool
}

// gitRevision reads HEAD, the work tree state, a describable version and
// the origin remote (credentials stripped) of the repository holding dir.
func gitRevision(ctx context.Context, dir string) (revision, error) {
	gitOut := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
		var out, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &stderr
		err := cmd.Run()
		return strings.TrimSpace(out.String()), err
	}
	full, err := gitOut("rev-parse", "HEAD")
	if err != nil || len(full) < 12 {
		return revision{}, usageErrorf("%s is not in a git repository with a commit: build tags images with the commit they come from; run git init and commit first", dir)
	}
	r := revision{full: full, tag: full[:12]}
	if status, err := gitOut("status", "--porcelain", "--untracked-files=no"); err == nil && status != "" {
		r.dirty = true
		r.tag += "-dirty"
	}
	r.version, _ = gitOut("describe", "--tags", "--always", "--dirty")
	if remote, err := gitOut("config", "--get", "remote.origin.url"); err == nil {
		r.source = sourceURL(remote)
	}
	return r, nil
}

// sourceURL turns a git remote into a browsable https URL without
// credentials: git@github.com:acme/api.git → https://github.com/acme/api.
func sourceURL(remote string) string {
	if strings.HasPrefix(remote, "git@") {
		if host, path, ok := strings.Cut(strings.TrimPrefix(remote, "git@"), ":"); ok {
			remote = "https://" + host + "/" + path
		}
	}
	u, err := url.Parse(remote)
	if err != nil || u.Host == "" {
		return ""
	}
	u.User = nil
	if u.Scheme == "ssh" || u.Scheme == "git" {
		u.Scheme = "https"
	}
	u.Path = strings.TrimSuffix(u.Path, ".git")
	return u.String()
}

// buildkitDocker finds a docker CLI that builds with BuildKit.
func buildkitDocker(ctx context.Context) (string, error) {
	if d := os.Getenv("SHIPSHAPE_DOCKER"); d != "" {
		return d, nil
	}
	var candidates []string
	for _, dir := range filepath.SplitList(os.Getenv("PATH")) {
		p := filepath.Join(dir, "docker")
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			candidates = append(candidates, p)
		}
	}
	for _, d := range candidates {
		if exec.CommandContext(ctx, d, "buildx", "version").Run() == nil {
			return d, nil
		}
		out, err := exec.CommandContext(ctx, d, "version", "--format", "{{.Client.Version}}").Output()
		var major int
		if err == nil && len(out) > 0 {
			if _, err := fmt.Sscanf(string(out), "%d.", &major); err == nil && major > 0 && major < 23 {
				return d, nil
			}
		}
	}
	if len(candidates) == 0 {
		return "", fmt.Errorf("no docker CLI on the PATH: install Docker (with the buildx plugin) or set SHIPSHAPE_DOCKER")
	}
	return "", fmt.Errorf("no docker CLI on the PATH builds with BuildKit (%s: no buildx plugin): install buildx, or set SHIPSHAPE_DOCKER to a client that can", strings.Join(candidates, ", "))
}
