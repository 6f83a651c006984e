package build

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/shipshape/shipshape/internal/engine"
)

// buildKitDocker finds a docker CLI that builds with BuildKit: the one
// SHIPSHAPE_DOCKER names, else podman when the engine is Podman here,
// else the first docker on the PATH with the buildx plugin, or a client
// older than 23 (DOCKER_BUILDKIT=1).
func buildKitDocker(ctx context.Context) (string, error) {
	if d, chosen := engine.DockerCLI(); chosen {
		return d, nil
	}
	if p, ok := podmanCLI(ctx); ok {
		return p, nil
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
		return "", &kindError{ErrNoBuilder, "no docker CLI on the PATH: install Docker (with the buildx plugin) or set SHIPSHAPE_DOCKER"}
	}
	return "", &kindError{ErrNoBuilder, fmt.Sprintf("no docker CLI on the PATH builds with BuildKit (%s: no buildx plugin): install buildx, or set SHIPSHAPE_DOCKER to a client that can", strings.Join(candidates, ", "))}
}

// podmanCLI is the podman CLI when DOCKER_HOST names a Podman API socket
// on this machine: docker's BuildKit cannot build through Podman's API
// ("unable to upgrade to h2c"), and the podman CLI builds into the store
// that API serves.
func podmanCLI(ctx context.Context) (string, bool) {
	if !strings.HasPrefix(os.Getenv("DOCKER_HOST"), "unix://") {
		return "", false
	}
	p, err := exec.LookPath("podman")
	if err != nil {
		return "", false
	}
	c, err := engine.Connect(ctx)
	if err != nil {
		return "", false
	}
	defer c.Close()
	return p, engine.IsPodman(ctx, c)
}
