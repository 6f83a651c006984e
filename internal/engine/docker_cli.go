package engine

import "os"

// DockerCLI is the docker command shipshape runs for what the engine's
// API does not do (docker build with BuildKit, docker compose): the one
// SHIPSHAPE_DOCKER names (podman, a path; chosen is true), else docker.
func DockerCLI() (cli string, chosen bool) {
	if d := os.Getenv("SHIPSHAPE_DOCKER"); d != "" {
		return d, true
	}
	return "docker", false
}
