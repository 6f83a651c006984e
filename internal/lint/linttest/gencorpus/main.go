// Command gencorpus writes generated inputs for load tests and benchmarks
// of `shipshape check`:
//
//	go run ./internal/lint/linttest/gencorpus -n 10000 DIR              Dockerfiles
//	go run ./internal/lint/linttest/gencorpus -kind kube -n 2000 DIR    Kubernetes documents
//	go run ./internal/lint/linttest/gencorpus -kind compose -n 500 DIR  compose projects
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/shipshape/shipshape/internal/lint/linttest"
)

func main() {
	n := flag.Int("n", 10000, "number of Dockerfiles, Kubernetes documents or compose projects")
	seed := flag.Uint64("seed", 1, "random seed; the same seed writes the same tree")
	kind := flag.String("kind", "dockerfile", "dockerfile, kube or compose")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: gencorpus [-kind dockerfile|kube|compose] [-n N] [-seed S] DIR")
		os.Exit(2)
	}
	dir := flag.Arg(0)
	var err error
	switch *kind {
	case "dockerfile":
		err = linttest.WriteTree(dir, *n, *seed)
	case "kube":
		err = writeFiles(dir, "app%04d.yaml", linttest.Manifests(*n, *seed))
	case "compose":
		err = writeFiles(dir, "project%04d/compose.yaml", linttest.ComposeFiles(*n, *seed))
	default:
		err = fmt.Errorf("unknown -kind %q", *kind)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
}

func writeFiles(dir, pattern string, files [][]byte) error {
	for i, data := range files {
		p := filepath.Join(dir, fmt.Sprintf(pattern, i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return err
		}
	}
	return nil
}
