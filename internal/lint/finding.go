package lint

import (
	"sort"
)

// Finding is one problem at one place. Its JSON form is a public contract.
type Finding struct {
	Rule     string   `json:"rule"`
	Name     string   `json:"name"`
	Severity Severity `json:"severity"`
	File     string   `json:"file"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Message  string   `json:"message"`
	Fix      string   `json:"fix"`
	// Source is the text of the line, for the caret in text output.
	Source string `json:"-"`
}

// FileError is a file that could not be checked: unreadable, or not a valid
// Dockerfile. It always names a line (1 when the problem is the whole file).
type FileError struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// Result is the outcome of one `check` run.
type Result struct {
	Findings []Finding
	Errors   []FileError
	// Files are the files checked, failed ones included, in input order.
	Files []string
}

// Count returns the number of findings at each severity.
func (r *Result) Count() map[Severity]int {
	out := map[Severity]int{}
	for _, f := range r.Findings {
		out[f.Severity]++
	}
	return out
}

// Failed reports whether any finding is at or above the threshold.
// A threshold of SeverityNone never fails.
func (r *Result) Failed(threshold Severity) bool {
	if threshold == SeverityNone {
		return false
	}
	for _, f := range r.Findings {
		if f.Severity >= threshold {
			return true
		}
	}
	return false
}

// Sort orders findings by file, line, column and rule, and errors by file,
// and drops repeats: a kustomize base built alone and through each overlay
// reports the same finding in the same file more than once.
func (r *Result) Sort() {
	sort.SliceStable(r.Findings, func(i, j int) bool { return lessFinding(&r.Findings[i], &r.Findings[j]) })
	kept := r.Findings[:0]
	for i, f := range r.Findings {
		if i > 0 && f == r.Findings[i-1] {
			continue
		}
		kept = append(kept, f)
	}
	r.Findings = kept
	sort.SliceStable(r.Errors, func(i, j int) bool {
		if r.Errors[i].File != r.Errors[j].File {
			return r.Errors[i].File < r.Errors[j].File
		}
		return r.Errors[i].Line < r.Errors[j].Line
	})
}

func lessFinding(a, b *Finding) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Line != b.Line {
		return a.Line < b.Line
	}
	if a.Column != b.Column {
		return a.Column < b.Column
	}
	return a.Rule < b.Rule
}
