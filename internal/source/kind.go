package source

import (
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
)

// Kind is what a file or a directory is to shipshape.
type Kind int

const (
	// Unknown is nothing shipshape reads.
	Unknown Kind = iota
	Dockerfile
	Compose
	Nginx
	Caddy
	Workflow
	// Manifest is a file of Kubernetes manifests.
	Manifest
	// Helm is a chart: a directory holding Chart.yaml, read rendered.
	Helm
	// Kustomize is a directory holding a kustomization, read built.
	Kustomize
	// Makefile is read for the images it builds and their build contexts.
	Makefile
	// Pending is a name that leaves the kind open (values.yaml,
	// dockerfile.sales): KindOf answers it when given the file's content.
	Pending
)

var kindNames = [...]string{"unknown", "Dockerfile", "compose", "nginx", "Caddyfile", "workflow", "manifest", "Helm chart", "kustomization", "Makefile", "pending"}

func (k Kind) String() string {
	if k < 0 || int(k) >= len(kindNames) {
		return "unknown"
	}
	return kindNames[k]
}

// KindOf decides what the file at path is: by its name and the directory
// it sits in (a workflow is a YAML file under .github/workflows), and where
// the name leaves it open, by content, the file's bytes or its first ones:
//
//   - YAML named like nothing else is a Manifest when a line starts with
//     apiVersion: and one with kind: (see HoldsManifests), else Unknown;
//   - a lowercase dockerfile.<name> is a Dockerfile when its first
//     instruction is FROM or ARG (source files like dockerfile.go are not).
//
// Given nil content, such a name is Pending: read the file and ask again.
// The order settles names that fit two kinds: a workflow before compose,
// YAML before Caddy and nginx names, nginx (Dockerfile.nginx) before a
// Dockerfile name.
func KindOf(p string, content []byte) Kind {
	name := filepath.Base(p)
	switch {
	case isWorkflowPath(p):
		return Workflow
	case IsComposeName(name):
		return Compose
	case IsYAML(name):
		switch {
		case content == nil:
			return Pending
		case HoldsManifests(content):
			return Manifest
		}
		return Unknown
	case isCaddyfileName(name):
		return Caddy
	case isNginxName(name):
		return Nginx
	case isMakefileName(name):
		return Makefile
	case IsDockerfileName(name):
		return Dockerfile
	case strings.HasPrefix(name, "dockerfile.") && !notDockerfileExt[strings.ToLower(path.Ext(name))]:
		switch {
		case content == nil:
			return Pending
		case startsLikeDockerfile(content):
			return Dockerfile
		}
	}
	return Unknown
}

// KindOfNamed is KindOf for a file someone named (on the command line, as
// the name of standard input): a .conf (or .conf.template) file is an
// nginx config, and any
// other file of no kind is read as a Dockerfile, as hadolint reads
// whatever it is given. YAML of no kind stays Unknown (or Pending, given
// no content): there is no telling what it is for.
func KindOfNamed(p string, content []byte) Kind {
	name := filepath.Base(p)
	// nginx's image renders /etc/nginx/templates/*.conf.template with
	// envsubst (penpot's nginx-mcp-locations.conf.template was read as
	// a Dockerfile: "unknown instruction location").
	if conf := strings.TrimSuffix(strings.ToLower(name), ".template"); filepath.Ext(conf) == ".conf" && !IsDockerfileName(name) {
		return Nginx
	}
	k := KindOf(p, content)
	if (k == Unknown || k == Pending) && !IsYAML(name) {
		return Dockerfile
	}
	return k
}

// KindOfDir says whether a directory is read whole: Helm when it holds
// Chart.yaml (a chart's templates are not YAML until rendered), else
// Kustomize when it holds a kustomization. Any other directory is Unknown:
// its files have kinds of their own.
func KindOfDir(dir string) Kind {
	if _, err := os.Stat(filepath.Join(dir, "Chart.yaml")); err == nil {
		return Helm
	}
	for _, name := range KustomizationNames {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return Kustomize
		}
	}
	return Unknown
}

// KustomizationNames are the file names kustomize reads a directory's
// kustomization from, in its order.
var KustomizationNames = []string{"kustomization.yaml", "kustomization.yml", "Kustomization"}

// HoldsManifests reports whether YAML content looks like Kubernetes
// manifests: a top-level apiVersion and kind.
func HoldsManifests(content []byte) bool {
	return manifestKeys.Match(content) && kindKey.Match(content)
}

var (
	manifestKeys = regexp.MustCompile(`(?m)^apiVersion:\s*\S`)
	kindKey      = regexp.MustCompile(`(?m)^kind:\s*\S`)
)

// IsYAML reports whether a file name ends in .yaml or .yml.
func IsYAML(name string) bool {
	ext := strings.ToLower(filepath.Ext(name))
	return ext == ".yaml" || ext == ".yml"
}

// IsDockerfileName reports whether a file name is a Dockerfile's by name
// alone: Dockerfile, Containerfile, *.Dockerfile, Dockerfile.*,
// Containerfile.*. The Dockerfile.* form is matched with its capital
// letter, so that source files such as dockerfile.go are not taken for
// Dockerfiles.
func IsDockerfileName(name string) bool {
	lower := strings.ToLower(name)
	switch {
	case lower == "dockerfile" || lower == "containerfile":
		return true
	case strings.HasSuffix(lower, ".dockerfile") || strings.HasSuffix(lower, ".containerfile"):
		return true
	case strings.HasPrefix(name, "Dockerfile.") || strings.HasPrefix(name, "Containerfile."):
		return !notDockerfileExt[path.Ext(lower)]
	}
	return false
}

// notDockerfileExt are names like Dockerfile.dockerignore that are not
// Dockerfiles: ignore files, docs, backups, templates and source code.
var notDockerfileExt = map[string]bool{
	".dockerignore": true, ".containerignore": true, ".md": true, ".txt": true, ".bak": true, ".orig": true, ".rej": true,
	".swp": true, ".sh": true, ".json": true, ".yaml": true, ".yml": true, ".lock": true, ".go": true, ".py": true,
	".js": true, ".ts": true, ".rs": true, ".rb": true, ".java": true, ".tmpl": true, ".tpl": true, ".j2": true,
	".jinja": true, ".erb": true, ".in": true, ".template": true, ".example": true, ".sample": true,
}

// startsLikeDockerfile reports whether the first instruction in the first
// 4 KiB of content is FROM or ARG, comments and blank lines passed over.
func startsLikeDockerfile(content []byte) bool {
	head := string(content[:min(len(content), 4096)])
	for _, line := range strings.Split(head, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		word, _, _ := strings.Cut(strings.ToUpper(line), " ")
		return word == "FROM" || word == "ARG"
	}
	return false
}

// IsComposeName reports whether a file name is a Compose file's:
// compose.yaml, docker-compose.yml, podman-compose.yml (podman-compose's
// own name for it), and variants such as compose.prod.yaml.
func IsComposeName(name string) bool {
	lower := strings.ToLower(name)
	if !strings.HasSuffix(lower, ".yaml") && !strings.HasSuffix(lower, ".yml") {
		return false
	}
	return strings.HasPrefix(lower, "compose.") || strings.HasPrefix(lower, "docker-compose.") ||
		strings.HasPrefix(lower, "compose-") || strings.HasPrefix(lower, "docker-compose-") ||
		strings.HasPrefix(lower, "docker_compose.") || strings.HasPrefix(lower, "docker_compose_") ||
		strings.HasPrefix(lower, "podman-compose.") || strings.HasPrefix(lower, "podman-compose-")
}

// isNginxName reports whether a file name is an nginx configuration's:
// nginx.conf, nginx.conf.example, *.nginx.conf, *.nginx.
func isNginxName(name string) bool {
	lower := strings.ToLower(name)
	return lower == "nginx.conf" || strings.HasPrefix(lower, "nginx.conf.") || strings.HasSuffix(lower, ".nginx.conf") ||
		strings.HasSuffix(lower, ".nginx") || filepath.Ext(lower) == ".conf" && strings.HasPrefix(lower, "nginx")
}

// isCaddyfileName reports whether a file name is a Caddyfile's.
func isCaddyfileName(name string) bool {
	lower := strings.ToLower(name)
	return lower == "caddyfile" || strings.HasPrefix(lower, "caddyfile.") || strings.HasSuffix(lower, ".caddyfile")
}

// isMakefileName reports whether a file name is a Makefile's.
func isMakefileName(name string) bool {
	return name == "Makefile" || name == "makefile" || name == "GNUmakefile" || strings.HasSuffix(name, ".mk")
}

// isWorkflowPath reports whether a path is a CI workflow's:
// .github/workflows/*.yml, .forgejo/workflows/*.yaml, .gitea/workflows/*.yml.
func isWorkflowPath(p string) bool {
	p = filepath.ToSlash(p)
	if !IsYAML(p) {
		return false
	}
	dir := path.Dir(p)
	for _, d := range []string{".github/workflows", ".forgejo/workflows", ".gitea/workflows"} {
		if dir == d || strings.HasSuffix(dir, "/"+d) {
			return true
		}
	}
	return false
}
