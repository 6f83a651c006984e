package detect

import (
	"path"
	"regexp"
	"strings"

	"github.com/shipshape/shipshape/internal/lint/credential"
	"github.com/shipshape/shipshape/internal/source/yamlindex"
	"gopkg.in/yaml.v3"
)

// composeEnv are the variables the repository's own compose file gives
// the service it builds from this directory (build: .), which the code
// reads: what the repository documents for running the app, as an
// example env file does. zhang2092/go-url-shortener's docker-compose.yaml
// gives SERVER_PORT "9090" (the port; init chose 8080 and probed it, and
// the image turned unhealthy under that compose) and REDIS_DB "2", which
// main.go exits without. Value is the name, Why the line NAME=value.
// Secrets are left out: they are the repository's own services' (its
// Redis's requirepass), not the ones init starts.
func (r *repo) composeEnv(reads []Evidence) []Evidence {
	read := map[string]bool{}
	for _, e := range reads {
		read[e.Value] = true
	}
	var out []Evidence
	seen := map[string]bool{}
	for _, f := range composeFiles() {
		services := r.composeServices(f)
		if services == nil {
			continue
		}
		for i := 0; i+1 < len(services.Content); i += 2 {
			svc := services.Content[i+1]
			if !buildsHere(yamlindex.MapValue(svc, "build")) {
				continue
			}
			add := func(k, v string, line int) {
				if !read[k] || seen[k] || v == "" || strings.Contains(v, "$") || modeVar.MatchString(k) || debugVar.MatchString(k) ||
					credential.LooksSecretName(k) || credential.LooksSecretValue(v) || credential.URLHasPassword(v) {
					return // a mode is the deployment's, not the repository's development compose's
				}
				seen[k] = true
				out = append(out, Evidence{Value: k, File: f, Line: line, Why: k + "=" + v})
			}
			switch env := yamlindex.MapValue(svc, "environment"); {
			case env == nil:
			case env.Kind == yaml.MappingNode:
				for j := 0; j+1 < len(env.Content); j += 2 {
					if v := env.Content[j+1]; v.Kind == yaml.ScalarNode && v.Tag != "!!null" {
						add(env.Content[j].Value, v.Value, env.Content[j].Line)
					}
				}
			case env.Kind == yaml.SequenceNode:
				for _, item := range env.Content {
					if k, v, ok := strings.Cut(item.Value, "="); ok {
						add(strings.TrimSpace(k), strings.TrimSpace(v), item.Line)
					}
				}
			}
		}
	}
	return out
}

// debugVar switches a framework's debugging on: a compose file for
// development sets it, a deployment does not.
var debugVar = regexp.MustCompile(`^(?:DEBUG|\w+_DEBUG|GIN_MODE|LOG_PRETTY)$`)

// buildsHere reports whether a compose service's build builds the
// directory the compose file is in: build: . or a context of ".".
func buildsHere(build *yaml.Node) bool {
	if build == nil {
		return false
	}
	ctx := build
	if build.Kind == yaml.MappingNode {
		ctx = yamlindex.MapValue(build, "context")
		if ctx == nil {
			return true // the context defaults to the compose file's directory
		}
	}
	return ctx.Kind == yaml.ScalarNode && path.Clean(ctx.Value) == "."
}
