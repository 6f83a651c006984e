// Command gencorpus writes a tree of generated Dockerfiles for load tests of
// `shipshape check`: go run ./internal/lint/linttest/gencorpus -n 10000 DIR
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/shipshape/shipshape/internal/lint/linttest"
)

func main() {
	n := flag.Int("n", 10000, "number of Dockerfiles")
	seed := flag.Uint64("seed", 1, "random seed; the same seed writes the same tree")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: gencorpus [-n N] [-seed S] DIR")
		os.Exit(2)
	}
	if err := linttest.WriteTree(flag.Arg(0), *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "gencorpus:", err)
		os.Exit(1)
	}
}
