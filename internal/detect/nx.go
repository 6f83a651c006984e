package detect

import (
	"encoding/json"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// nxProject is the part of an Nx project.json that says what its build
// makes.
type nxProject struct {
	Name        string `json:"name"`
	ProjectType string `json:"projectType"`
	Root        string `json:"root"`
	SourceRoot  string `json:"sourceRoot"`
	Targets     map[string]struct {
		Executor string `json:"executor"`
		Options  struct {
			OutputPath string `json:"outputPath"`
			Main       string `json:"main"`
		} `json:"options"`
	} `json:"targets"`
}

// nxServerExecutors build a program node runs (not a browser bundle).
var nxServerExecutors = regexp.MustCompile(`^@(?:nx|nrwl)/(?:esbuild:esbuild|webpack:webpack|node:\w+|js:tsc|js:swc|rollup:rollup)$`)

// nxEntries are the programs the applications of an Nx workspace build
// (nx.json beside project.json files): the build target's outputPath
// with its main compiled, dist/api/main.js for an esbuild or webpack
// bundle of src/main.ts, the source tree under outputPath for tsc and
// swc. A Dockerfile written for Nx copies that output in; it does not
// build it.
func (r *repo) nxEntries() []Evidence {
	if r.read("nx.json") == nil {
		return nil
	}
	files := []string{"project.json"}
	for _, pattern := range []string{"apps/*/project.json", "packages/*/project.json"} {
		more, _ := filepath.Glob(filepath.Join(r.dir, filepath.FromSlash(pattern)))
		for _, m := range more {
			rel, _ := filepath.Rel(r.dir, m)
			files = append(files, filepath.ToSlash(rel))
		}
	}
	var out []Evidence
	for _, f := range files {
		lines := r.read(f)
		if lines == nil {
			continue
		}
		var p nxProject
		if json.Unmarshal(jsonc(strings.Join(lines, "\n")), &p) != nil || p.ProjectType != "application" {
			continue
		}
		t, ok := p.Targets["build"]
		if !ok || !nxServerExecutors.MatchString(t.Executor) || t.Options.OutputPath == "" || t.Options.Main == "" {
			continue
		}
		outDir := strings.Trim(strings.ReplaceAll(t.Options.OutputPath, "{workspaceRoot}/", ""), "/")
		main := strings.TrimPrefix(t.Options.Main, "./")
		js := path.Join(outDir, strings.TrimSuffix(path.Base(main), path.Ext(main))+".js")
		if strings.HasSuffix(t.Executor, ":tsc") || strings.HasSuffix(t.Executor, ":swc") {
			root := strings.Trim(p.Root, "/")
			if root == "" {
				root = strings.Trim(path.Dir(f), ".")
			}
			rel := strings.TrimPrefix(strings.TrimPrefix(main, root+"/"), "./")
			js = path.Join(outDir, strings.TrimSuffix(rel, path.Ext(rel))+".js")
		}
		at := r.find(f, regexp.MustCompile(`"outputPath"\s*:`))
		if at == nil {
			at = &Evidence{File: f}
		}
		at.Value, at.Why = js, "the Nx build of "+main+" ("+t.Executor+")"
		out = append(out, *at)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Value < out[j].Value })
	return out
}
