package format

import (
	"encoding/xml"
	"fmt"
	"io"
	"sort"

	"github.com/shipshape/shipshape/internal/lint"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
}

type junitProblem struct {
	Type    string `xml:"type,attr"`
	Message string `xml:"message,attr"`
	Body    string `xml:",chardata"`
}

// writeJUnit makes one test suite per file and one failing test case per
// finding; a clean file is one passing case, a file that did not parse one error.
func writeJUnit(w io.Writer, res *lint.Result, _ Options) error {
	byFile := map[string][]lint.Finding{}
	for _, f := range res.Findings {
		byFile[f.File] = append(byFile[f.File], f)
	}
	errs := map[string]lint.FileError{}
	for _, e := range res.Errors {
		errs[e.File] = e
	}
	doc := junitSuites{Name: "shipshape check"}
	for _, file := range sortedFiles(res) {
		suite := junitSuite{Name: file}
		if e, ok := errs[file]; ok {
			suite.Cases = append(suite.Cases, junitCase{Classname: file, Name: "parse",
				Error: &junitProblem{Type: "parse", Message: e.Message, Body: fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Message)}})
			suite.Errors++
		}
		for _, f := range byFile[file] {
			suite.Cases = append(suite.Cases, junitCase{
				Classname: file,
				Name:      fmt.Sprintf("%s %s (line %d)", f.Rule, f.Name, f.Line),
				Failure: &junitProblem{Type: f.Severity.String(), Message: f.Message,
					Body: fmt.Sprintf("%s:%d:%d: %s %s: %s\nfix: %s", f.File, f.Line, f.Column, f.Severity, f.Rule, f.Message, f.Fix)},
			})
			suite.Failures++
		}
		if len(suite.Cases) == 0 {
			suite.Cases = append(suite.Cases, junitCase{Classname: file, Name: "no findings"})
		}
		suite.Tests = len(suite.Cases)
		doc.Tests += suite.Tests
		doc.Failures += suite.Failures
		doc.Errors += suite.Errors
		doc.Suites = append(doc.Suites, suite)
	}
	return writeXML(w, doc)
}

// sortedFiles lists every file checked, in sorted order.
func sortedFiles(res *lint.Result) []string {
	seen := map[string]bool{}
	var out []string
	add := func(f string) {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	for _, f := range res.Files {
		add(f)
	}
	for _, f := range res.Findings {
		add(f.File)
	}
	for _, e := range res.Errors {
		add(e.File)
	}
	sort.Strings(out)
	return out
}
