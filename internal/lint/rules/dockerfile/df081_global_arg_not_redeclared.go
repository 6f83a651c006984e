package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF081", Name: "global-arg-not-redeclared", Severity: lint.Warning,
			Summary: "An instruction uses an ARG declared before FROM without declaring it again in its stage.",
			Rationale: "ARGs before the first FROM are only visible to FROM lines; inside a stage the variable is empty unless " +
				"redeclared with `ARG NAME`, so `RUN pip install app==$VERSION` installs an unpinned package.",
			Fix:         "Add `ARG NAME` (no value: it inherits the global default) at the top of each stage that uses it.",
			Differences: "No hadolint rule; BuildKit's own check calls it UndefinedVar.",
		},
		File: func(r *lint.Report, f *df.File) {
			var globalNames []string
			for _, in := range f.Instructions {
				if in.Stage != nil {
					break
				}
				if in.Keyword == "ARG" {
					for _, p := range in.Pairs {
						globalNames = append(globalNames, p.Key)
					}
				}
			}
			if len(globalNames) == 0 {
				return
			}
			for _, st := range f.Stages {
				reported := map[string]bool{}
				for _, in := range st.Instructions[1:] {
					text := in.Raw
					for _, h := range in.Heredocs {
						if h.Expand {
							text += "\n" + h.Content
						}
					}
					if !strings.Contains(text, "$") {
						continue
					}
					for _, name := range globalNames {
						if reported[name] || !mentionsVar(text, name) || setsItself(text, name) {
							continue
						}
						if _, declared := lookupDeclared(in, name); !declared {
							reported[name] = true
							r.Add(in, "%s uses $%s, declared before FROM but not in this stage, so it is empty here; add ARG %s", in.Keyword, name, name)
						}
					}
				}
			}
		},
	})
}

// mentionsVar reports whether text refers to $name or ${name...}.
func mentionsVar(text, name string) bool {
	if name == "" {
		return false
	}
	for i := strings.Index(text, name); i >= 0; {
		end := i + len(name)
		before := i > 0 && text[i-1] == '$' || i > 1 && text[i-2:i] == "${"
		after := end == len(text) || !isNameChar(text[end])
		if before && after {
			return true
		}
		next := strings.Index(text[end:], name)
		if next < 0 {
			return false
		}
		i = end + next
	}
	return false
}

func isNameChar(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// lookupDeclared reports whether a variable is declared (ARG or ENV) in the
// stage at the instruction, with or without a value.
func lookupDeclared(in *df.Instruction, name string) (string, bool) {
	for _, st := range in.Stage.Chain() {
		for _, prev := range st.Instructions {
			if st == in.Stage && prev.Line >= in.Line {
				break
			}
			if prev.Keyword != "ARG" && prev.Keyword != "ENV" {
				continue
			}
			for _, p := range prev.Pairs {
				if p.Key == name {
					return p.Value, true
				}
			}
		}
	}
	return "", false
}

// setsItself reports whether a script assigns the variable itself.
func setsItself(text, name string) bool {
	return strings.Contains(text, name+"=") || strings.Contains(text, "for "+name+" ") || strings.Contains(text, "read "+name)
}
