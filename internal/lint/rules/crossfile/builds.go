package crossfile

import (
	"path/filepath"
	"regexp"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/source/compose"
	"github.com/shipshape/shipshape/internal/source/dockerbuild"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
	"github.com/shipshape/shipshape/internal/source/workflow"
)

// dockerfileOf parses the Dockerfile a service's image is built from: the
// one its build section names, else the one CI builds its image from, else
// the repository's own when the image is named after the project or the
// Dockerfile's directory. A service that runs a CI-built
// `image: ghcr.io/acme/ledger:${TAG}` has no build section, but its image
// is still the repository's.
func dockerfileOf(m *project.Model, p *compose.Project, s types.ServiceConfig) (*dockerfile.File, bool) {
	if s.Build != nil {
		return buildDockerfile(m, p, s)
	}
	return imageDockerfile(m, p, s)
}

// buildDockerfile parses the Dockerfile a service's build section names,
// or false when it has none or the file cannot be read.
func buildDockerfile(m *project.Model, p *compose.Project, s types.ServiceConfig) (*dockerfile.File, bool) {
	build, ok := p.BuildFile(s)
	if !ok {
		return nil, false
	}
	return m.Dockerfile(build)
}

// imageDockerfile is dockerfileOf for a service without a build section.
func imageDockerfile(m *project.Model, p *compose.Project, s types.ServiceConfig) (*dockerfile.File, bool) {
	img, ok := serviceImage(p, s)
	if !ok {
		return nil, false
	}
	for _, b := range ciBuilds(m, p.WorkingDir) {
		if repoKey(b.image) == repoKey(img) {
			return m.Dockerfile(dockerfile.Options{Path: b.file, ContextDir: b.context})
		}
	}
	if !strings.Contains(img.Repository, "/") && img.Registry == "" {
		return nil, false // an official image (redis, postgres) named like its service
	}
	f, ok := m.NearestDockerfile(p.WorkingDir)
	if !ok {
		return nil, false
	}
	// The repository's Dockerfile, beside the compose file or at most two
	// directories up (deploy/compose/), builds an image named after the
	// repository; a service's name says nothing (mailpit runs
	// axllent/mailpit).
	dir := filepath.Dir(f.Path)
	if rel, err := filepath.Rel(dir, p.WorkingDir); err != nil || strings.Count(rel, string(filepath.Separator)) > 1 {
		return nil, false
	}
	names := map[string]bool{p.Name: true, filepath.Base(dir): true, filepath.Base(p.WorkingDir): true}
	if !names[img.Short()] {
		return nil, false
	}
	return f, true
}

// serviceImage is the repository a service's image names, its tag left out:
// the tag is often a variable CI sets (`:${TAG}`).
func serviceImage(p *compose.Project, s types.ServiceConfig) (dockerfile.Image, bool) {
	raw, ok := p.Raw("services", s.Name, "image")
	if !ok {
		raw = s.Image
	}
	if raw == "" {
		return dockerfile.Image{}, false
	}
	if i := strings.Index(raw, "@"); i >= 0 {
		raw = raw[:i]
	}
	slash := strings.LastIndex(raw, "/")
	if i := strings.Index(raw[slash+1:], ":"); i >= 0 {
		raw = raw[:slash+1+i] // the tag, ${TAG:?...} included
	}
	if strings.Contains(raw, "$") {
		return dockerfile.Image{}, false
	}
	return dockerfile.ParseImage(raw + ":x"), true
}

// imageBuild is an image a workflow or Makefile builds, and from what.
type imageBuild struct {
	image         dockerfile.Image
	file, context string
}

var (
	// ghaExpr is a GitHub expression, read as the name GHA: builtTag then
	// sees ${{ env.REGISTRY }}/app as a registry and a repository.
	ghaExpr = regexp.MustCompile(`\$\{\{[^}]*\}\}`)
	// builtTag is an image reference as tagged, variables allowed:
	// ${REGISTRY}/guestbook:${VERSION}, $(REGISTRY)/catalog:$(VERSION).
	builtTag = regexp.MustCompile(`[\w.${}():/-]*[\w})]/[\w.${}()/-]+(?::[\w.${}()-]+)?`)
)

// ciBuilds reads the workflows at or above dir and returns the images they
// build and from which Dockerfile and context: docker/build-push-action's
// tags, file and context, or a `docker build -t ... -f ... <context>` in a
// run step.
func ciBuilds(m *project.Model, dir string) []imageBuild {
	var out []imageBuild
	for _, f := range m.WorkflowsAbove(dir) {
		w := m.Workflow(f)
		if w == nil {
			continue
		}
		root := filepath.Dir(filepath.Dir(filepath.Dir(f))) // .github/workflows/x.yml
		for _, job := range w.Jobs() {
			for _, step := range job.Steps {
				if strings.Contains(workflow.Uses(step), "build-push-action") {
					ctx := workflow.Input(step, "context")
					if ctx == "" || strings.Contains(ctx, "{{") {
						ctx = "."
					}
					file := workflow.Input(step, "file")
					if file == "" {
						file = filepath.Join(ctx, "Dockerfile")
					}
					out = append(out, built(workflow.Input(step, "tags"), filepath.Join(root, file), filepath.Join(root, ctx))...)
				}
				out = append(out, scriptBuilds(workflow.Run(step), root)...)
			}
		}
	}
	return out
}

// scriptBuilds are the docker build commands of a shell script (a run
// step, a Makefile recipe), paths taken from dir.
func scriptBuilds(script, dir string) []imageBuild {
	var out []imageBuild
	for _, line := range dockerbuild.Lines(ghaExpr.ReplaceAllString(script, "GHA")) {
		for _, c := range dockerbuild.Parse(line) {
			if c.Context == "" || strings.Contains(c.Context, "://") {
				continue
			}
			file := c.File
			if file == "" {
				file = filepath.Join(c.Context, "Dockerfile")
			}
			out = append(out, built(strings.Join(c.Tags, "\n"), filepath.Join(dir, file), filepath.Join(dir, c.Context))...)
		}
	}
	return out
}

func built(tags, file, ctx string) []imageBuild {
	var out []imageBuild
	for _, ref := range builtTag.FindAllString(tags, -1) {
		if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
			ref = ref[:i]
		}
		out = append(out, imageBuild{image: dockerfile.ParseImage(ref + ":x"), file: filepath.Clean(file), context: filepath.Clean(ctx)})
	}
	return out
}

// builtNames are the short names (guestbook for ${REGISTRY}/guestbook) of
// the images that CI or a Makefile beside the Dockerfile build from it.
// Empty when nothing says: the image could then be any of the manifests'.
func builtNames(m *project.Model, f *dockerfile.File) map[string]bool {
	names := map[string]bool{}
	dir := filepath.Dir(f.Path)
	builds := ciBuilds(m, dir)
	if data, err := m.File(filepath.Join(dir, "Makefile")); err == nil {
		// Its variables expanded: stakater/Reloader tags
		// ${DOCKER_IMAGE}:v${VERSION}-${ARCH}, DOCKER_IMAGE ?=
		// ghcr.io/stakater/reloader.
		lines := strings.Split(string(data), "\n")
		values := project.MakeValues(lines)
		for i, l := range lines {
			lines[i] = project.MakeExpand(values, l)
		}
		builds = append(builds, scriptBuilds(strings.Join(lines, "\n"), dir)...)
	}
	for _, b := range builds {
		if b.file == filepath.Clean(f.Path) {
			names[b.image.Short()] = true
		}
	}
	return names
}

// command returns what the service runs: its compose entrypoint and
// command, else the final stage's ENTRYPOINT and CMD, as one string. f may
// be nil.
func command(s types.ServiceConfig, f *dockerfile.File) string {
	entrypoint, cmd := strings.Join(s.Entrypoint, " "), strings.Join(s.Command, " ")
	if f != nil {
		if final := f.FinalStage(); final != nil {
			if in := final.Last("ENTRYPOINT"); in != nil && len(s.Entrypoint) == 0 {
				entrypoint = strings.Join(in.Args, " ")
			}
			// compose's entrypoint drops the image's CMD, as docker does.
			if in := final.Last("CMD"); in != nil && len(s.Command) == 0 && len(s.Entrypoint) == 0 {
				cmd = strings.Join(in.Args, " ")
			}
		}
	}
	return strings.TrimSpace(entrypoint + " " + cmd)
}

// imageCommand is the ENTRYPOINT and CMD of a stage, as one string.
func imageCommand(final *dockerfile.Stage) string {
	var parts []string
	for _, kw := range []string{"ENTRYPOINT", "CMD"} {
		if in := final.Last(kw); in != nil {
			parts = append(parts, strings.Join(in.Args, " "))
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

// contextDir returns the build context of a service on disk, or "": its
// build section's, else that of the Dockerfile its image is built from.
func contextDir(m *project.Model, p *compose.Project, s types.ServiceConfig) string {
	if s.Build != nil {
		return p.BuildContext(s)
	}
	if f, ok := imageDockerfile(m, p, s); ok {
		return f.ContextDir
	}
	return ""
}
