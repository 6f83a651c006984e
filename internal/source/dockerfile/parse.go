package dockerfile

import (
	"bytes"
	"errors"
	"fmt"
	"github.com/shipshape/shipshape/internal/source/problem"
	"strings"
	"unicode/utf8"

	"github.com/moby/buildkit/frontend/dockerfile/parser"
)

// Options say where a Dockerfile comes from and how it is built.
type Options struct {
	// Path is the name to report; it need not exist on disk.
	Path string
	// ContextDir is the build context on disk, "" if unknown.
	ContextDir string
	// BuildArgs are --build-arg values; they win over ARG defaults.
	BuildArgs map[string]string
	// Target is the stage built (docker build --target); "" means the last.
	Target string
}

// ParseError is a Dockerfile that cannot be built as written.
type ParseError = problem.Error

// maxLineLength is the longest line BuildKit's scanner reads.
const maxLineLength = 64*1024 - 1

// ErrNotDockerfile is wrapped by errors for input that is not text.
var ErrNotDockerfile = errors.New("not a Dockerfile")

var knownKeywords = map[string]bool{
	"FROM": true, "RUN": true, "CMD": true, "LABEL": true, "MAINTAINER": true, "EXPOSE": true,
	"ENV": true, "ADD": true, "COPY": true, "ENTRYPOINT": true, "VOLUME": true, "USER": true,
	"WORKDIR": true, "ARG": true, "ONBUILD": true, "STOPSIGNAL": true, "HEALTHCHECK": true, "SHELL": true,
}

// Parse reads a Dockerfile with BuildKit's parser and builds the model.
func Parse(src []byte, opts Options) (*File, error) {
	if err := checkText(src, opts.Path); err != nil {
		return nil, err
	}
	res, err := parser.Parse(bytes.NewReader(src))
	if err != nil {
		return nil, buildkitError(opts.Path, err)
	}
	if err := checkTrailingContinuation(src, res.EscapeToken, opts.Path); err != nil {
		return nil, err
	}
	f := &File{
		Path:       opts.Path,
		ContextDir: opts.ContextDir,
		Escape:     res.EscapeToken,
		Target:     opts.Target,
		lines:      strings.Split(string(src), "\n"),
	}
	b := &builder{f: f, buildArgs: opts.BuildArgs}
	for _, node := range res.AST.Children {
		if err := b.add(node); err != nil {
			return nil, err
		}
	}
	b.collectComments()
	return f, nil
}

func checkText(src []byte, path string) error {
	if i := bytes.IndexByte(src, 0); i >= 0 {
		return &ParseError{Path: path, Line: 1 + bytes.Count(src[:i], []byte("\n")),
			Message: "binary data (NUL byte): " + ErrNotDockerfile.Error(), Hint: "pass only Dockerfiles to shipshape check"}
	}
	for line, rest := 1, src; len(rest) > 0; line++ {
		end := bytes.IndexByte(rest, '\n')
		if end < 0 {
			end = len(rest)
		}
		if end > maxLineLength {
			return &ParseError{Path: path, Line: line, Message: fmt.Sprintf("line is %d KiB long; Docker accepts at most 64 KiB per line", end>>10),
				Hint: "split it with \\ continuations"}
		}
		rest = rest[min(end+1, len(rest)):]
	}
	if !utf8.Valid(src) {
		line := 1
		for len(src) > 0 {
			r, size := utf8.DecodeRune(src)
			if r == utf8.RuneError && size <= 1 {
				break
			}
			if r == '\n' {
				line++
			}
			src = src[size:]
		}
		return &ParseError{Path: path, Line: line, Message: "invalid UTF-8: " + ErrNotDockerfile.Error(), Hint: "save the file as UTF-8"}
	}
	return nil
}

// checkTrailingContinuation rejects a file whose last line continues onto a
// line that does not exist: the instruction was cut off.
func checkTrailingContinuation(src []byte, escape rune, path string) error {
	text := bytes.TrimRight(src, " \t\r\n")
	if len(text) == 0 || !bytes.HasSuffix(text, []byte(string(escape))) {
		return nil
	}
	last := text[bytes.LastIndexByte(text, '\n')+1:]
	if isCommentLine(string(last)) {
		return nil
	}
	return &ParseError{Path: path, Line: bytes.Count(text, []byte("\n")) + 1,
		Message: "the last line ends with a line continuation, so the instruction is cut off",
		Hint:    "finish the instruction or remove the trailing " + string(escape)}
}

func buildkitError(path string, err error) error {
	pe := &ParseError{Path: path, Line: 1, Message: err.Error()}
	var le *parser.LocationError
	if errors.As(err, &le) {
		if len(le.Locations) > 0 && len(le.Locations[0]) > 0 {
			pe.Line = max(1, le.Locations[0][0].Start.Line)
		}
		if inner := le.Unwrap(); inner != nil {
			pe.Message = inner.Error()
		}
	}
	switch {
	case strings.Contains(pe.Message, "unterminated heredoc"):
		pe.Hint = "end the here-document with its delimiter on a line of its own"
	case strings.Contains(pe.Message, "no instructions"):
		pe.Hint = "a Dockerfile needs at least a FROM instruction"
	}
	return pe
}

type builder struct {
	f         *File
	buildArgs map[string]string
	global    *vars
	stage     *Stage
	stageVars *vars
	shell     []string
	index     int
}

var defaultShell = []string{"/bin/sh", "-c"}

func (b *builder) add(node *parser.Node) error {
	in, err := b.instruction(node)
	if err != nil {
		return err
	}
	b.f.Instructions = append(b.f.Instructions, in)
	switch in.Keyword {
	case "FROM":
		b.from(in)
	case "ARG":
		b.arg(in)
	case "ENV":
		b.env(in)
	case "SHELL":
		if in.Exec && len(in.Args) > 0 {
			b.shell = in.Args
		}
	}
	if b.stage != nil {
		if in.Keyword != "FROM" {
			in.Stage = b.stage
			b.stage.Instructions = append(b.stage.Instructions, in)
		}
	}
	b.script(in, node)
	if in.Sub != nil {
		in.Sub.Stage = in.Stage
		b.script(in.Sub, node.Next.Children[0])
	}
	return nil
}

func (b *builder) instruction(node *parser.Node) (*Instruction, error) {
	kw := strings.ToUpper(node.Value)
	in := &Instruction{
		Keyword:  kw,
		Line:     node.StartLine,
		EndLine:  node.EndLine,
		Column:   1,
		Raw:      node.Original,
		Comments: node.PrevComment,
		Exec:     node.Attributes["json"],
		vars:     b.stageVars,
	}
	if b.stage == nil {
		in.vars = b.global
	}
	if line := b.f.Line(in.Line); line != "" {
		in.Column = 1 + len(line) - len(strings.TrimLeft(line, " \t"))
	}
	if !knownKeywords[kw] {
		return nil, &ParseError{Path: b.f.Path, Line: in.Line, Message: fmt.Sprintf("unknown instruction %q", node.Value),
			Hint: "Docker refuses to build it; check the spelling or a missing \\ on the line before"}
	}
	for _, fl := range node.Flags {
		name, value, has := strings.Cut(strings.TrimPrefix(fl, "--"), "=")
		in.Flags = append(in.Flags, Flag{Name: strings.ToLower(name), Value: value, HasValue: has})
	}
	if err := b.checkForm(in); err != nil {
		return nil, err
	}
	switch kw {
	case "ENV", "LABEL":
		for n := node.Next; n != nil && n.Next != nil; {
			val, _ := b.expandValue(in, n.Next.Value)
			in.Pairs = append(in.Pairs, Pair{Key: n.Value, Value: val, HasValue: true})
			in.Args = append(in.Args, n.Value, n.Next.Value)
			n = n.Next.Next
			if n != nil {
				n = n.Next
			}
		}
	case "ARG":
		for n := node.Next; n != nil; n = n.Next {
			key, val, has := strings.Cut(n.Value, "=")
			if has {
				val, _ = b.expandValue(in, val)
			}
			in.Pairs = append(in.Pairs, Pair{Key: key, Value: val, HasValue: has})
			in.Args = append(in.Args, n.Value)
		}
	case "ONBUILD":
		if node.Next != nil && len(node.Next.Children) > 0 {
			sub, err := b.instruction(node.Next.Children[0])
			if err != nil {
				return nil, err
			}
			sub.Line, sub.EndLine, sub.Column = in.Line, in.EndLine, in.Column
			sub.Trigger = true
			in.Sub = sub
			in.Args = []string{sub.Raw}
		}
	default:
		for n := node.Next; n != nil; n = n.Next {
			in.Args = append(in.Args, n.Value)
		}
	}
	if kw == "HEALTHCHECK" && node.Next != nil {
		in.Exec = node.Attributes["json"]
	}
	for _, p := range in.Pairs {
		if strings.TrimSpace(p.Key) == "" {
			return nil, &ParseError{Path: b.f.Path, Line: in.Line, Message: in.Keyword + " has a blank name",
				Hint: "write it as " + in.Keyword + " NAME=value"}
		}
	}
	b.heredocs(in, node)
	return in, nil
}

// checkForm rejects instructions Docker would misread: JSON that is not JSON
// (Docker silently runs it through a shell) and a SHELL not in JSON form.
func (b *builder) checkForm(in *Instruction) error {
	switch in.Keyword {
	case "CMD", "ENTRYPOINT", "RUN", "SHELL":
	default:
		return nil
	}
	if in.Exec {
		return nil
	}
	text := strings.TrimSpace(in.Text())
	if in.Keyword == "SHELL" {
		return &ParseError{Path: b.f.Path, Line: in.Line, Message: "SHELL requires the JSON form",
			Hint: `write it as SHELL ["/bin/bash", "-o", "pipefail", "-c"]`}
	}
	if looksLikeJSON(text) {
		return &ParseError{Path: b.f.Path, Line: in.Line,
			Message: in.Keyword + " looks like the exec (JSON) form but is not valid JSON, so Docker would run it as a shell command",
			Hint:    `use double quotes, commas between elements and a closing ], e.g. ["python", "app.py"]`}
	}
	return nil
}

func looksLikeJSON(text string) bool {
	if !strings.HasPrefix(text, "[") {
		return false
	}
	rest := strings.TrimLeft(text[1:], " \t")
	if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
		return false
	}
	return strings.Contains(text, `",`) || strings.Contains(text, `',`) ||
		strings.HasSuffix(text, `"]`) || strings.HasSuffix(text, `']`) ||
		(len(text) > 1 && (text[1] == '"' || text[1] == '\'') && !strings.Contains(text, "]"))
}

func (b *builder) expandValue(in *Instruction, word string) (string, bool) {
	return in.vars.expand(word)
}

func (b *builder) heredocs(in *Instruction, node *parser.Node) {
	if len(node.Heredocs) == 0 {
		return
	}
	line := b.commandEnd(in.Line, in.EndLine) + 1
	for _, h := range node.Heredocs {
		in.Heredocs = append(in.Heredocs, Heredoc{Name: h.Name, Content: h.Content, Line: line, Expand: h.Expand})
		line += strings.Count(h.Content, "\n") + 1
	}
}

// commandEnd returns the last line of the instruction's own text, following
// continuations and skipping the comment and empty lines Docker skips.
func (b *builder) commandEnd(start, limit int) int {
	l := start
	for l < limit {
		if !b.continues(b.f.Line(l)) {
			return l
		}
		l++
		for l < limit && skippedInContinuation(b.f.Line(l)) {
			l++
		}
	}
	return l
}

func (b *builder) continues(line string) bool {
	t := strings.TrimRight(line, " \t\r")
	return t != "" && rune(t[len(t)-1]) == b.f.Escape && !isCommentLine(line)
}

func skippedInContinuation(line string) bool {
	return isCommentLine(line) || strings.TrimSpace(line) == ""
}

func isCommentLine(line string) bool {
	return strings.HasPrefix(strings.TrimLeft(line, " \t"), "#")
}

func (b *builder) from(in *Instruction) {
	st := &Stage{Index: len(b.f.Stages), From: in}
	if v, ok := in.Flag("platform"); ok {
		st.Platform = v
	}
	if len(in.Args) > 0 {
		written := in.Args[0]
		name, resolved := b.global.expand(written)
		st.Image = ParseImage(name)
		st.Image.Written = written
		st.Image.Resolved = resolved
		for _, prev := range b.f.Stages {
			if prev.Name != "" && strings.EqualFold(prev.Name, name) {
				st.Base = prev
			}
		}
	}
	if len(in.Args) >= 3 && strings.EqualFold(in.Args[1], "AS") {
		st.Name = in.Args[2]
	}
	st.Instructions = []*Instruction{in}
	in.Stage = st
	b.f.Stages = append(b.f.Stages, st)
	b.stage = st
	b.stageVars = nil
	if st.Base != nil {
		// ENV is part of the image, so a stage built on another starts
		// with its variables; ARGs end with their stage.
		st.env = st.Base.env
		b.stageVars = st.env
	}
	b.shell = defaultShell
	in.vars = b.global
}

func (b *builder) arg(in *Instruction) {
	for _, p := range in.Pairs {
		value, known := p.Value, p.HasValue
		if v, ok := b.buildArgs[p.Key]; ok {
			value, known = v, true
		} else if !p.HasValue && b.stage != nil {
			value, known = b.global.lookup(p.Key)
		}
		if b.stage == nil {
			b.global = b.global.with(p.Key, value, known, b.f.Escape)
		} else {
			b.stageVars = b.stageVars.with(p.Key, value, known, b.f.Escape)
		}
	}
}

func (b *builder) env(in *Instruction) {
	if b.stage == nil {
		return
	}
	for _, raw := range pairsRaw(in) {
		val, known := b.stageVars.expand(raw[1])
		b.stageVars = b.stageVars.with(raw[0], val, known, b.f.Escape)
		b.stage.env = b.stage.env.with(raw[0], val, known, b.f.Escape)
	}
}

func pairsRaw(in *Instruction) [][2]string {
	var out [][2]string
	for i := 0; i+1 < len(in.Args); i += 2 {
		out = append(out, [2]string{in.Args[i], in.Args[i+1]})
	}
	return out
}

func (b *builder) script(in *Instruction, node *parser.Node) {
	in.Shell = b.shell
	if b.shell == nil {
		in.Shell = defaultShell
	}
	pipefail := shellPipefail(in.Shell)
	switch in.Keyword {
	case "RUN":
		if in.Exec {
			in.Script = execScript(in.Args, in.Line, in, false)
			return
		}
		if !isShell(in.Shell[0]) {
			in.Script = &Script{Language: in.Shell[0]}
			return
		}
		in.Script = b.runScript(in, pipefail)
	case "CMD", "ENTRYPOINT":
		if in.Exec {
			in.Script = execScript(in.Args, in.Line, in, pipefail)
		} else if len(in.Args) > 0 && isShell(in.Shell[0]) {
			in.Script = b.joinedScript(in, in.Args[0], pipefail)
		}
	case "HEALTHCHECK":
		if len(in.Args) < 2 || !strings.EqualFold(in.Args[0], "CMD") {
			return
		}
		if in.Exec {
			in.Script = execScript(in.Args[1:], in.Line, in, pipefail)
		} else {
			in.Script = b.joinedScript(in, in.Args[1], pipefail)
		}
	}
}

func shellPipefail(shell []string) bool {
	return containsPipefail(shell)
}

// joinedScript parses a one-line script; commands are placed on the
// instruction's first line.
func (b *builder) joinedScript(in *Instruction, text string, pipefail bool) *Script {
	sc := parseScript(text, in.Line, in, pipefail)
	for _, c := range sc.Commands {
		c.Line, c.Column = in.Line, in.Column
	}
	if sc.Err != nil {
		sc.Err.Line, sc.Err.Column = in.Line, in.Column
	}
	return sc
}

// runScript parses a shell-form RUN from its source lines so that every
// command keeps its own line and column.
func (b *builder) runScript(in *Instruction, pipefail bool) *Script {
	if b.f.Escape != '\\' {
		return b.joinedScript(in, in.Text(), pipefail)
	}
	if len(in.Heredocs) > 0 && strings.HasPrefix(strings.TrimSpace(in.Text()), "<<") {
		h := in.Heredocs[0]
		if lang := shebang(h.Content); lang != "" && !isShell(lang) {
			return &Script{Language: lang}
		}
		return parseScript(h.Content, h.Line, in, pipefail)
	}
	end := b.commandEnd(in.Line, in.EndLine)
	var sb strings.Builder
	for l := in.Line; l <= in.EndLine; l++ {
		line := b.f.Line(l)
		if l > in.Line && l <= end && skippedInContinuation(line) {
			line = `\`
		} else if l <= end && b.continues(line) {
			line = strings.TrimRight(line, " \t\r")
		}
		if l > in.Line {
			sb.WriteByte('\n')
		}
		sb.WriteString(line)
	}
	src := blankKeywordAndFlags(sb.String())
	sc := parseScript(src, in.Line, in, pipefail)
	if sc.Err != nil {
		// Fall back to BuildKit's joined text, which is what Docker runs.
		joined := b.joinedScript(in, in.Text(), pipefail)
		if joined.Err == nil {
			return joined
		}
	}
	return sc
}

// blankKeywordAndFlags replaces the instruction keyword (ONBUILD RUN for
// the RUN an ONBUILD wraps) and its --flags with spaces, keeping every other
// byte where it was.
func blankKeywordAndFlags(src string) string {
	buf := []byte(src)
	i := 0
	skipSpace := func() {
		for i < len(buf) {
			switch {
			case buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\n' || buf[i] == '\r':
				i++
			case buf[i] == '\\' && i+1 < len(buf) && buf[i+1] == '\n':
				i += 2
			default:
				return
			}
		}
	}
	blankWord := func() string {
		skipSpace()
		start := i
		for i < len(buf) && buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' && buf[i] != '\\' {
			i++
		}
		word := string(buf[start:i])
		for k := start; k < i; k++ {
			buf[k] = ' '
		}
		return word
	}
	if strings.EqualFold(blankWord(), "ONBUILD") {
		blankWord() // the RUN an ONBUILD wraps
	}
	for {
		skipSpace()
		if i+1 >= len(buf) || buf[i] != '-' || buf[i+1] != '-' {
			break
		}
		for i < len(buf) && buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' {
			buf[i] = ' '
			i++
		}
	}
	return string(buf)
}

func shebang(content string) string {
	if !strings.HasPrefix(content, "#!") {
		return ""
	}
	line, _, _ := strings.Cut(content[2:], "\n")
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return ""
	}
	if strings.HasSuffix(fields[0], "/env") && len(fields) > 1 {
		return fields[1]
	}
	return fields[0]
}

func (b *builder) collectComments() {
	covered := make([]bool, len(b.f.lines)+2)
	for _, in := range b.f.Instructions {
		for l := in.Line; l <= in.EndLine && l < len(covered); l++ {
			covered[l] = true
		}
	}
	for i, line := range b.f.lines {
		n := i + 1
		if covered[n] || !isCommentLine(line) {
			continue
		}
		text := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "#"))
		b.f.Comments = append(b.f.Comments, Comment{Line: n, Text: text})
	}
}
