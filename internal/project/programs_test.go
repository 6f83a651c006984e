package project

import (
	"strings"
	"testing"
)

// FuzzPrograms feeds arbitrary code to the readers of the programs the
// code runs, in each language: every name found is one a PATH lookup
// could resolve, on a line of the file.
func FuzzPrograms(f *testing.F) {
	f.Add("package main\n\nimport \"os/exec\"\n\nfunc main() { exec.CommandContext(ctx,\n\"git\") }\n")
	f.Add("const { exec } = require('child_process');\nexec(`ffmpeg -i ${x}`);\ndb.exec('x')\n")
	f.Add("from subprocess import check_output as out\nimport subprocess as sp\nsp.run(\n    ['pg_dump'])\nout(f'ffprobe {f}')\n")
	f.Fuzz(func(t *testing.T, code string) {
		lines := strings.Split(code, "\n")
		for _, lang := range []string{"go", "node", "python", "rust"} {
			for _, e := range FilePrograms(t.TempDir(), "a", lines, lang) {
				if programName(e.Value) != e.Value || e.Value == "" || e.Line < 1 || e.Line > len(lines) {
					t.Fatalf("%s: program %q at line %d of %d", lang, e.Value, e.Line, len(lines))
				}
			}
		}
	})
}
