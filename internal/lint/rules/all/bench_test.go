package all

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/lint/linttest"
	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/source"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

// BenchmarkCheck_OneCore parses and lints a corpus of 1,200 varied
// Dockerfiles on one goroutine: the per-core throughput.
func BenchmarkCheck_OneCore(b *testing.B) {
	corpus := linttest.Corpus(1200, 1)
	cfg := lint.DefaultConfig()
	cfg.Profile = lint.ProfileProduction
	runner := lint.NewRunner(cfg, lint.List(), project.NewModel())
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	files := 0
	for i := 0; i < b.N; i++ {
		data := corpus[i%len(corpus)]
		f, err := df.Parse(data, df.Options{Path: "Dockerfile"})
		if err != nil {
			b.Fatal(err)
		}
		runner.CheckDockerfile(f)
		files++
	}
	b.ReportMetric(float64(files)/time.Since(start).Seconds(), "dockerfiles/s")
}

// BenchmarkCheck_Parallel runs lint.Check, the path `shipshape check` takes,
// over the corpus with every core.
func BenchmarkCheck_Parallel(b *testing.B) {
	corpus := linttest.Corpus(1200, 1)
	inputs := make([]lint.Input, len(corpus))
	for i, data := range corpus {
		inputs[i] = lint.Input{Path: "Dockerfile", Data: data}
	}
	cfg := lint.DefaultConfig()
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		lint.Check(inputs, cfg, lint.List())
	}
	elapsed := time.Since(start).Seconds()
	b.ReportMetric(float64(b.N*len(corpus))/elapsed, "dockerfiles/s")
	b.ReportMetric(float64(b.N*len(corpus))/elapsed/float64(runtime.GOMAXPROCS(0)), "dockerfiles/s/core")
}

// TestCorpus_ParsesAndIsVaried guards the benchmark corpus itself.
func TestCorpus_ParsesAndIsVaried(t *testing.T) {
	corpus := linttest.Corpus(1200, 1)
	distinct := map[string]bool{}
	rules := map[string]bool{}
	runner := lint.NewRunner(lint.DefaultConfig(), lint.List(), project.NewModel())
	for _, data := range corpus {
		distinct[string(data)] = true
		f, err := df.Parse(data, df.Options{Path: "Dockerfile"})
		if err != nil {
			t.Fatalf("corpus file does not parse: %v\n%s", err, data)
		}
		for _, fd := range runner.CheckDockerfile(f) {
			rules[fd.Rule] = true
		}
	}
	if len(distinct) < 1000 {
		t.Fatalf("%d distinct Dockerfiles, want at least 1000", len(distinct))
	}
	if len(rules) < 30 {
		t.Fatalf("the corpus exercises only %d rules", len(rules))
	}
}

// BenchmarkCheck_Kubernetes checks 2,000 generated Kubernetes documents
// (strict decoding, every KU rule) through the same path as `shipshape check`.
func BenchmarkCheck_Kubernetes(b *testing.B) {
	files := linttest.Manifests(2000, 1)
	inputs := make([]lint.Input, len(files))
	docs := 0
	for i, data := range files {
		inputs[i] = lint.Input{Kind: source.Manifest, Path: "k8s.yaml", Data: data}
		docs += strings.Count(string(data), "---\n") + 1
	}
	checkAll(b, inputs, docs, "documents/s")
}

// BenchmarkCheck_Compose checks 500 generated compose projects.
func BenchmarkCheck_Compose(b *testing.B) {
	files := linttest.ComposeFiles(500, 1)
	inputs := make([]lint.Input, len(files))
	for i, data := range files {
		inputs[i] = lint.Input{Kind: source.Compose, Path: "compose.yaml", Data: data}
	}
	checkAll(b, inputs, len(files), "projects/s")
}

// checkAll checks the inputs b.N times with every rule and reports units
// (documents, projects) per second.
func checkAll(b *testing.B, inputs []lint.Input, units int, unit string) {
	cfg := lint.DefaultConfig()
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		res := lint.Check(inputs, cfg, lint.List())
		if len(res.Errors) > 0 {
			b.Fatal(res.Errors[0])
		}
	}
	b.ReportMetric(float64(b.N*units)/time.Since(start).Seconds(), unit)
}
