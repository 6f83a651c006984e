package format

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
)

// Options carry what some formats need besides the result.
type Options struct {
	// Color turns on ANSI colors in text output.
	Color bool
	// Rules are the rules that ran, for SARIF's rule metadata.
	Rules []*lint.Meta
	// Version is shipshape's version, for SARIF and JUnit.
	Version string
}

// Writer writes one result in one format.
type Writer func(w io.Writer, res *lint.Result, opts Options) error

var writers = map[string]Writer{
	"text":       writeText,
	"json":       writeJSON,
	"sarif":      writeSARIF,
	"junit":      writeJUnit,
	"checkstyle": writeCheckstyle,
	"github":     writeGitHub,
}

// Names lists the formats, sorted.
func Names() []string {
	out := make([]string, 0, len(writers))
	for n := range writers {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Write writes res in the named format.
func Write(w io.Writer, name string, res *lint.Result, opts Options) error {
	fn, ok := writers[name]
	if !ok {
		return fmt.Errorf("unknown format %q (use %s)", name, strings.Join(Names(), ", "))
	}
	return fn(w, res, opts)
}

// Structured reports whether a format is for machines, so that errors must
// also go to stderr for people to see.
func Structured(name string) bool { return name != "text" }

// Summary is the counts every format reports.
type Summary struct {
	Files    int `json:"files"`
	Findings int `json:"findings"`
	Errors   int `json:"errors"`
	Error    int `json:"error"`
	Warning  int `json:"warning"`
	Info     int `json:"info"`
}

// Summarize counts a result.
func Summarize(res *lint.Result) Summary {
	c := res.Count()
	return Summary{
		Files: len(res.Files), Findings: len(res.Findings), Errors: len(res.Errors),
		Error: c[lint.Error], Warning: c[lint.Warning], Info: c[lint.Info],
	}
}
