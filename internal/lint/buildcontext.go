package lint

import (
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shipshape/shipshape/internal/source/bounds"
	"github.com/shipshape/shipshape/internal/source/dockerbuild"
)

// buildContexts returns the build context of each Dockerfile that the
// project's own build files build from a directory other than its own,
// keyed by the Dockerfile's cleaned path:
//
//   - compose: `build: {context: .., dockerfile: web/Dockerfile}`
//   - CI workflows: docker/build-push-action's `context` and `file`, and
//     `docker build -f web/Dockerfile .` in a run step
//   - Makefiles: `docker build -f web/Dockerfile .`
//
// A Dockerfile the files name with two different contexts keeps none: the
// rules then judge it against its own directory, as before.
func buildContexts(composeFiles, workflows, makefiles []string) map[string]string {
	seen := map[string]map[string]bool{}
	note := func(dockerfile, context string) {
		dockerfile, context = filepath.Clean(dockerfile), filepath.Clean(context)
		if filepath.Dir(dockerfile) == context {
			return // the default: nothing to tell
		}
		if seen[dockerfile] == nil {
			seen[dockerfile] = map[string]bool{}
		}
		seen[dockerfile][context] = true
	}
	for _, f := range composeFiles {
		composeContexts(f, note)
	}
	for _, f := range workflows {
		workflowContexts(f, note)
	}
	for _, f := range makefiles {
		data, err := bounds.ReadFile(f)
		if err != nil {
			continue
		}
		for _, line := range dockerbuild.Lines(string(data)) {
			dockerBuild(line, filepath.Dir(f), note)
		}
	}
	out := map[string]string{}
	for dockerfile, contexts := range seen {
		if len(contexts) == 1 {
			for c := range contexts {
				out[dockerfile] = c
			}
		}
	}
	return out
}

// composeContexts reads the services' build sections of one compose file.
// The dockerfile is relative to the context, the context to the file.
func composeContexts(path string, note func(dockerfile, context string)) {
	doc := readYAML(path)
	services := mapValue(doc, "services")
	if services == nil || services.Kind != yaml.MappingNode {
		return
	}
	for i := 1; i < len(services.Content); i += 2 {
		build := mapValue(services.Content[i], "build")
		if build == nil || build.Kind != yaml.MappingNode {
			continue // `build: ./web` builds web/Dockerfile from web/: the default
		}
		context, dockerfile := scalar(mapValue(build, "context")), scalar(mapValue(build, "dockerfile"))
		if context == "" {
			context = "."
		}
		if dockerfile == "" || !literalPath(context) || !literalPath(dockerfile) {
			continue
		}
		ctx := filepath.Join(filepath.Dir(path), context)
		df := dockerfile
		if !filepath.IsAbs(df) {
			df = filepath.Join(ctx, dockerfile)
		}
		note(df, ctx)
	}
}

// workflowContexts reads one CI workflow's build steps. Paths are relative
// to the repository root, the directory holding .github (or .forgejo, .gitea).
func workflowContexts(path string, note func(dockerfile, context string)) {
	root := filepath.Dir(filepath.Dir(filepath.Dir(path)))
	jobs := mapValue(readYAML(path), "jobs")
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		return
	}
	for i := 1; i < len(jobs.Content); i += 2 {
		steps := mapValue(jobs.Content[i], "steps")
		if steps == nil || steps.Kind != yaml.SequenceNode {
			continue
		}
		for _, step := range steps.Content {
			if uses := scalar(mapValue(step, "uses")); strings.HasPrefix(uses, "docker/build-push-action@") {
				with := mapValue(step, "with")
				context, file := scalar(mapValue(with, "context")), scalar(mapValue(with, "file"))
				if context == "" || file == "" || !literalPath(context) || !literalPath(file) {
					continue
				}
				note(filepath.Join(root, file), filepath.Join(root, context))
				continue
			}
			dir := root
			if wd := scalar(mapValue(step, "working-directory")); wd != "" {
				if !literalPath(wd) {
					continue
				}
				dir = filepath.Join(root, wd)
			}
			for _, line := range dockerbuild.Lines(scalar(mapValue(step, "run"))) {
				dockerBuild(line, dir, note)
			}
		}
	}
}

// dockerBuild notes `docker build -f FILE CONTEXT` in one shell line run
// from dir.
func dockerBuild(line, dir string, note func(dockerfile, context string)) {
	for _, c := range dockerbuild.Parse(line) {
		if c.File == "" || c.Context == "" || !literalPath(c.File) || !literalPath(c.Context) || strings.Contains(c.Context, "://") {
			continue
		}
		note(filepath.Join(dir, c.File), filepath.Join(dir, c.Context))
	}
}

// literalPath reports whether a path is written out, not made of variables.
func literalPath(p string) bool {
	return p != "" && !strings.ContainsAny(p, "$%{}`")
}

func readYAML(path string) *yaml.Node {
	data, err := bounds.ReadFile(path)
	if err != nil {
		return nil
	}
	var doc yaml.Node
	if yaml.Unmarshal(data, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	return doc.Content[0]
}

// mapValue returns the value of a key in a mapping node, or nil. Aliases
// are not followed: a build section written through an anchor is skipped.
func mapValue(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}
