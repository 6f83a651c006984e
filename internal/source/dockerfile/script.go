package dockerfile

import (
	"path"
	"strings"
	"sync"

	"mvdan.cc/sh/v3/syntax"
)

// Script is the parsed shell of one instruction.
type Script struct {
	Commands []*Command
	// Err is the shell syntax error, if the script did not parse; Commands is
	// then empty.
	Err *ScriptError
	// HasPipe is true when any command's output is piped.
	HasPipe bool
	// Language is "sh" for POSIX and bash shells, or the interpreter of a
	// heredoc with another shebang (which is not analysed).
	Language string
}

// ScriptError is a shell syntax error with its Dockerfile position.
type ScriptError struct {
	Line, Column int
	Message      string
}

// Command is one simple command of a script, e.g. `apt-get install -y curl`.
type Command struct {
	// Name is argv[0] without its directory: "apt-get".
	Name string
	// Args are argv[1:] with quotes removed; parts that are not literal keep
	// their source form ("$HOME", "$(id -u)").
	Args []string
	// Wrappers lists the commands it was run through, outermost first:
	// sudo, env, exec, nohup, nice, xargs.
	Wrappers []string
	// Line and Column locate the command in the Dockerfile.
	Line, Column int
	// PipeTo is the command that reads this command's output, or nil.
	PipeTo *Command
	// PipeFrom is the command whose output this command reads, or nil.
	PipeFrom *Command
	// Pipefail is true when `set -o pipefail` or a SHELL with pipefail is in
	// force for this command.
	Pipefail bool
	// Instruction is the instruction the command belongs to.
	Instruction *Instruction
	// Env holds the variables the shell gives the command beyond the
	// image's: its own NAME=value prefixes and what the script exported
	// before it (`export PIP_NO_CACHE_DIR=1 && pip install ...`). Nil when
	// there are none.
	Env map[string]string

	words []*syntax.Word // argv[1:] as parsed, nil for exec form
}

// Wrapped reports whether the command was run through the named wrapper.
func (c *Command) Wrapped(name string) bool {
	for _, w := range c.Wrappers {
		if w == name {
			return true
		}
	}
	return false
}

// Is reports whether the command is one of the names.
func (c *Command) Is(names ...string) bool {
	for _, n := range names {
		if c.Name == n {
			return true
		}
	}
	return false
}

// Sub returns the first argument that is not an option: the subcommand of
// apt-get, pip, npm, ...
func (c *Command) Sub() string {
	for _, a := range c.Args {
		if !strings.HasPrefix(a, "-") {
			return a
		}
	}
	return ""
}

// HasArg reports whether any argument equals one of the values.
func (c *Command) HasArg(values ...string) bool {
	for _, a := range c.Args {
		for _, v := range values {
			if a == v {
				return true
			}
		}
	}
	return false
}

// HasOption reports whether a long option (`--yes`, `--yes=...`) or a short
// option letter (`-y`, also inside `-qy`) is given.
func (c *Command) HasOption(long []string, short string) bool {
	for _, a := range c.Args {
		if a == "--" {
			return false
		}
		if strings.HasPrefix(a, "--") {
			name, _, _ := strings.Cut(a, "=")
			for _, l := range long {
				if name == l {
					return true
				}
			}
			continue
		}
		if len(a) > 1 && a[0] == '-' && short != "" && strings.ContainsAny(leadingLetters(a[1:]), short) {
			return true
		}
	}
	return false
}

// OptionCount returns how often an option is given: each long option, and
// each letter of a short-option cluster (`-qq` counts two, like `-q -q`).
func (c *Command) OptionCount(long string, short byte) int {
	n := 0
	for _, a := range c.Args {
		if a == "--" {
			break
		}
		if strings.HasPrefix(a, "--") {
			if a == long {
				n++
			}
			continue
		}
		if len(a) > 1 && a[0] == '-' && short != 0 {
			n += strings.Count(leadingLetters(a[1:]), string(short))
		}
	}
	return n
}

// OptionValue returns the value of a long option given as --name=value or
// --name value.
func (c *Command) OptionValue(long string) (string, bool) {
	for i, a := range c.Args {
		if a == long && i+1 < len(c.Args) {
			return c.Args[i+1], true
		}
		if v, ok := strings.CutPrefix(a, long+"="); ok {
			return v, true
		}
	}
	return "", false
}

// leadingLetters returns the option letters of a short-option cluster:
// "qO-" gives "qO" (the O takes the rest as its value).
func leadingLetters(s string) string {
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z') {
			return s[:i]
		}
	}
	return s
}

// Positional returns the arguments after the subcommand that are not options,
// skipping the values of the options listed in valued (e.g. "-o", "--target-release").
func (c *Command) Positional(valued ...string) []string {
	var out []string
	seenSub := false
	skip := false
	for _, a := range c.Args {
		if skip {
			skip = false
			continue
		}
		if strings.HasPrefix(a, "-") {
			for _, v := range valued {
				if a == v {
					skip = true
				}
			}
			continue
		}
		if !seenSub {
			seenSub = true
			continue
		}
		out = append(out, a)
	}
	return out
}

// Expansion is a parameter expansion written outside double quotes in an
// argument, e.g. the $DIR of `rm -rf $DIR/`.
type Expansion struct {
	Name string
	// Before is the argument's text before the expansion: "" when the
	// argument starts with it, "/opt/" for `/opt/$APP`.
	Before string
	// After is the argument's text after the expansion.
	After string
	// Guarded is true for ${VAR:-default}, ${VAR:=default} and ${VAR:?},
	// which never expand to nothing.
	Guarded bool
}

// UnquotedExpansions returns, for each argument, the parameter expansions it
// holds outside double quotes. Exec-form commands have none.
func (c *Command) UnquotedExpansions() [][]Expansion {
	out := make([][]Expansion, len(c.words))
	for i, w := range c.words {
		for j, p := range w.Parts {
			pe, ok := p.(*syntax.ParamExp)
			if !ok || pe.Param == nil {
				continue
			}
			var before, after strings.Builder
			for _, q := range w.Parts[:j] {
				partText(&before, q)
			}
			for _, q := range w.Parts[j+1:] {
				partText(&after, q)
			}
			guarded := pe.Exp != nil && (pe.Exp.Op == syntax.DefaultUnsetOrNull || pe.Exp.Op == syntax.AssignUnsetOrNull || pe.Exp.Op == syntax.ErrorUnsetOrNull)
			out[i] = append(out[i], Expansion{Name: pe.Param.Value, Before: before.String(), After: after.String(), Guarded: guarded})
		}
	}
	return out
}

var parserPool = sync.Pool{New: func() any {
	return syntax.NewParser(syntax.Variant(syntax.LangBash))
}}

// parseScript parses src as a shell script whose first line is Dockerfile line
// firstLine and whose first column is offset by colShift on that line.
func parseScript(src string, firstLine int, in *Instruction, pipefail bool) *Script {
	p := parserPool.Get().(*syntax.Parser)
	defer parserPool.Put(p)
	f, err := p.Parse(strings.NewReader(src), "")
	sc := &Script{Language: "sh"}
	if err != nil {
		se := &ScriptError{Line: firstLine, Column: 1, Message: err.Error()}
		if pe, ok := err.(syntax.ParseError); ok {
			se.Line = firstLine + int(pe.Pos.Line()) - 1
			se.Column = int(pe.Pos.Col())
			se.Message = pe.Text
		}
		sc.Err = se
		return sc
	}
	b := scriptBuilder{script: sc, firstLine: firstLine, in: in, pipefail: pipefail}
	b.stmts(f.Stmts)
	return sc
}

type scriptBuilder struct {
	script    *Script
	firstLine int
	in        *Instruction
	pipefail  bool
	// exported is what the script has exported so far; replaced, never
	// changed, so commands can share it.
	exported map[string]string
}

func (b *scriptBuilder) stmts(list []*syntax.Stmt) {
	for _, s := range list {
		b.stmt(s)
	}
}

func (b *scriptBuilder) stmt(s *syntax.Stmt) *Command {
	if s == nil || s.Cmd == nil {
		return nil
	}
	for _, r := range s.Redirs {
		b.word(r.Word)
	}
	return b.command(s.Cmd)
}

// command records the simple commands in c and returns the last one, which is
// the one whose output a pipe would read.
func (b *scriptBuilder) command(c syntax.Command) *Command {
	switch c := c.(type) {
	case *syntax.CallExpr:
		for _, a := range c.Assigns {
			b.word(a.Value)
		}
		for _, w := range c.Args {
			b.word(w)
		}
		if len(c.Args) == 0 {
			return nil
		}
		return b.call(c.Args, c.Assigns)
	case *syntax.BinaryCmd:
		if c.Op == syntax.Pipe || c.Op == syntax.PipeAll {
			b.script.HasPipe = true
			left := b.stmt(c.X)
			right := b.stmtFirst(c.Y)
			if left != nil && right != nil {
				left.PipeTo = right
				right.PipeFrom = left
			}
			return b.last()
		}
		b.stmt(c.X)
		return b.stmt(c.Y)
	case *syntax.Subshell:
		b.stmts(c.Stmts)
	case *syntax.Block:
		b.stmts(c.Stmts)
	case *syntax.IfClause:
		for cl := c; cl != nil; cl = cl.Else {
			b.stmts(cl.Cond)
			b.stmts(cl.Then)
		}
	case *syntax.WhileClause:
		b.stmts(c.Cond)
		b.stmts(c.Do)
	case *syntax.ForClause:
		b.stmts(c.Do)
	case *syntax.CaseClause:
		for _, item := range c.Items {
			b.stmts(item.Stmts)
		}
	case *syntax.FuncDecl:
		b.stmt(c.Body)
	case *syntax.TimeClause:
		return b.stmt(c.Stmt)
	case *syntax.DeclClause:
		for _, a := range c.Args {
			b.word(a.Value)
		}
		if c.Variant != nil && c.Variant.Value == "export" {
			b.export(c.Args)
		}
	}
	return nil
}

// stmtFirst records s and returns its first simple command: the reader of a pipe.
func (b *scriptBuilder) stmtFirst(s *syntax.Stmt) *Command {
	before := len(b.script.Commands)
	b.stmt(s)
	if len(b.script.Commands) > before {
		return b.script.Commands[before]
	}
	return nil
}

func (b *scriptBuilder) last() *Command {
	if n := len(b.script.Commands); n > 0 {
		return b.script.Commands[n-1]
	}
	return nil
}

// word looks into command substitutions, e.g. `sh -c "$(curl -fsSL x)"`.
func (b *scriptBuilder) word(w *syntax.Word) {
	if w == nil {
		return
	}
	for _, p := range w.Parts {
		b.part(p)
	}
}

func (b *scriptBuilder) part(p syntax.WordPart) {
	switch p := p.(type) {
	case *syntax.CmdSubst:
		b.stmts(p.Stmts)
	case *syntax.DblQuoted:
		for _, q := range p.Parts {
			b.part(q)
		}
	case *syntax.ProcSubst:
		b.stmts(p.Stmts)
	}
}

var wrappers = map[string]bool{"sudo": true, "env": true, "exec": true, "nohup": true, "nice": true, "xargs": true, "command": true, "time": true, "doas": true, "su-exec": true, "gosu": true, "tini": true, "dumb-init": true}

// export records `export NAME=value` for the commands that follow.
func (b *scriptBuilder) export(assigns []*syntax.Assign) {
	next := make(map[string]string, len(b.exported)+len(assigns))
	for k, v := range b.exported {
		next[k] = v
	}
	for _, a := range assigns {
		if a.Name != nil && a.Value != nil {
			next[a.Name.Value] = wordText(a.Value)
		}
	}
	b.exported = next
}

// withVar returns env with one more variable, leaving env as it was.
func withVar(env map[string]string, name, value string) map[string]string {
	next := make(map[string]string, len(env)+1)
	for k, v := range env {
		next[k] = v
	}
	next[name] = value
	return next
}

// envOf is the environment a command gets from the script: the exports so
// far and its own NAME=value prefixes.
func (b *scriptBuilder) envOf(assigns []*syntax.Assign) map[string]string {
	if len(assigns) == 0 {
		return b.exported
	}
	env := make(map[string]string, len(b.exported)+len(assigns))
	for k, v := range b.exported {
		env[k] = v
	}
	for _, a := range assigns {
		if a.Name != nil {
			env[a.Name.Value] = ""
			if a.Value != nil {
				env[a.Name.Value] = wordText(a.Value)
			}
		}
	}
	return env
}

func (b *scriptBuilder) call(words []*syntax.Word, assigns []*syntax.Assign) *Command {
	args := make([]string, len(words))
	for i, w := range words {
		args[i] = wordText(w)
	}
	pos := words[0].Pos()
	cmd := &Command{
		Line:        b.firstLine + int(pos.Line()) - 1,
		Column:      int(pos.Col()),
		Instruction: b.in,
		Pipefail:    b.pipefail,
		Env:         b.envOf(assigns),
	}
	// Peel wrappers so that `sudo apt-get install` is judged as apt-get.
	i := 0
	for i < len(args)-1 && wrappers[path.Base(args[i])] {
		w := path.Base(args[i])
		cmd.Wrappers = append(cmd.Wrappers, w)
		i++
		for i < len(args)-1 && wrapperArg(w, args[i]) {
			if name, value, ok := strings.Cut(args[i], "="); ok && w == "env" {
				cmd.Env = withVar(cmd.Env, name, value)
			}
			i++
		}
	}
	cmd.Name = path.Base(args[i])
	cmd.Args = args[i+1:]
	cmd.words = words[i+1:]
	if cmd.Name == "set" && setsPipefail(cmd.Args) {
		b.pipefail = true
	}
	b.script.Commands = append(b.script.Commands, cmd)
	return cmd
}

// wrapperArg reports whether arg belongs to the wrapper rather than being the
// wrapped command: options, and env's NAME=value.
func wrapperArg(wrapper, arg string) bool {
	if strings.HasPrefix(arg, "-") {
		return true
	}
	if wrapper == "env" && strings.Contains(arg, "=") {
		return true
	}
	if (wrapper == "su-exec" || wrapper == "gosu") && !strings.Contains(arg, "/") {
		return true // the user to switch to
	}
	return false
}

func setsPipefail(args []string) bool {
	for i, a := range args {
		if a == "pipefail" && i > 0 && strings.HasPrefix(args[i-1], "-") && strings.HasSuffix(args[i-1], "o") {
			return true
		}
		if a == "-o" && i+1 < len(args) && args[i+1] == "pipefail" {
			return true
		}
	}
	return false
}

// wordText renders a word with quotes removed; expansions keep their source form.
func wordText(w *syntax.Word) string {
	if lit := w.Lit(); lit != "" || len(w.Parts) == 0 {
		return lit
	}
	var sb strings.Builder
	for _, p := range w.Parts {
		partText(&sb, p)
	}
	return sb.String()
}

func partText(sb *strings.Builder, p syntax.WordPart) {
	switch p := p.(type) {
	case *syntax.Lit:
		sb.WriteString(unescapeLit(p.Value))
	case *syntax.SglQuoted:
		sb.WriteString(p.Value)
	case *syntax.DblQuoted:
		for _, q := range p.Parts {
			partText(sb, q)
		}
	case *syntax.ParamExp:
		if p.Param != nil {
			if p.Short {
				sb.WriteString("$" + p.Param.Value)
			} else {
				sb.WriteString("${" + p.Param.Value + "}")
			}
		}
	case *syntax.CmdSubst:
		sb.WriteString("$(...)")
	default:
		sb.WriteString("?")
	}
}

func unescapeLit(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		sb.WriteByte(s[i])
	}
	return sb.String()
}

// execScript builds the script of an exec-form instruction: one command, or,
// for `["sh", "-c", "..."]`, the parsed -c string.
func execScript(args []string, line int, in *Instruction, pipefail bool) *Script {
	if len(args) == 0 {
		return &Script{Language: "sh"}
	}
	if isShell(args[0]) {
		for i := 1; i < len(args)-1; i++ {
			if strings.HasPrefix(args[i], "-") && strings.Contains(args[i], "c") && !strings.HasPrefix(args[i], "--") {
				sc := parseScript(args[i+1], line, in, pipefail || containsPipefail(args[1:i+1]))
				for _, c := range sc.Commands {
					c.Line, c.Column = line, in.Column
				}
				return sc
			}
		}
	}
	cmd := &Command{Name: path.Base(args[0]), Args: args[1:], Line: line, Column: in.Column, Instruction: in, Pipefail: pipefail}
	return &Script{Language: "sh", Commands: []*Command{cmd}}
}

func isShell(name string) bool {
	switch path.Base(name) {
	case "sh", "bash", "ash", "dash", "zsh", "ksh":
		return true
	}
	return false
}

func containsPipefail(args []string) bool {
	for i, a := range args {
		if a == "pipefail" && i > 0 && strings.HasSuffix(args[i-1], "o") {
			return true
		}
	}
	return false
}
