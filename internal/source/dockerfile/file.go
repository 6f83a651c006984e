package dockerfile

import (
	"strings"
)

// File is one parsed Dockerfile.
type File struct {
	// Path is the name the file is reported under.
	Path string
	// ContextDir is the build context directory, or "" when unknown (stdin).
	ContextDir string
	// Escape is the escape character in force (`\` unless a directive says otherwise).
	Escape rune
	// Instructions lists every top-level instruction in order.
	Instructions []*Instruction
	// Stages lists the build stages in order; global ARGs belong to none.
	Stages []*Stage
	// Comments are the comment lines outside instructions, for pragmas.
	Comments []Comment
	// Target names the stage that is built (docker build --target); "" means the last.
	Target string

	lines []string
}

// Comment is one `#` line of the file.
type Comment struct {
	Line int
	Text string // without the leading '#', trimmed
}

// Line returns the source text of line n (1-based), or "".
func (f *File) Line(n int) string {
	if n < 1 || n > len(f.lines) {
		return ""
	}
	return strings.TrimRight(f.lines[n-1], "\r")
}

// FinalStage returns the stage the build produces: the --target stage when
// the file has it, else the last one.
func (f *File) FinalStage() *Stage {
	if len(f.Stages) == 0 {
		return nil
	}
	if f.Target != "" {
		if st := f.StageByName(f.Target); st != nil {
			return st
		}
	}
	return f.Stages[len(f.Stages)-1]
}

// StageByName finds a stage by its alias or index, as COPY --from refers to it.
func (f *File) StageByName(name string) *Stage {
	for _, s := range f.Stages {
		if s.Name != "" && strings.EqualFold(s.Name, name) {
			return s
		}
	}
	return nil
}

// ContextKnown reports whether the build context is on disk.
func (f *File) ContextKnown() bool { return f.ContextDir != "" }

// Stage is one FROM and the instructions after it.
type Stage struct {
	Index int
	// Name is the alias given with AS, or "".
	Name string
	From *Instruction
	// Image is the base image with build args resolved.
	Image Image
	// Base is the earlier stage this one builds on, or nil for an image.
	Base *Stage
	// Platform is the --platform value as written, or "".
	Platform string
	// Instructions are the stage's instructions, FROM first.
	Instructions []*Instruction

	// env is the ENV the stage's image carries at its end, its base
	// stage's included.
	env *vars
}

// Ref returns how other instructions refer to the stage: its alias or index.
func (s *Stage) Ref() string {
	if s.Name != "" {
		return s.Name
	}
	return itoa(s.Index)
}

// Chain returns the stage and then the stages it builds on, nearest first.
func (s *Stage) Chain() []*Stage {
	var out []*Stage
	for st := s; st != nil; st = st.Base { // Base is always an earlier stage: no cycles
		out = append(out, st)
	}
	return out
}

// Root returns the image the stage ultimately builds on.
func (s *Stage) Root() Image {
	chain := s.Chain()
	return chain[len(chain)-1].Image
}

// Last returns the last instruction with the keyword in the stage or the
// stages it builds on, or nil.
func (s *Stage) Last(keyword string) *Instruction {
	for _, st := range s.Chain() {
		for i := len(st.Instructions) - 1; i >= 0; i-- {
			if st.Instructions[i].Keyword == keyword {
				return st.Instructions[i]
			}
		}
	}
	return nil
}

// All returns the instructions with the keyword in this stage only.
func (s *Stage) All(keyword string) []*Instruction {
	var out []*Instruction
	for _, in := range s.Instructions {
		if in.Keyword == keyword {
			out = append(out, in)
		}
	}
	return out
}

// Commands returns the shell commands of every RUN in the stage and the stages
// it builds on.
func (s *Stage) Commands() []*Command {
	var out []*Command
	for _, st := range s.Chain() {
		for _, in := range st.Instructions {
			if in.Keyword == "RUN" && in.Script != nil {
				out = append(out, in.Script.Commands...)
			}
		}
	}
	return out
}

func itoa(n int) string {
	if n >= 0 && n < 10 {
		return string(rune('0' + n))
	}
	var b [20]byte
	i := len(b)
	neg := n < 0
	if neg {
		n = -n
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
