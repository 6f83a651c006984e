package format

import (
	"bufio"
	"encoding/json"
	"io"

	"github.com/shipshape/shipshape/internal/lint"
)

// Report is the JSON document `check --format json` prints; its shape is a
// public contract (see docs/check.md).
type Report struct {
	Findings []lint.Finding   `json:"findings"`
	Errors   []lint.FileError `json:"errors"`
	Summary  Summary          `json:"summary"`
}

// writeJSON streams the Report one finding at a time, so that a tree with
// hundreds of thousands of findings never holds the whole document in memory.
// The bytes are those of json.Encoder with a two-space indent.
func writeJSON(w io.Writer, res *lint.Result, _ Options) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("{\n")
	if err := writeJSONArray(bw, "findings", len(res.Findings), func(i int) any { return res.Findings[i] }); err != nil {
		return err
	}
	bw.WriteString(",\n")
	if err := writeJSONArray(bw, "errors", len(res.Errors), func(i int) any { return res.Errors[i] }); err != nil {
		return err
	}
	summary, err := json.MarshalIndent(Summarize(res), "  ", "  ")
	if err != nil {
		return err
	}
	bw.WriteString(",\n  \"summary\": ")
	bw.Write(summary)
	bw.WriteString("\n}\n")
	return bw.Flush()
}

func writeJSONArray(bw *bufio.Writer, key string, n int, item func(int) any) error {
	bw.WriteString("  \"" + key + "\": [")
	if n == 0 {
		bw.WriteString("]")
		return nil
	}
	for i := 0; i < n; i++ {
		data, err := json.MarshalIndent(item(i), "    ", "  ")
		if err != nil {
			return err
		}
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n    ")
		bw.Write(data)
	}
	bw.WriteString("\n  ]")
	return nil
}
