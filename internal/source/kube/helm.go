package kube

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"helm.sh/helm/v4/pkg/chart/common"
	"helm.sh/helm/v4/pkg/chart/common/util"
	chartv2 "helm.sh/helm/v4/pkg/chart/v2"
	"helm.sh/helm/v4/pkg/chart/v2/loader"
	"helm.sh/helm/v4/pkg/engine"
	"helm.sh/helm/v4/pkg/strvals"
	sigyaml "sigs.k8s.io/yaml"

	"github.com/shipshape/shipshape/internal/source"
	"github.com/shipshape/shipshape/internal/source/bounds"
)

// HelmOptions are the values a chart is rendered with: the user's own values
// files and --set overrides, merged over the chart's values.yaml as helm does.
type HelmOptions struct {
	ValueFiles []string
	Set        []string
	Release    string
	Namespace  string
}

// IsChart reports whether a directory is a Helm chart (see source.KindOfDir).
func IsChart(dir string) bool {
	return source.KindOfDir(dir) == source.Helm
}

// LoadChart renders a chart with the Helm SDK and loads the rendered
// manifests. Findings point at the template file; their lines are mapped
// from the rendered document back to the template line that wrote the same
// key, which is exact for templates without loops. The functions whose
// answers helm changes from run to run answer the same every time here
// (deterministicFuncs): the same chart gives the same findings.
func LoadChart(dir string, opts HelmOptions) (*Set, error) {
	ch, err := loader.Load(dir)
	if err != nil {
		return nil, &LoadError{Path: filepath.Join(dir, "Chart.yaml"), Line: 1, Message: "loading chart: " + err.Error()}
	}
	user := map[string]any{}
	for _, f := range opts.ValueFiles {
		data, err := bounds.ReadFile(f)
		if err != nil {
			return nil, &LoadError{Path: f, Line: 1, Message: err.Error()}
		}
		var vals map[string]any
		if err := sigyaml.Unmarshal(data, &vals); err != nil {
			return nil, &LoadError{Path: f, Line: yamlLine(err.Error()), Message: "values file: " + err.Error()}
		}
		mergeValues(user, vals)
	}
	for _, s := range opts.Set {
		if err := strvals.ParseInto(s, user); err != nil {
			return nil, &LoadError{Path: dir, Line: 1, Message: fmt.Sprintf("--set %s: %v", s, err)}
		}
	}
	release := common.ReleaseOptions{Name: or(opts.Release, "release"), Namespace: or(opts.Namespace, "default"), IsInstall: true}
	vals, err := util.ToRenderValues(ch, user, release, nil)
	if err != nil {
		return nil, &LoadError{Path: filepath.Join(dir, "values.yaml"), Line: 1, Message: err.Error()}
	}
	// The functions whose answers change from run to run give one fixed
	// answer here: the same chart, the same findings (see deterministicFuncs).
	out, err := engine.Engine{CustomTemplateFuncs: deterministicFuncs()}.RenderWithContext(context.Background(), ch, vals)
	if err != nil {
		return nil, templateError(dir, ch, err)
	}
	set := &Set{files: map[string][]string{}, lineMap: map[string][]int{}}
	var errs []error
	keys := make([]string, 0, len(out))
	for k := range out {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		rendered := out[key]
		base := filepath.Base(key)
		if strings.TrimSpace(rendered) == "" || strings.HasPrefix(base, "_") || strings.HasSuffix(base, ".txt") {
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(key, ch.Name()+"/")))
		template, _ := bounds.ReadFile(path)
		tlines := strings.Split(string(template), "\n")
		set.lineMap[path] = mapLines(strings.Split(rendered, "\n"), tlines)
		for _, err := range set.addFile(path, []byte(rendered)) {
			var le *LoadError
			if errors.As(err, &le) {
				le.Line = set.mapLine(path, le.Line)
				le.Message += " (in the rendered template)"
			}
			errs = append(errs, err)
		}
		set.files[path] = tlines
	}
	set.incomplete = len(errs) > 0
	return set, errors.Join(errs...)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// mergeValues merges src over dst, recursing into maps, as helm merges values files.
func mergeValues(dst, src map[string]any) {
	for k, v := range src {
		if sm, ok := v.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				mergeValues(dm, sm)
				continue
			}
		}
		dst[k] = v
	}
}

var templateLoc = regexp.MustCompile(`([^\s:()"<>]+\.(?:yaml|yml|tpl|txt)):(\d+):(\d+)`)

// templateError reports a chart that does not render, at the template line
// Helm names, with what to do: most charts that fail with their own
// defaults need a value only the deployer has (a `required` password), or
// their dependencies fetched.
func templateError(dir string, ch *chartv2.Chart, err error) *LoadError {
	le := &LoadError{Path: filepath.Join(dir, "Chart.yaml"), Line: 1, Message: "rendering chart " + ch.Name() + ": " + err.Error()}
	if m := templateLoc.FindStringSubmatch(err.Error()); m != nil {
		le.Path = filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(m[1], ch.Name()+"/")))
		le.Line, _ = strconv.Atoi(m[2])
	}
	var hints []string
	if missing := missingDependencies(ch); len(missing) > 0 {
		hints = append(hints, fmt.Sprintf("its dependencies %s are not in %s: run `helm dependency build %s` first, as helm itself requires",
			strings.Join(missing, ", "), filepath.Join(dir, "charts"), dir))
	}
	values := "render it with the values you deploy with: --helm-values FILE or --set KEY=VALUE"
	if ci, _ := filepath.Glob(filepath.Join(dir, "ci", "*values*.y*ml")); len(ci) > 0 {
		values += fmt.Sprintf(" (the chart's own test values are in %s, e.g. --helm-values %s)", filepath.Join(dir, "ci"), ci[0])
	}
	le.Hint = strings.Join(append(hints, values), "; ")
	return le
}

// missingDependencies lists the dependencies Chart.yaml declares that are
// not vendored in charts/.
func missingDependencies(ch *chartv2.Chart) []string {
	have := map[string]bool{}
	for _, d := range ch.Dependencies() {
		have[d.Name()] = true
	}
	var missing []string
	for _, d := range ch.Metadata.Dependencies {
		if !have[d.Name] {
			missing = append(missing, d.Name)
		}
	}
	return missing
}

func yamlLine(msg string) int {
	var line int
	if _, err := fmt.Sscanf(msg, "error converting YAML to JSON: yaml: line %d:", &line); err == nil && line > 0 {
		return line
	}
	return 1
}
