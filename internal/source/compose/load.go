package compose

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/shipshape/shipshape/internal/source/bounds"
	"github.com/shipshape/shipshape/internal/source/problem"

	"github.com/compose-spec/compose-go/v2/dotenv"
	"github.com/compose-spec/compose-go/v2/loader"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/sirupsen/logrus"
	"gopkg.in/yaml.v3"

	"github.com/shipshape/shipshape/internal/source/yamlindex"
)

func init() {
	// compose-go reports obsolete keys through logrus; rules report them instead.
	logrus.SetOutput(io.Discard)
}

// Options say which files make up the project.
type Options struct {
	// Files are the compose files in merge order, base first.
	Files []string
	// Contents replaces the disk content of a file (stdin, tests).
	Contents map[string][]byte
	// WorkingDir is the project directory; the base file's directory by default.
	WorkingDir string
	// Env adds interpolation variables; the project's .env is read as well.
	Env map[string]string
	// Root is the directory the files were found under (the path check was
	// given). The project's root is the repository above the base file (the
	// nearest directory holding .git), else Root, else the base file's
	// directory; directories below it may mark a file as a test stack.
	Root string
}

// LoadError is a compose file that cannot be loaded as written.
type LoadError = problem.Error

// ErrNoFiles is returned when Options names no file.
var ErrNoFiles = errors.New("no compose file given")

// Load reads, merges and interpolates a Compose project.
func Load(ctx context.Context, opts Options) (p *Project, err error) {
	if len(opts.Files) == 0 {
		return nil, ErrNoFiles
	}
	wd := opts.WorkingDir
	if wd == "" {
		wd = filepath.Dir(opts.Files[0])
	}
	p = &Project{WorkingDir: wd}
	root := projectRoot(opts.Files[0], opts.Root)
	details := types.ConfigDetails{WorkingDir: wd, Environment: map[string]string{}}
	for _, path := range opts.Files {
		data, ok := opts.Contents[path]
		if !ok {
			var err error
			if data, err = bounds.ReadFile(path); err != nil {
				return nil, &LoadError{Path: path, Line: 1, Message: err.Error()}
			}
		}
		f, err := parseFile(path, data)
		if err != nil {
			return nil, err
		}
		f.belowRoot = below(root, filepath.Dir(path))
		p.Files = append(p.Files, f)
		if name, ok := f.index.Lookup("name"); ok && name.Value != nil && name.Value.Value != "" {
			p.NamePinned = true
		}
		details.ConfigFiles = append(details.ConfigFiles, types.ConfigFile{Filename: path, Content: data})
	}
	env, err := projectEnv(wd, opts.Env, p.Files)
	if err != nil {
		return nil, err
	}
	p.NameInEnvFile = projectNameFile(wd)
	details.Environment = env
	name := "project"
	if !p.NamePinned {
		name = loader.NormalizeProjectName(filepath.Base(absDir(wd)))
		if name == "" {
			name = "project"
		}
	}
	setOptions := func(o *loader.Options) {
		o.SetProjectName(name, true) // decided here: the pinned name or the directory's
		o.ResolvePaths = false
		o.Profiles = []string{"*"}
		// compose-go compiles its JSON schema on every load (60% of the
		// time); the model is validated below against a schema compiled once.
		o.SkipValidation = true
		// Environment files are read below, from the project directory
		// rather than the process's.
		o.SkipResolveEnvironment = true
	}
	// compose-go panics on some shapes of input; a file must never take
	// the caller down.
	defer func() {
		if r := recover(); r != nil {
			p, err = nil, &LoadError{Path: opts.Files[0], Line: 1, Message: fmt.Sprintf("compose cannot load this project: %v", r),
				Hint: "docker compose config shows what compose makes of it"}
		}
	}()
	dict, err := loader.LoadModelWithContext(ctx, details, setOptions)
	if err != nil {
		return nil, p.loadError(err)
	}
	if err := validate(dict); err != nil {
		return nil, p.schemaError(err)
	}
	if raw, ok := p.Raw("name"); ok && raw != "" && !strings.Contains(raw, "$") {
		name = raw
	} else if p.NamePinned {
		name, _ = dict["name"].(string)
	}
	model, err := loader.ModelToProject(dict, loader.ToOptions(&details, []func(*loader.Options){setOptions}), details)
	if err != nil {
		return nil, p.loadError(err)
	}
	if model, err = withEnvFiles(model, wd); err != nil {
		return nil, p.loadError(err)
	}
	p.Model = model
	p.Name = model.Name
	return p, nil
}

// withEnvFiles merges each service's env_file into its environment, read
// from the project directory: with paths left as written, compose-go looks
// for them in the directory check runs in, and nextcloud's
// `env_file: db.env` beside its compose.yaml failed to load. A file that is
// not there is read as empty, not as an error: env files often hold the
// secrets a repository leaves out (.env.prod), and they exist where compose
// runs, not where it is checked.
func withEnvFiles(model *types.Project, wd string) (*types.Project, error) {
	for name, s := range model.Services {
		for i, f := range s.EnvFiles {
			if !filepath.IsAbs(f.Path) {
				s.EnvFiles[i].Path = filepath.Join(wd, f.Path)
			}
			s.EnvFiles[i].Required = false
		}
		model.Services[name] = s
	}
	return model.WithServicesEnvironmentResolved(false)
}

// projectRoot is the directory a project's files are judged from: the
// repository holding the base file, else the directory check was given,
// else the base file's own.
func projectRoot(base, given string) string {
	start, repo := absDir(filepath.Dir(base)), ""
	bounds.Upward(start, 0, func(d string) bool {
		if _, err := os.Stat(filepath.Join(d, ".git")); err == nil {
			repo = d
		}
		return repo != ""
	})
	if repo != "" {
		return repo
	}
	if given != "" {
		if info, err := os.Stat(given); err == nil && !info.IsDir() {
			given = filepath.Dir(given)
		}
		return absDir(given)
	}
	return start
}

// below returns dir relative to root, or "" when dir is root or outside it.
func below(root, dir string) string {
	rel, err := filepath.Rel(root, absDir(dir))
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return ""
	}
	return rel
}

func absDir(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	return abs
}

// projectEnv is what compose interpolates with: the project's .env, then the
// given variables. The shell environment is left out so that a check gives
// the same answer on every machine. Variables the files require with
// ${VAR:?} but nobody sets get a placeholder: they are set at deploy time.
func projectEnv(wd string, extra map[string]string, files []*File) (map[string]string, error) {
	env := map[string]string{}
	dotenvPath := filepath.Join(wd, ".env")
	if data, err := bounds.ReadFile(dotenvPath); err == nil {
		vars, err := dotenv.ParseWithLookup(bytes.NewReader(data), func(string) (string, bool) { return "", false })
		if err != nil {
			return nil, &LoadError{Path: dotenvPath, Line: 1, Message: "reading .env: " + err.Error()}
		}
		for k, v := range vars {
			env[k] = v
		}
	}
	for k, v := range extra {
		env[k] = v
	}
	for _, f := range files {
		for _, line := range f.lines {
			for _, m := range requiredVar.FindAllStringSubmatch(line, -1) {
				if _, ok := env[m[1]]; !ok {
					env[m[1]] = "required-" + strings.ToLower(m[1])
				}
			}
		}
	}
	return env, nil
}

// projectNameFile returns the project's .env when it names the project
// with COMPOSE_PROJECT_NAME, or "". Only .env counts: compose reads no
// other, and an .env.example names the project only once someone copies it.
func projectNameFile(wd string) string {
	path := filepath.Join(wd, ".env")
	if data, err := bounds.ReadFile(path); err == nil && projectNameVar.Match(data) {
		return path
	}
	return ""
}

var projectNameVar = regexp.MustCompile(`(?m)^\s*(export\s+)?COMPOSE_PROJECT_NAME\s*=\s*["']?[A-Za-z0-9]`)

var requiredVar = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*):?\?`)

func parseFile(path string, data []byte) (*File, error) {
	f := &File{Path: path, lines: strings.Split(string(data), "\n")}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		line := 1
		msg := err.Error()
		if _, scanErr := fmt.Sscanf(msg, "yaml: line %d:", &line); scanErr == nil {
			msg = strings.TrimSpace(msg[strings.Index(msg[6:], ":")+7:])
		}
		return nil, &LoadError{Path: path, Line: line, Message: "invalid YAML: " + msg}
	}
	if len(doc.Content) == 0 {
		return nil, &LoadError{Path: path, Line: 1, Message: "empty compose file"}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &LoadError{Path: path, Line: root.Line, Message: "a compose file is a mapping with services:, volumes:, networks: ..."}
	}
	if svc := versionOneService(root); svc != nil {
		return nil, &LoadError{Path: path, Line: svc.Line,
			Message: fmt.Sprintf("this is a version 1 compose file (service %s at the top level, no services:), which Compose v2 no longer reads", svc.Value),
			Hint:    "indent the services under a top-level `services:` key and rename v1 keys such as `net: host` to `network_mode: host`"}
	}
	if at, err := yamlindex.Overgrown(&doc); err != nil {
		return nil, &LoadError{Path: path, Line: at.Line, Message: err.Error(),
			Hint: "write the values out, or use fewer levels of aliases"}
	}
	f.root = root
	idx, cyc := yamlindex.Build(root)
	f.index = idx
	if cyc != nil {
		// compose-go itself loops forever on such a file (its cycle check
		// skips merge keys), so it must never get there.
		return nil, &LoadError{Path: path, Line: cyc.Line, Message: fmt.Sprintf("alias *%s refers to the anchor it is inside of, which never ends", cyc.Value)}
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value != "services" || root.Content[i+1].Kind != yaml.MappingNode {
			continue
		}
		svcs := root.Content[i+1].Content
		for j := 0; j+1 < len(svcs); j += 2 {
			if v := svcs[j+1]; v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
				// compose-go panics on it.
				return nil, &LoadError{Path: path, Line: svcs[j].Line, Message: fmt.Sprintf("service %s is empty", svcs[j].Value),
					Hint: "give it an image: or a build:, or remove it"}
			}
		}
	}
	return f, nil
}

// versionOneService returns the key of the first service written at the top
// level, as the version 1 format did before services:, or nil.
func versionOneService(root *yaml.Node) *yaml.Node {
	var first *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if k.Value == "services" {
			return nil
		}
		if first != nil || v.Kind != yaml.MappingNode || strings.HasPrefix(k.Value, "x-") {
			continue
		}
		for j := 0; j+1 < len(v.Content); j += 2 {
			if key := v.Content[j].Value; key == "image" || key == "build" {
				first = k
				break
			}
		}
	}
	return first
}

var errPath = regexp.MustCompile(`(services|volumes|networks|secrets|configs)(\.[A-Za-z0-9_.-]+)?`)

// loadError turns a compose-go error into one with a file and line: its
// messages name the offending key path, which the node index can find.
func (p *Project) loadError(err error) *LoadError {
	msg := err.Error()
	le := &LoadError{Path: p.Files[0].Path, Line: 1, Message: msg}
	for _, f := range p.Files {
		if strings.Contains(msg, f.Path) {
			le.Path = f.Path
			msg = strings.TrimPrefix(strings.TrimSpace(strings.ReplaceAll(msg, "validating "+f.Path+":", "")), ":")
			le.Message = strings.TrimSpace(msg)
		}
	}
	if m := errPath.FindString(msg); m != "" {
		parts := strings.Split(m, ".")
		for n := len(parts); n > 0; n-- {
			if pos, ok := p.Locate(parts[:n]...); ok {
				le.Path, le.Line = pos.File, pos.Line
				break
			}
		}
	}
	return le
}

// ServiceNames returns the service names, sorted.
func (p *Project) ServiceNames() []string {
	if p.Model == nil {
		return nil
	}
	names := make([]string, 0, len(p.Model.Services))
	for n := range p.Model.Services {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
