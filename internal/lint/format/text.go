package format

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
)

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBlue   = "\x1b[34m"
	ansiCyan   = "\x1b[36m"
)

// writeText prints each finding with its source line and a caret, then a summary:
//
//	Dockerfile:4:1: error DF012 last-user-root: the final stage runs as "root"
//	   4 | USER root
//	     | ^
//	  fix: End the final stage with a non-root `USER 10001:10001`.
func writeText(w io.Writer, res *lint.Result, opts Options) error {
	bw := bufio.NewWriter(w)
	paint := func(code, s string) string {
		if !opts.Color {
			return s
		}
		return code + s + ansiReset
	}
	for _, e := range res.Errors {
		fmt.Fprintf(bw, "%s: %s %s\n", paint(ansiBold, fmt.Sprintf("%s:%d", e.File, e.Line)), paint(ansiRed, "parse error:"), e.Message)
	}
	if len(res.Errors) > 0 && len(res.Findings) > 0 {
		bw.WriteString("\n")
	}
	for i, f := range res.Findings {
		if i > 0 {
			bw.WriteString("\n")
		}
		sev := f.Severity.String()
		switch f.Severity {
		case lint.Error:
			sev = paint(ansiRed+ansiBold, sev)
		case lint.Warning:
			sev = paint(ansiYellow+ansiBold, sev)
		default:
			sev = paint(ansiBlue+ansiBold, sev)
		}
		fmt.Fprintf(bw, "%s: %s %s %s: %s\n",
			paint(ansiBold, fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)),
			sev, paint(ansiCyan, f.Rule), paint(ansiDim, f.Name), f.Message)
		if f.Source != "" {
			num := fmt.Sprintf("%4d", f.Line)
			src := strings.ReplaceAll(f.Source, "\t", " ")
			fmt.Fprintf(bw, "%s %s %s\n", paint(ansiDim, num), paint(ansiDim, "|"), src)
			col := min(max(f.Column, 1), len(src)+1)
			fmt.Fprintf(bw, "%s %s %s%s\n", strings.Repeat(" ", len(num)), paint(ansiDim, "|"), strings.Repeat(" ", col-1), paint(ansiRed, "^"))
		}
		if f.Fix != "" {
			fmt.Fprintf(bw, "  %s %s\n", paint(ansiBold, "fix:"), f.Fix)
		}
	}
	if len(res.Findings) > 0 || len(res.Errors) > 0 {
		bw.WriteString("\n")
	}
	bw.WriteString(summaryLine(Summarize(res)) + "\n")
	return bw.Flush()
}

func summaryLine(s Summary) string {
	var parts []string
	for _, c := range []struct {
		n    int
		name string
	}{{s.Error, "error"}, {s.Warning, "warning"}, {s.Info, "info"}} {
		if c.n > 0 {
			parts = append(parts, plural(c.n, c.name))
		}
	}
	line := plural(s.Findings, "finding")
	if len(parts) > 0 {
		line += " (" + strings.Join(parts, ", ") + ")"
	}
	line += " in " + plural(s.Files, "file") + " checked"
	if s.Errors > 0 {
		line += "; " + plural(s.Errors, "file") + " could not be parsed"
	}
	return line
}

func plural(n int, word string) string {
	if n == 1 || word == "info" {
		return fmt.Sprintf("%d %s", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
