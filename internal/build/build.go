package build

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/shipshape/shipshape/internal/engine"
)

var (
	// ErrNoBuilder is no docker CLI that builds with BuildKit: the
	// machine, not the Dockerfile, needs fixing.
	ErrNoBuilder = errors.New("no docker CLI builds with BuildKit")
	// ErrNoEngine is no container engine answering after the build.
	ErrNoEngine = errors.New("no container engine answers")
	// ErrFailed is the build itself failing; its output says why.
	ErrFailed = errors.New("the build failed")
)

// Options is one build of a directory.
type Options struct {
	Dir, File, Name, Target string
	Network                 string // the build's network: "" (the default), host, none
	Revision                Revision
	Tags, BuildArgs         []string
}

// Image is a build's result on the engine.
type Image struct {
	Ref, ID string
	Size    int64
}

// Build builds o with the docker CLI (its output to progress), tagged
// NAME:<revision tag> and labelled with OCI metadata, and finds the result
// on the engine.
func Build(ctx context.Context, progress io.Writer, o Options) (Image, error) {
	ref := o.Name + ":" + o.Revision.Tag
	docker, err := buildKitDocker(ctx)
	if err != nil {
		return Image{}, err
	}
	args := []string{"build", "--progress=plain", "-f", o.File, "-t", ref}
	if filepath.Base(docker) == "podman" {
		// Podman writes OCI images by default, which have no HEALTHCHECK.
		args = append(args, "--format", "docker")
	}
	for _, t := range o.Tags {
		args = append(args, "-t", o.Name+":"+t)
	}
	if o.Target != "" {
		args = append(args, "--target", o.Target)
	}
	for _, a := range o.BuildArgs {
		args = append(args, "--build-arg", a)
	}
	if o.Network != "" {
		args = append(args, "--network", o.Network)
	}
	labels := [][2]string{
		{"org.opencontainers.image.revision", o.Revision.Full},
		{"org.opencontainers.image.created", time.Now().UTC().Format(time.RFC3339)},
		{"org.opencontainers.image.version", o.Revision.Version},
		{"org.opencontainers.image.title", filepath.Base(o.Name)},
		{"org.opencontainers.image.source", o.Revision.Source},
	}
	for _, l := range labels {
		if l[1] != "" {
			args = append(args, "--label", l[0]+"="+l[1])
		}
	}
	args = append(args, o.Dir)
	cmd := exec.CommandContext(ctx, docker, args...)
	cmd.Env = append(os.Environ(), "DOCKER_BUILDKIT=1")
	cmd.Stdout, cmd.Stderr = progress, progress
	if err := cmd.Run(); err != nil {
		return Image{}, &kindError{ErrFailed, fmt.Sprintf("the build of %s failed (%v); its output is above", ref, err)}
	}

	eng, err := engine.Connect(ctx)
	if err != nil {
		return Image{}, &kindError{ErrNoEngine, err.Error()}
	}
	defer eng.Close()
	img, err := eng.ImageInspect(ctx, ref)
	if err != nil {
		return Image{}, fmt.Errorf("the build finished but %s is not on the engine: %v", ref, err)
	}
	return Image{Ref: ref, ID: img.ID, Size: img.Size}, nil
}

// kindError is an error with its own sentence that errors.Is finds as one
// of the package's Err values.
type kindError struct {
	kind error
	msg  string
}

func (e *kindError) Error() string { return e.msg }
func (e *kindError) Unwrap() error { return e.kind }
