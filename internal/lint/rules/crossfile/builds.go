package crossfile

import (
	"path/filepath"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/source/compose"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
)

// dockerfileOf parses the Dockerfile a service is built from.
func dockerfileOf(p *compose.Project, s types.ServiceConfig) (*dockerfile.File, bool) {
	return p.BuildDockerfile(s)
}

// command returns what the service runs: its compose command, else the
// final stage's ENTRYPOINT and CMD, as one string.
func command(s types.ServiceConfig, f *dockerfile.File) string {
	parts := []string{strings.Join(s.Entrypoint, " "), strings.Join(s.Command, " ")}
	if final := f.FinalStage(); final != nil && len(s.Command) == 0 {
		for _, kw := range []string{"ENTRYPOINT", "CMD"} {
			if in := final.Last(kw); in != nil {
				parts = append(parts, strings.Join(in.Args, " "))
			}
		}
	}
	return strings.Join(parts, " ")
}

// workdir returns the final stage's working directory, "/" when unset.
func workdir(f *dockerfile.File) string {
	final := f.FinalStage()
	if final == nil {
		return "/"
	}
	dir := "/"
	for i := len(final.Chain()) - 1; i >= 0; i-- {
		for _, in := range final.Chain()[i].All("WORKDIR") {
			if len(in.Args) > 0 {
				v, _ := in.Expand(in.Args[0])
				if filepath.IsAbs(v) {
					dir = v
				} else {
					dir = filepath.Join(dir, v)
				}
			}
		}
	}
	return filepath.ToSlash(dir)
}

// contextDir returns the build context of a service on disk, or "".
func contextDir(p *compose.Project, s types.ServiceConfig) string {
	return p.BuildContext(s)
}
