package dockerfile

import "strings"

// Instruction is one Dockerfile instruction.
type Instruction struct {
	// Keyword is the instruction name in upper case: "RUN", "COPY", ...
	Keyword string
	// Line and EndLine are the first and last source lines (1-based), heredoc bodies included.
	Line, EndLine int
	// Column is where the keyword starts on Line.
	Column int
	Flags  []Flag
	// Args are the arguments after the flags. Shell-form RUN, CMD and
	// ENTRYPOINT have one argument, the script; exec form has one per element.
	Args []string
	// Exec is true for the JSON (exec) form.
	Exec bool
	// Raw is the instruction text with continuations joined, keyword included.
	Raw string
	// Pairs holds the key/value pairs of ENV, LABEL and ARG.
	Pairs    []Pair
	Heredocs []Heredoc
	// Comments are the comment lines directly above the instruction.
	Comments []string
	// Stage is the stage the instruction belongs to; nil for ARGs before the first FROM.
	Stage *Stage
	// Script is the parsed shell of RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD.
	Script *Script
	// Shell is the SHELL in force for this instruction.
	Shell []string
	// Sub is the instruction an ONBUILD wraps.
	Sub *Instruction
	// Trigger is true for the instruction an ONBUILD wraps: it runs when
	// another image is built FROM this one, not in this build.
	Trigger bool

	vars *vars
}

// Flag is one `--name=value` flag of an instruction.
type Flag struct {
	Name     string
	Value    string
	HasValue bool
}

// Pair is one key/value of ENV, LABEL or ARG, with quotes removed.
type Pair struct {
	Key      string
	Value    string
	HasValue bool
}

// Heredoc is a here-document attached to RUN, COPY or ADD.
type Heredoc struct {
	Name    string
	Content string
	// Line is the first line of the body.
	Line   int
	Expand bool
}

// Flag returns the value of the named flag (without dashes) and whether it is set.
func (in *Instruction) Flag(name string) (string, bool) {
	for _, f := range in.Flags {
		if f.Name == name {
			return f.Value, true
		}
	}
	return "", false
}

// FlagValues returns every value given to a repeatable flag such as --mount.
func (in *Instruction) FlagValues(name string) []string {
	var out []string
	for _, f := range in.Flags {
		if f.Name == name {
			out = append(out, f.Value)
		}
	}
	return out
}

// Mounts returns the parsed --mount flags of a RUN.
func (in *Instruction) Mounts() []Mount {
	var out []Mount
	for _, v := range in.FlagValues("mount") {
		out = append(out, parseMount(v))
	}
	return out
}

// HasCacheMount reports whether a RUN mounts a cache (or tmpfs) at a target
// under one of the given directories.
func (in *Instruction) HasCacheMount(dirs ...string) bool {
	for _, m := range in.Mounts() {
		if m.Type != "cache" && m.Type != "tmpfs" {
			continue
		}
		for _, d := range dirs {
			if m.Target == d || strings.HasPrefix(m.Target, strings.TrimSuffix(d, "/")+"/") || strings.HasPrefix(d, strings.TrimSuffix(m.Target, "/")+"/") {
				return true
			}
		}
	}
	return false
}

// Mount is one --mount flag.
type Mount struct {
	Type   string // bind (default), cache, tmpfs, secret, ssh
	Target string
	Source string
	ID     string
	// From is the stage or image a bind or cache mount reads from.
	From string
}

func parseMount(v string) Mount {
	m := Mount{Type: "bind"}
	for _, field := range strings.Split(v, ",") {
		key, val, _ := strings.Cut(field, "=")
		switch strings.ToLower(strings.TrimSpace(key)) {
		case "type":
			m.Type = val
		case "target", "dst", "destination":
			m.Target = val
		case "source", "src":
			m.Source = val
		case "id":
			m.ID = val
		case "from":
			m.From = val
		}
	}
	if m.Type == "secret" && m.Target == "" && m.ID != "" {
		m.Target = "/run/secrets/" + m.ID
	}
	return m
}

// Expand substitutes the ARG and ENV values in force at this instruction into
// word. ok is false when a variable has no known value.
func (in *Instruction) Expand(word string) (string, bool) {
	return in.vars.expand(word)
}

// Lookup returns the value of an ARG or ENV in force at this instruction.
func (in *Instruction) Lookup(name string) (string, bool) {
	return in.vars.lookup(name)
}

// Text returns the instruction's arguments as written, flags and keyword removed.
func (in *Instruction) Text() string {
	rest := strings.TrimSpace(in.Raw)
	rest = strings.TrimSpace(rest[min(len(in.Keyword), len(rest)):])
	for strings.HasPrefix(rest, "--") {
		i := strings.IndexAny(rest, " \t")
		if i < 0 {
			return ""
		}
		rest = strings.TrimSpace(rest[i:])
	}
	return rest
}

// SourcePaths returns the sources of COPY or ADD (everything but the
// destination), with the quotes Docker removes removed: `ADD "app.tgz" /srv`
// adds app.tgz.
func (in *Instruction) SourcePaths() []string {
	if len(in.Heredocs) > 0 || len(in.Args) < 2 {
		return nil
	}
	out := make([]string, len(in.Args)-1)
	for i, a := range in.Args[:len(in.Args)-1] {
		out[i] = unquote(a)
	}
	return out
}

// Destination returns the destination of COPY or ADD, unquoted.
func (in *Instruction) Destination() string {
	if len(in.Args) == 0 {
		return ""
	}
	return unquote(in.Args[len(in.Args)-1])
}

// unquote removes the quotes around a shell-form word; the exec form has
// none left.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}
