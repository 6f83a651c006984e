package format

import (
	"encoding/json"
	"io"

	"github.com/shipshape/shipshape/internal/lint"
)

// Report is the JSON document `check --format json` prints; its shape is a
// public contract (see the README).
type Report struct {
	Findings []lint.Finding   `json:"findings"`
	Errors   []lint.FileError `json:"errors"`
	Summary  Summary          `json:"summary"`
}

func writeJSON(w io.Writer, res *lint.Result, _ Options) error {
	rep := Report{Findings: res.Findings, Errors: res.Errors, Summary: Summarize(res)}
	if rep.Findings == nil {
		rep.Findings = []lint.Finding{}
	}
	if rep.Errors == nil {
		rep.Errors = []lint.FileError{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(rep)
}
