package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/build"
)

type buildCommand struct {
	cmd       *cobra.Command
	dir       string // as given
	abs       string
	name      string
	file      string
	target    string
	tags      []string
	buildArgs []string
	network   string
	host      hostFlags
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
			c.dir = "."
			if len(args) == 1 {
				c.dir = args[0]
			}
			if err := c.Validate(); err != nil {
				return err
			}
			return c.run(cmd)
		},
	}
	f := c.cmd.Flags()
	f.StringVar(&c.name, "name", "", "image name (default: the directory's name)")
	f.StringVarP(&c.file, "file", "f", "", "Dockerfile (default: DIR/Dockerfile)")
	f.StringVar(&c.target, "target", "", "stage to build")
	f.StringArrayVarP(&c.tags, "tag", "t", nil, "also tag NAME:TAG (repeatable), e.g. latest")
	f.StringArrayVar(&c.buildArgs, "build-arg", nil, "KEY=VALUE passed to the build (repeatable)")
	f.StringVar(&c.network, "network", "", "the network RUN steps use: host reaches a package index on 127.0.0.1 (e.g. PIP_INDEX_URL)")
	c.host.register(c.cmd)
	return c
}

// Validate checks the flags and the directory before anything runs.
func (c *buildCommand) Validate() error {
	abs, err := filepath.Abs(c.dir)
	if err != nil {
		return usageErrorf("%s: %v", c.dir, err)
	}
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		return usageErrorf("%s is not a directory", c.dir)
	}
	if c.file == "" {
		c.file = filepath.Join(abs, "Dockerfile")
	}
	if _, err := os.Stat(c.file); err != nil {
		return usageErrorf("%s: no Dockerfile (run shipshape init, or pass --file)", c.file)
	}
	if c.name, err = build.ImageName(c.name, abs); err != nil {
		return usageErrorf("%v", err)
	}
	for _, t := range c.tags {
		if !build.ValidTag(t) {
			return usageErrorf("--tag %q is not a valid tag (letters, digits, _ . -; at most 128)", t)
		}
	}
	for _, a := range c.buildArgs {
		if k, _, ok := strings.Cut(a, "="); !ok || k == "" {
			return usageErrorf("--build-arg %q: use KEY=VALUE", a)
		}
	}
	c.abs = abs
	return nil
}

func (c *buildCommand) run(cmd *cobra.Command) error {
	ctx := cmd.Context()
	rev, err := build.GitRevision(ctx, c.abs)
	if err != nil {
		return usageErrorf("%v", err)
	}
	if rev.Dirty {
		fmt.Fprintf(cmd.ErrOrStderr(), "shipshape: %s has uncommitted changes; tagging %s:%s\n", c.dir, c.name, rev.Tag)
	}
	img, err := buildImage(ctx, cmd.ErrOrStderr(), build.Options{
		Dir: c.abs, File: c.file, Name: c.name, Revision: rev, Target: c.target, Tags: c.tags, BuildArgs: c.buildArgs, Network: c.network,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(cmd.OutOrStdout(), "%s\t%s\t%.1f MB\n", img.Ref, img.ID, float64(img.Size)/(1<<20))
	for _, t := range c.tags {
		fmt.Fprintf(cmd.OutOrStdout(), "%s:%s\t%s\n", c.name, t, img.ID)
	}
	return nil
}

// buildImage is build.Build with its errors as exit codes: a failed build
// is 1, no builder or engine 2.
func buildImage(ctx context.Context, progress io.Writer, o build.Options) (build.Image, error) {
	img, err := build.Build(ctx, progress, o)
	switch {
	case errors.Is(err, build.ErrFailed):
		return img, &exitError{code: exitFindings, err: err}
	case err != nil:
		return img, &exitError{code: exitUsage, err: err}
	}
	return img, nil
}
