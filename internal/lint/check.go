package lint

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/source"
	"github.com/shipshape/shipshape/internal/source/bounds"
	"github.com/shipshape/shipshape/internal/source/caddy"
	"github.com/shipshape/shipshape/internal/source/compose"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
	"github.com/shipshape/shipshape/internal/source/kube"
	"github.com/shipshape/shipshape/internal/source/nginx"
	"github.com/shipshape/shipshape/internal/source/problem"
	"github.com/shipshape/shipshape/internal/source/workflow"
)

// MaxFileSize bounds what `check` reads of one file.
const MaxFileSize = bounds.MaxFileSize

// Input is one thing to check: a Dockerfile, or a Compose project (its base
// file in Path, the files merged over it in Overrides). Data is read from
// Path when nil.
type Input struct {
	// Kind is what Path is (see source.KindOf); Unknown is read as a
	// Dockerfile.
	Kind source.Kind
	Path string
	Data []byte
	// ContextDir is the build context; "" means unknown. For files read from
	// disk it defaults to the file's directory.
	ContextDir string
	// PassedArgs are the build args the project's own build files (compose,
	// CI workflows, Makefiles) pass when they build this Dockerfile; their
	// values are the build's, not known here.
	PassedArgs []string
	// Overrides are the compose files merged over Path, in order, or the
	// other manifest files of a Kubernetes group.
	Overrides []string
	// Root is the path check was given that Path was found under; a
	// compose project outside any repository is judged from it, and
	// manifests outside it are not read to answer a group's references.
	Root string
	// Err is why a path named on the command line cannot be checked (it
	// cannot be read, or it is no kind of file check knows): reported as
	// that file's error, so the other paths are still checked.
	Err error
}

// Check parses and lints the inputs in parallel, one worker per CPU, with
// one project model for the whole run. A file that cannot be read or
// parsed is reported in Result.Errors and the others are still checked.
func Check(inputs []Input, cfg *Config, rules []Rule) *Result {
	runner := NewRunner(cfg, rules, project.NewModel())
	type outcome struct {
		findings []Finding
		errs     []FileError
	}
	outcomes := make([]outcome, len(inputs))
	workers := min(runtime.GOMAXPROCS(0), len(inputs))
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				findings, errs := checkOne(inputs[i], cfg, runner)
				outcomes[i] = outcome{findings, errs}
			}
		}()
	}
	for i := range inputs {
		next <- i
	}
	close(next)
	wg.Wait()

	res := &Result{Files: make([]string, len(inputs))}
	for i, in := range inputs {
		res.Files[i] = in.Path
	}
	total := 0
	for _, o := range outcomes {
		total += len(o.findings)
	}
	res.Findings = make([]Finding, 0, total)
	for _, o := range outcomes {
		res.Findings = append(res.Findings, o.findings...)
		res.Errors = append(res.Errors, o.errs...)
	}
	res.Sort()
	return res
}

func checkOne(in Input, cfg *Config, runner *Runner) (findings []Finding, ferrs []FileError) {
	// A bug in one rule must not take the other files down with it: report
	// it against this file and carry on.
	defer func() {
		if r := recover(); r != nil {
			findings = nil
			ferrs = []FileError{{File: in.Path, Line: 1, Message: fmt.Sprintf("internal error while checking this file (please report it): %v", r)}}
		}
	}()
	// A group of manifests can have bad files and good ones: both are reported.
	findings, err := check(in, cfg, runner)
	return findings, fileErrors(in.Path, err)
}

// check loads one input with the loader of its kind and runs the rules.
func check(in Input, cfg *Config, runner *Runner) ([]Finding, error) {
	if in.Err != nil {
		return nil, in.Err
	}
	switch in.Kind {
	case source.Compose:
		opts := compose.Options{Files: append([]string{in.Path}, in.Overrides...), Root: in.Root}
		if in.Data != nil {
			opts.Contents = map[string][]byte{in.Path: in.Data}
			opts.WorkingDir = cmpOr(in.ContextDir, ".")
		}
		p, err := compose.Load(context.Background(), opts)
		if err != nil {
			return nil, err
		}
		return runner.CheckCompose(p), nil
	case source.Nginx:
		var opts nginx.Options
		if in.Data != nil {
			opts.Contents = map[string][]byte{in.Path: in.Data}
		}
		c, err := nginx.Load(in.Path, opts)
		if err != nil {
			return nil, err
		}
		return runner.CheckNginx(c), nil
	case source.Manifest:
		opts := kube.Options{Root: in.Root}
		if in.Data != nil {
			opts.Contents = map[string][]byte{in.Path: in.Data}
		}
		set, err := kube.Load(append([]string{in.Path}, in.Overrides...), opts)
		return runner.CheckKube(set), err
	case source.Helm:
		set, err := kube.LoadChart(in.Path, kube.HelmOptions{ValueFiles: cfg.HelmValues, Set: cfg.HelmSet})
		if set == nil {
			return nil, err
		}
		return runner.CheckKube(set), err
	case source.Kustomize:
		set, err := kube.LoadKustomization(in.Path)
		if err != nil {
			return nil, err
		}
		return runner.CheckKube(set), nil
	}
	data, err := inputData(in)
	if err != nil {
		return nil, err
	}
	switch in.Kind {
	case source.Caddy:
		f, err := caddy.Parse(in.Path, data)
		if err != nil {
			return nil, err
		}
		return runner.CheckCaddy(f), nil
	case source.Workflow:
		w, err := workflow.Parse(in.Path, data)
		if err != nil {
			return nil, err
		}
		return runner.CheckWorkflow(w), nil
	}
	ctxDir := in.ContextDir
	if in.Data == nil && ctxDir == "" {
		ctxDir = filepath.Dir(in.Path)
	}
	f, err := dockerfile.Parse(data, dockerfile.Options{Path: in.Path, ContextDir: ctxDir, BuildArgs: cfg.BuildArgs, Target: cfg.Target})
	if err != nil {
		return nil, err
	}
	return runner.CheckDockerfile(f, in.PassedArgs...), nil
}

// fileErrors reports what could not be loaded, one error per file (a loader
// joins them with errors.Join), each at the line the loader names.
func fileErrors(path string, err error) []FileError {
	if err == nil {
		return nil
	}
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		var out []FileError
		for _, e := range joined.Unwrap() {
			out = append(out, fileErrors(path, e)...)
		}
		return out
	}
	return []FileError{*fileError(path, err)}
}

// fileError reports a file that could not be loaded, at the line the loader names.
func fileError(path string, err error) *FileError {
	var pe *problem.Error
	if errors.As(err, &pe) {
		msg := pe.Message
		if pe.Hint != "" {
			msg += "; " + pe.Hint
		}
		return &FileError{File: cmpOr(pe.Path, path), Line: max(pe.Line, 1), Message: msg}
	}
	return &FileError{File: path, Line: 1, Message: err.Error()}
}

func inputData(in Input) ([]byte, error) {
	if in.Data != nil {
		return in.Data, nil
	}
	return bounds.ReadFile(in.Path)
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
