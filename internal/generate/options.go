// Package generate writes the files `shipshape init` creates from a
// detected stack. Everything it writes must pass `shipshape check --profile
// production` with zero findings, and build and verify on a real engine.
package generate

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/shipshape/shipshape/internal/detect"
)

// File is one generated file, relative to the repository.
type File struct {
	Path    string
	Content string
}

// Options are what `shipshape init` was asked for; zero values are filled
// from the detected stack by Resolve.
type Options struct {
	Name          string // project name: compose project, Kubernetes objects, image name
	Image         string // repository CI pushes to (default ghcr.io/OWNER/NAME in CI, NAME locally)
	Port          int
	HealthPath    string
	Entrypoint    string // Go package, Python module:object or script, Node file, Rust binary
	Helm          bool   // a Helm chart instead of kustomize
	HPA           bool
	Ingress       string // host name; empty: no Ingress
	NetworkPolicy bool
}

// Plan is a stack with every choice made: what the templates render.
type Plan struct {
	Options
	Stack *detect.Stack
	UID   int
	// DataDir is where a SQLite database lives in the container: a named
	// volume is mounted there, owned by UID.
	DataDir string
	// Notes are things the user has to know or do, printed by init.
	Notes []string
}

// defaultPorts are the framework defaults when the code names no port.
var defaultPorts = map[string]int{"go": 8080, "python": 8000, "node": 3000, "rust": 8080}

var nameChars = regexp.MustCompile(`[^a-z0-9-]+`)

// SanitizeName turns a directory name into a DNS-1123 label usable as a
// compose project, image and Kubernetes name.
func SanitizeName(s string) string {
	s = strings.Trim(nameChars.ReplaceAllString(strings.ToLower(s), "-"), "-")
	if len(s) > 50 {
		s = strings.TrimRight(s[:50], "-")
	}
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		s = "app-" + s
	}
	return strings.TrimRight(s, "-")
}

// Resolve fills what Options leave open from the stack and the language's
// conventions, and collects the notes the user must read.
func Resolve(s *detect.Stack, o Options) (*Plan, error) {
	if _, ok := defaultPorts[s.Language]; !ok {
		return nil, fmt.Errorf("no generator for a %q stack; supported: go, python, node, rust", s.Language)
	}
	p := &Plan{Options: o, Stack: s, UID: 10001}
	// One SQL server per app: the compose file has one db service and one
	// DATABASE_URL. The first found wins; the others are named in a note.
	var sqlServer *detect.Evidence
	for i, db := range s.Databases {
		if db.Value != "postgres" && db.Value != "mysql" {
			continue
		}
		if sqlServer == nil {
			sqlServer = &s.Databases[i]
			continue
		}
		if p.Stack == s {
			st := *s
			st.Databases = nil
			for _, d := range s.Databases {
				if d.Value == sqlServer.Value || (d.Value != "postgres" && d.Value != "mysql") {
					st.Databases = append(st.Databases, d)
				}
			}
			p.Stack = &st
		}
		p.note("%s:%d mentions %s too; the files run %s (found at %s:%d) only: add a %s service by hand if the app needs both",
			db.File, db.Line, db.Value, sqlServer.Value, sqlServer.File, sqlServer.Line, db.Value)
	}
	s = p.Stack
	if p.Name = SanitizeName(o.Name); o.Name == "" {
		p.Name = "app"
	}
	if p.Image == "" {
		p.Image = p.Name
	}
	if p.Port == 0 {
		p.Port = defaultPorts[s.Language]
		if s.Port != nil {
			fmt.Sscan(s.Port.Value, &p.Port)
		} else {
			p.note("no listen port found in the code; assuming %d (pass --port to change it)", p.Port)
		}
	}
	if p.Port < 1 || p.Port > 65535 {
		return nil, fmt.Errorf("port %d is outside 1-65535", p.Port)
	}
	if p.HealthPath == "" {
		if s.HealthPath != nil {
			p.HealthPath = s.HealthPath.Value
		} else {
			p.HealthPath = "/"
			p.note("no health route found; probes GET / — add a cheap /healthz that checks the database and pass --health-path /healthz")
		}
	}
	if !strings.HasPrefix(p.HealthPath, "/") || strings.ContainsAny(p.HealthPath, " '\"\\`$") {
		return nil, fmt.Errorf("health path %q must start with / and contain no spaces, quotes or $", p.HealthPath)
	}
	if p.Entrypoint == "" && len(s.Entrypoints) > 0 {
		p.Entrypoint = s.Entrypoints[0].Value
	}
	if p.Entrypoint == "" {
		switch s.Language {
		case "go":
			p.Entrypoint = "."
		case "python", "node", "rust":
			return nil, fmt.Errorf("no entry point found (looked for an app object or a __main__ script (Python), a start script, \"main\" or server.js/index.js (Node), a package with src/main.rs or [[bin]] (Rust)); pass --entrypoint")
		}
	}
	if strings.ContainsAny(p.Entrypoint, " '\"\\`$;&|") {
		return nil, fmt.Errorf("entry point %q must be a file, package, module:object or binary name", p.Entrypoint)
	}
	if s.Language == "go" && p.Entrypoint != "." && !strings.HasPrefix(p.Entrypoint, "./") {
		p.Entrypoint = "./" + p.Entrypoint
	}
	for _, db := range s.Databases {
		if db.Value == "sqlite" || strings.HasPrefix(db.Value, "sqlite:") {
			p.DataDir = "/app/data"
			if file := strings.TrimPrefix(db.Value, "sqlite:"); file != "sqlite" {
				if dir := path.Dir(file); path.IsAbs(file) {
					p.DataDir = dir
				} else if dir != "." {
					p.DataDir = path.Join("/app", dir)
				}
			}
		}
	}
	if e := s.UntrustedProxy; e != nil {
		p.note("%s:%d loads Express without `app.set('trust proxy', 1)`: behind the proxy req.protocol, req.ip and generated links are wrong; add it (check reports XF003 until then)", e.File, e.Line)
	} else if s.Templates != nil && s.Framework == nil {
		p.note("%s:%d renders templates: behind the proxy the app must honour X-Forwarded-Proto/-Host or generated links say http://", s.Templates.File, s.Templates.Line)
	}
	if s.SIGTERM == nil {
		server := ""
		if s.Server != nil {
			server = s.Server.Value
		}
		switch {
		case s.Language == "go":
			p.note("the code does not handle SIGTERM: the Go runtime exits with status 2 at once, cutting requests in flight; use signal.NotifyContext and http.Server.Shutdown")
		case s.Language == "rust":
			p.note("the code does not handle SIGTERM: as PID 1 it ignores it until killed after the grace period; handle it (tokio::signal) and drain")
		case s.Language == "python" && (server != "" || strings.Contains(p.Entrypoint, ":")):
			// gunicorn and uvicorn stop gracefully on SIGTERM.
		case s.Language == "python" || (s.Language == "node" && p.framework() != "next"):
			p.note("the code does not handle SIGTERM, which PID 1 would ignore until killed: the entrypoint exits on it, without draining requests in flight; close the server in a SIGTERM handler for a graceful stop")
		}
	}
	if s.Framework != nil && s.Framework.Value == "next" {
		p.note("Next.js: set `output: 'standalone'` in next.config.js; the image runs .next/standalone/server.js")
	}
	return p, nil
}

func (p *Plan) note(format string, args ...any) {
	p.Notes = append(p.Notes, fmt.Sprintf(format, args...))
}

// has reports whether the stack talks to the database kind (postgres,
// mysql, redis, sqlite).
func (p *Plan) has(kind string) bool {
	for _, db := range p.Stack.Databases {
		if db.Value == kind || strings.HasPrefix(db.Value, kind+":") {
			return true
		}
	}
	return false
}

// framework is the detected framework's name, or "".
func (p *Plan) framework() string {
	if p.Stack.Framework == nil {
		return ""
	}
	return p.Stack.Framework.Value
}

// Service is one app of a repository: its compose service name, its
// directory (the build context, relative; "." when the repository is one
// service) and its plan.
type Service struct {
	Name string
	Dir  string
	Plan *Plan
}

// Set is what one init writes for: a repository that is one service, or
// several services in subdirectories (seed 004's six services behind nginx)
// that share one compose project, proxy, manifests and workflow.
type Set struct {
	Options
	Services []Service
}

// Single is the set of a repository that is one service.
func Single(p *Plan) *Set {
	return &Set{Options: p.Options, Services: []Service{{Name: "app", Dir: ".", Plan: p}}}
}

// has reports whether any service talks to the database kind.
func (s *Set) has(kind string) bool {
	for _, svc := range s.Services {
		if svc.Plan.has(kind) {
			return true
		}
	}
	return false
}

// kubeName is a service's name in Kubernetes: the project's for a single
// service, project-service otherwise.
func (s *Set) kubeName(svc Service) string {
	if len(s.Services) == 1 {
		return s.Name
	}
	return s.Name + "-" + svc.Name
}

// Project writes every file init creates for one service.
func Project(p *Plan) ([]File, error) {
	return ProjectSet(Single(p))
}

// ProjectSet writes every file init creates for a set of services: a
// Dockerfile and .dockerignore in each service's directory, and one
// compose project, proxy, set of manifests and workflow for all.
func ProjectSet(set *Set) ([]File, error) {
	if len(set.Services) == 0 {
		return nil, fmt.Errorf("no services")
	}
	var files []File
	for _, svc := range set.Services {
		df, err := Dockerfile(svc.Plan)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", svc.Dir, err)
		}
		ignore := DockerIgnore(svc.Plan)
		df.Path, ignore.Path = path.Join(svc.Dir, df.Path), path.Join(svc.Dir, ignore.Path)
		files = append(files, df, ignore)
	}
	files = append(files, Compose(set), EnvExample(set))
	switch {
	case set.Helm && len(set.Services) > 1:
		return nil, fmt.Errorf("--helm writes one chart per service: run init --helm in each service's directory, or leave out --helm for kustomize manifests of all %d services", len(set.Services))
	case set.Helm:
		files = append(files, Helm(set.Services[0].Plan)...)
	default:
		files = append(files, Kustomize(set)...)
	}
	files = append(files, Proxy(set)...)
	files = append(files, Workflow(set))
	return files, nil
}
