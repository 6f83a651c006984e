// Package problem is the error every loader returns for an input it cannot
// read: the file, the line, what is wrong and, where it helps, what to do.
package problem

import "fmt"

// Error is an input file that cannot be loaded as written.
type Error struct {
	Path    string
	Line    int
	Message string
	// Hint says what to do about it.
	Hint string
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s:%d: %s", e.Path, e.Line, e.Message)
	if e.Hint != "" {
		msg += " (" + e.Hint + ")"
	}
	return msg
}
