package lint

import (
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shipshape/shipshape/internal/source/bounds"
	"github.com/shipshape/shipshape/internal/source/dockerbuild"
	"github.com/shipshape/shipshape/internal/source/yamlindex"
)

// projectBuilds reads what the project's own build files say of each
// Dockerfile they build, keyed by the Dockerfile's cleaned path: its build
// context, where it is not the Dockerfile's own directory, and the build
// args they pass it.
//
//   - compose: `build: {context: .., dockerfile: web/Dockerfile, args: ...}`
//   - CI workflows: docker/build-push-action's `context`, `file` and
//     `build-args`, and `docker build -f web/Dockerfile --build-arg V=1 .`
//     in a run step
//   - Makefiles: `docker build -f web/Dockerfile --build-arg V=1 .`
//
// A Dockerfile the files name with two different contexts keeps none: the
// rules then judge it against its own directory, as before. Its build args
// are those any of its builds pass.
func projectBuilds(composeFiles, workflows, makefiles []string) (contexts map[string]string, args map[string][]string) {
	b := builds{contexts: map[string]map[string]bool{}, args: map[string]map[string]bool{}}
	for _, f := range composeFiles {
		composeBuilds(f, b.note)
	}
	for _, f := range workflows {
		workflowBuilds(f, b.note)
	}
	for _, f := range makefiles {
		data, err := bounds.ReadFile(f)
		if err != nil {
			continue
		}
		for _, line := range dockerbuild.Lines(string(data)) {
			dockerBuild(line, filepath.Dir(f), b.note)
		}
	}
	contexts = map[string]string{}
	for dockerfile, seen := range b.contexts {
		if len(seen) == 1 {
			for c := range seen {
				contexts[dockerfile] = c
			}
		}
	}
	args = map[string][]string{}
	for dockerfile, names := range b.args {
		args[dockerfile] = slices.Sorted(maps.Keys(names))
	}
	return contexts, args
}

// builds gathers what the build files say, Dockerfile by Dockerfile.
type builds struct {
	contexts map[string]map[string]bool
	args     map[string]map[string]bool
}

// note records one build of dockerfile: from context ("" when the file
// leaves it unsaid), passing args.
func (b builds) note(dockerfile, context string, args []string) {
	dockerfile = filepath.Clean(dockerfile)
	if len(args) > 0 && b.args[dockerfile] == nil {
		b.args[dockerfile] = map[string]bool{}
	}
	for _, a := range args {
		b.args[dockerfile][a] = true
	}
	if context == "" {
		return
	}
	context = filepath.Clean(context)
	if filepath.Dir(dockerfile) == context {
		return // the default: nothing to tell
	}
	if b.contexts[dockerfile] == nil {
		b.contexts[dockerfile] = map[string]bool{}
	}
	b.contexts[dockerfile][context] = true
}

// noteFunc is builds.note, for the readers of each kind of build file.
type noteFunc func(dockerfile, context string, args []string)

// composeBuilds reads the services' build sections of one compose file.
// The dockerfile is relative to the context, the context to the file.
func composeBuilds(path string, note noteFunc) {
	doc := readYAML(path)
	services := yamlindex.MapValue(doc, "services")
	if services == nil || services.Kind != yaml.MappingNode {
		return
	}
	for i := 1; i < len(services.Content); i += 2 {
		build := yamlindex.MapValue(services.Content[i], "build")
		if build == nil || build.Kind != yaml.MappingNode {
			continue // `build: ./web` builds web/Dockerfile from web/, passing nothing
		}
		context, dockerfile := scalar(yamlindex.MapValue(build, "context")), scalar(yamlindex.MapValue(build, "dockerfile"))
		if context == "" {
			context = "."
		}
		if dockerfile == "" {
			dockerfile = "Dockerfile"
		}
		if !literalPath(context) || !literalPath(dockerfile) {
			continue
		}
		ctx := filepath.Join(filepath.Dir(path), context)
		df := dockerfile
		if !filepath.IsAbs(df) {
			df = filepath.Join(ctx, dockerfile)
		}
		note(df, ctx, composeArgs(yamlindex.MapValue(build, "args")))
	}
}

// composeArgs are the names a build section's args set, as a mapping
// (`VERSION: 1`) or a list (`- VERSION=1`, or `- VERSION` for the shell's).
func composeArgs(n *yaml.Node) []string {
	if n == nil {
		return nil
	}
	var names []string
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i < len(n.Content); i += 2 {
			names = append(names, n.Content[i].Value)
		}
	case yaml.SequenceNode:
		for _, item := range n.Content {
			name, _, _ := strings.Cut(scalar(item), "=")
			names = append(names, name)
		}
	}
	return names
}

// workflowBuilds reads one CI workflow's build steps. Paths are relative
// to the repository root, the directory holding .github (or .forgejo, .gitea).
func workflowBuilds(path string, note noteFunc) {
	root := filepath.Dir(filepath.Dir(filepath.Dir(path)))
	jobs := yamlindex.MapValue(readYAML(path), "jobs")
	if jobs == nil || jobs.Kind != yaml.MappingNode {
		return
	}
	for i := 1; i < len(jobs.Content); i += 2 {
		steps := yamlindex.MapValue(jobs.Content[i], "steps")
		if steps == nil || steps.Kind != yaml.SequenceNode {
			continue
		}
		for _, step := range steps.Content {
			if uses := scalar(yamlindex.MapValue(step, "uses")); strings.HasPrefix(uses, "docker/build-push-action@") {
				with := yamlindex.MapValue(step, "with")
				context, file := scalar(yamlindex.MapValue(with, "context")), scalar(yamlindex.MapValue(with, "file"))
				args := actionArgs(scalar(yamlindex.MapValue(with, "build-args")))
				switch {
				case !literalPath(cmpOr(context, ".")) || !literalPath(cmpOr(file, "Dockerfile")):
				case file == "":
					note(filepath.Join(root, cmpOr(context, "."), "Dockerfile"), "", args)
				case context == "":
					// The action's own default context is the repository.
					note(filepath.Join(root, file), "", args)
				default:
					note(filepath.Join(root, file), filepath.Join(root, context), args)
				}
				continue
			}
			dir := root
			if wd := scalar(yamlindex.MapValue(step, "working-directory")); wd != "" {
				if !literalPath(wd) {
					continue
				}
				dir = filepath.Join(root, wd)
			}
			for _, line := range dockerbuild.Lines(scalar(yamlindex.MapValue(step, "run"))) {
				dockerBuild(line, dir, note)
			}
		}
	}
}

// actionArgs are the names docker/build-push-action's build-args input
// sets, one NAME=value a line.
func actionArgs(input string) []string {
	var names []string
	for _, line := range strings.Split(input, "\n") {
		if name, _, _ := strings.Cut(strings.TrimSpace(line), "="); name != "" {
			names = append(names, name)
		}
	}
	return names
}

// dockerBuild notes `docker build -f FILE --build-arg NAME=... CONTEXT` in
// one shell line run from dir.
func dockerBuild(line, dir string, note noteFunc) {
	for _, c := range dockerbuild.Parse(line) {
		file := cmpOr(c.File, filepath.Join(c.Context, "Dockerfile"))
		if c.Context == "" || !literalPath(file) || !literalPath(c.Context) || strings.Contains(c.Context, "://") {
			continue
		}
		note(filepath.Join(dir, file), filepath.Join(dir, c.Context), c.BuildArgs)
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

func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}
