// Package cli is shipshape's command line: one file per verb, each with a
// typed options struct that validates itself before the command runs.
package cli
