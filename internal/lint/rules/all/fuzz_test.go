package all

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/lint/linttest"
	"github.com/shipshape/shipshape/internal/project"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

// FuzzCheck feeds arbitrary bytes through the parse+lint entry point with
// every rule on: it must return a model or a ParseError, never panic, and
// every finding must point at a line of the input.
func FuzzCheck(f *testing.F) {
	_ = filepath.WalkDir(filepath.Join("..", "dockerfile", "testdata"), func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(path, ".Dockerfile") || d.Name() == "Dockerfile") {
			if data, err := os.ReadFile(path); err == nil {
				f.Add(data)
			}
		}
		return nil
	})
	for _, data := range linttest.Corpus(50, 7) {
		f.Add(data)
	}
	f.Add([]byte("# escape=`\nFROM windows:1.0.0\nRUN dir `\n  /w\n"))
	f.Add([]byte("FROM a\nONBUILD ONBUILD RUN x\n"))
	f.Add([]byte("FROM a\nRUN <<A <<B\na\nA\nb\nB\n"))

	cfg := lint.DefaultConfig()
	cfg.Profile = lint.ProfileProduction
	cfg.TrustedRegistries = []string{"docker.io"}
	cfg.RequiredLabels = []string{"org.opencontainers.image.source"}
	cfg.LabelSchema = map[string]string{"org.opencontainers.image.created": "rfc3339", "version": "semver"}
	cfg.StrictLabels = true
	runner := lint.NewRunner(cfg, lint.List(), project.NewModel())
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := df.Parse(data, df.Options{Path: "Dockerfile", BuildArgs: map[string]string{"BASE": "python:3.12.7"}})
		if err != nil {
			if _, ok := err.(*df.ParseError); !ok {
				t.Fatalf("error is not a ParseError: %T %v", err, err)
			}
			return
		}
		lines := strings.Count(string(data), "\n") + 1
		for _, fd := range runner.CheckDockerfile(file) {
			if fd.Line < 1 || fd.Line > lines || fd.Column < 1 || fd.Message == "" {
				t.Fatalf("finding out of range: %+v (input has %d lines)", fd, lines)
			}
		}
	})
}
