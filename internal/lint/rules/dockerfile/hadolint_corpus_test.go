//go:build corpus

package dockerfile

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source"
)

// TestHadolintSpecs holds the rules that claim a hadolint code to what
// hadolint's own spec files say that code must catch and must not catch.
// The spec files are hadolint's (GPL-3.0), so they are not in this
// repository: scripts/corpus.sh extracts them from the snapshot pinned in
// testdata/check-corpus/hadolint/SOURCE, and the test skips when they are
// absent (a clean clone, CI).
//
// Each assertion (ruleCatches, ruleCatchesNot and their onBuild forms) is
// read from the Haskell source: the code, the Dockerfile text (a string, or
// lines joined by Text.unlines, inline or bound by a let or where), and the
// configuration in scope (allowed registries, label schema, read as
// lint.ParseHadolintConfig reads a .hadolint.yaml). A snippet without a
// FROM gets one (FROM base:1.0), since every Dockerfile we check has a
// base, and findings on that line are not counted; DL3061's snippets, which
// are about the FROM, are left as they are. The onBuild forms put each RUN
// under ONBUILD, as hadolint's helper does. The rules mapped to the code
// run alone on the text; the assertion agrees when they fire exactly when
// hadolint's would.
//
// Agreement must be 97% or more, and every disagreement must be written,
// with its reason, in testdata/check-corpus/hadolint/differences.tsv:
//
//	spec-file:line  code  expected  ours  why
//
// where expected and ours are "fires" or "silent". The rule's Differences
// metadata must say the same in prose.
func TestHadolintSpecs(t *testing.T) {
	root := filepath.Join("..", "..", "..", "..", "testdata", "check-corpus", "hadolint")
	specDir := filepath.Join(root, "tree", "test", "Hadolint", "Rule")
	files, err := filepath.Glob(filepath.Join(specDir, "*Spec.hs"))
	if err != nil || len(files) == 0 {
		t.Skipf("no hadolint spec files under %s: run scripts/corpus.sh first", specDir)
	}
	known := readDifferences(t, filepath.Join(root, "differences.tsv"))
	type tally struct{ agree, differ, accepted int }
	tallies := map[string]*tally{}
	unmapped := map[string]int{}
	seen := map[string]bool{}
	var total, agree int
	for _, path := range files {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range extractAssertions(t, filepath.Base(path), string(data)) {
			rules := lint.ByHadolint(a.code)
			if len(rules) == 0 {
				unmapped[a.code]++
				continue
			}
			fired := runMapped(t, a, rules)
			c := tallies[a.code]
			if c == nil {
				c = &tally{}
				tallies[a.code] = c
			}
			total++
			key := a.where + " " + a.code
			seen[key] = true
			if fired == a.fires {
				agree++
				c.agree++
				if _, listed := known[key]; listed {
					t.Errorf("%s %s agrees with hadolint now: remove it from differences.tsv", a.where, a.code)
				}
				continue
			}
			c.differ++
			d, listed := known[key]
			switch {
			case !listed:
				t.Errorf("%s %s: hadolint %s, ours %s, and differences.tsv does not say why:\n%s",
					a.where, a.code, verb(a.fires), verb(fired), indent(a.text))
			case d.expected != verb(a.fires) || d.ours != verb(fired):
				t.Errorf("%s %s: differences.tsv says hadolint %s and ours %s, but they are %s and %s",
					a.where, a.code, d.expected, d.ours, verb(a.fires), verb(fired))
			default:
				c.accepted++
				for _, r := range rules {
					if r.Info().Differences == "" {
						t.Errorf("%s %s is an accepted difference but %s has no Differences to say so", a.where, a.code, r.Info().ID)
					}
				}
			}
		}
	}
	for key := range known {
		if !seen[key] {
			t.Errorf("differences.tsv lists %s, which is no assertion of the spec files", key)
		}
	}
	codes := make([]string, 0, len(tallies))
	for code := range tallies {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		c := tallies[code]
		var ids []string
		for _, r := range lint.ByHadolint(code) {
			ids = append(ids, r.Info().ID)
		}
		t.Logf("hadolint: %s (%s) %3d assertions, %3d agree (%s), %d differ, %d of them accepted",
			code, strings.Join(ids, ","), c.agree+c.differ, c.agree, percent(c.agree, c.agree+c.differ), c.differ, c.accepted)
	}
	var skipped []string
	for code, n := range unmapped {
		skipped = append(skipped, fmt.Sprintf("%s:%d", code, n))
	}
	sort.Strings(skipped)
	t.Logf("hadolint: codes no rule claims, not counted: %s", strings.Join(skipped, " "))
	t.Logf("hadolint: all: %d assertions, %d agree (%s)", total, agree, percent(agree, total))
	if total == 0 || float64(agree) < 0.97*float64(total) {
		t.Errorf("agreement with hadolint's spec files is %s, under 97%%", percent(agree, total))
	}
}

// assertion is one ruleCatches or ruleCatchesNot of a spec file.
type assertion struct {
	where string // DL3008Spec.hs:42
	code  string
	fires bool
	text  string
	// addedFrom is the line of the FROM the test added, 0 for none;
	// findings there are not the snippet's.
	addedFrom int
	config    *lint.Config
}

// runMapped runs the rules mapped to the assertion's code, alone, on its
// text, and reports whether any fired.
func runMapped(t *testing.T, a assertion, rules []lint.Rule) bool {
	t.Helper()
	cfg := a.config
	cfg.Profile = lint.ProfileProduction
	for _, r := range rules {
		cfg.Rules[r.Info().ID] = r.Info().SeverityFor(lint.ProfileProduction)
	}
	res := lint.Check([]lint.Input{{Kind: source.Dockerfile, Path: "Dockerfile", Data: []byte(a.text)}}, cfg, rules)
	for _, e := range res.Errors {
		t.Logf("%s %s: does not load: %s", a.where, a.code, e.Message)
	}
	for _, f := range res.Findings {
		if f.Line != a.addedFrom {
			return true
		}
	}
	return false
}

func verb(fires bool) string {
	if fires {
		return "fires"
	}
	return "silent"
}

func indent(s string) string {
	return "\t" + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n\t")
}

func percent(n, of int) string {
	if of == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(of))
}

// difference is one accepted line of differences.tsv.
type difference struct{ expected, ours, why string }

// readDifferences reads differences.tsv, keyed by "spec-file:line code".
func readDifferences(t *testing.T, path string) map[string]difference {
	t.Helper()
	out := map[string]difference{}
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return out
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		cols := strings.Split(line, "\t")
		if len(cols) != 5 || cols[4] == "" || !isVerb(cols[2]) || !isVerb(cols[3]) {
			t.Fatalf("%s:%d: want spec-file:line, code, expected, ours (fires or silent) and why, tab-separated", path, n)
		}
		key := cols[0] + " " + cols[1]
		if _, dup := out[key]; dup {
			t.Fatalf("%s:%d: %s is listed twice", path, n, key)
		}
		out[key] = difference{expected: cols[2], ours: cols[3], why: cols[4]}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func isVerb(s string) bool { return s == "fires" || s == "silent" }

// extractAssertions reads the assertions of one spec file.
func extractAssertions(t *testing.T, name, src string) []assertion {
	t.Helper()
	toks, err := lexHaskell(src)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	sp := &spec{toks: toks, bindings: map[string][]int{}}
	for i := 0; i+1 < len(toks); i++ {
		if toks[i].kind == tokIdent && toks[i+1].is("=") {
			sp.bindings[toks[i].text] = append(sp.bindings[toks[i].text], i)
		}
	}
	var out []assertion
	for i, tk := range toks {
		var fires, onBuild bool
		switch tk.text {
		case "ruleCatches":
			fires = true
		case "ruleCatchesNot":
		case "onBuildRuleCatches":
			fires, onBuild = true, true
		case "onBuildRuleCatchesNot":
			onBuild = true
		default:
			continue
		}
		if tk.kind != tokIdent || i+1 >= len(toks) || toks[i+1].kind != tokString && toks[i+1].kind != tokIdent {
			continue // the helper's own signature
		}
		where := name + ":" + strconv.Itoa(tk.line)
		codeArg, next, err := sp.atom(i + 1) // "DL3033", or a name bound to it
		if err != nil {
			t.Errorf("%s: cannot read the code of the assertion: %v", where, err)
			continue
		}
		text, _, err := sp.stringArg(next)
		if err != nil {
			t.Errorf("%s: cannot read the Dockerfile of the assertion: %v", where, err)
			continue
		}
		code := codeArg.str
		if !hadolintCode.MatchString(code) {
			t.Logf("%s: skipped, %q is no hadolint code (a slip in the spec: it asserts nothing)", where, code)
			continue
		}
		added := 0
		if code != "DL3061" {
			text, added = withFrom(text)
		}
		if onBuild {
			text = underOnBuild(text)
		}
		out = append(out, assertion{where: where, code: code, fires: fires, text: text, addedFrom: added, config: sp.config(i)})
	}
	return out
}

var (
	fromLine      = regexp.MustCompile(`(?im)^\s*FROM\s`)
	directiveLine = regexp.MustCompile(`^#\s*[a-zA-Z]+\s*=`)
	runLine       = regexp.MustCompile(`(?i)^\s*RUN\s`)
	hadolintCode  = regexp.MustCompile(`^(DL|SC)[0-9]{4}$`)
)

// withFrom puts a FROM line before a snippet that has none, after any
// parser directives, so that the snippet is a Dockerfile, and returns the
// line it added (0 when the snippet has a FROM).
func withFrom(text string) (string, int) {
	if fromLine.MatchString(text) {
		return text, 0
	}
	lines := strings.SplitAfter(text, "\n")
	n := 0
	for n < len(lines) && directiveLine.MatchString(lines[n]) {
		n++
	}
	return strings.Join(lines[:n], "") + "FROM base:1.0\n" + strings.Join(lines[n:], ""), n + 1
}

// underOnBuild turns each RUN into ONBUILD RUN, as hadolint's
// onBuildRuleCatches does.
func underOnBuild(text string) string {
	lines := strings.Split(text, "\n")
	continued := false
	for i, l := range lines {
		if !continued && runLine.MatchString(l) {
			lines[i] = "ONBUILD " + strings.TrimLeft(l, " \t")
		}
		continued = strings.HasSuffix(strings.TrimRight(l, " \t"), "\\")
	}
	return strings.Join(lines, "\n")
}

// spec evaluates the few Haskell expressions the spec files build
// Dockerfiles with.
type spec struct {
	toks     []token
	bindings map[string][]int // name → index of each "name =" binding
}

// stringArg reads the argument after an assertion's code: "text",
// $ expr, (expr) or a bound name.
func (s *spec) stringArg(i int) (string, int, error) {
	if i < len(s.toks) && s.toks[i].is("$") {
		i++
	}
	v, next, err := s.expr(i)
	if err != nil {
		return "", next, err
	}
	if v.list != nil {
		return "", next, fmt.Errorf("line %d: a list where a string was expected", s.toks[i].line)
	}
	return v.str, next, nil
}

// value is a Haskell string or list of strings.
type value struct {
	str  string
	list []string
}

func (s *spec) expr(i int) (value, int, error) {
	v, i, err := s.app(i)
	for err == nil && i < len(s.toks) && (s.toks[i].is("<>") || s.toks[i].is("++")) {
		var w value
		w, i, err = s.app(i + 1)
		v.str += w.str
		if v.list != nil || w.list != nil {
			v.list = append(v.list, w.list...)
		}
	}
	return v, i, err
}

// joiners are the Text functions that make one string of a list.
var joiners = map[string]func([]string) string{
	"unlines": func(l []string) string {
		var b strings.Builder
		for _, s := range l {
			b.WriteString(s + "\n")
		}
		return b.String()
	},
	"unwords": func(l []string) string { return strings.Join(l, " ") },
	"concat":  func(l []string) string { return strings.Join(l, "") },
	"mconcat": func(l []string) string { return strings.Join(l, "") },
}

func (s *spec) app(i int) (value, int, error) {
	if i >= len(s.toks) {
		return value{}, i, fmt.Errorf("the file ends inside an assertion")
	}
	tk := s.toks[i]
	name := tk.text[strings.LastIndex(tk.text, ".")+1:]
	if tk.kind == tokIdent {
		if join, ok := joiners[name]; ok {
			arg, next, err := s.argument(i + 1)
			return value{str: join(arg.list)}, next, err
		}
		if name == "intercalate" {
			sep, next, err := s.atom(i + 1)
			if err != nil {
				return value{}, next, err
			}
			arg, next, err := s.argument(next)
			return value{str: strings.Join(arg.list, sep.str)}, next, err
		}
		if name == "pack" {
			return s.argument(i + 1)
		}
	}
	return s.atom(i)
}

// argument is a function's argument: an atom, or $ and an expression.
func (s *spec) argument(i int) (value, int, error) {
	if i < len(s.toks) && s.toks[i].is("$") {
		return s.expr(i + 1)
	}
	return s.atom(i)
}

func (s *spec) atom(i int) (value, int, error) {
	if i >= len(s.toks) {
		return value{}, i, fmt.Errorf("the file ends inside an assertion")
	}
	tk := s.toks[i]
	switch {
	case tk.kind == tokString:
		return value{str: tk.text}, i + 1, nil
	case tk.is("("):
		v, next, err := s.expr(i + 1)
		if err == nil && (next >= len(s.toks) || !s.toks[next].is(")")) {
			err = fmt.Errorf("line %d: unbalanced parenthesis", tk.line)
		}
		return v, next + 1, err
	case tk.is("["):
		list := []string{}
		i++
		for i < len(s.toks) && !s.toks[i].is("]") {
			v, next, err := s.expr(i)
			if err != nil {
				return value{}, next, err
			}
			list = append(list, v.str)
			i = next
			if i < len(s.toks) && s.toks[i].is(",") {
				i++
			}
		}
		return value{list: list}, i + 1, nil
	case tk.kind == tokIdent:
		at, ok := s.binding(tk.text, i)
		if !ok {
			return value{}, i, fmt.Errorf("line %d: %s is bound nowhere", tk.line, tk.text)
		}
		v, _, err := s.expr(at + 2)
		return v, i + 1, err
	}
	return value{}, i, fmt.Errorf("line %d: cannot read %q", tk.line, tk.text)
}

// binding finds the binding of name that a use at token i sees: the
// nearest one before it whose block has not ended (a let is in scope until
// a line starts left of it), else the nearest after it (a where clause).
func (s *spec) binding(name string, use int) (int, bool) {
	best := -1
	for _, at := range s.bindings[name] {
		if at < use && s.inScope(at, use) {
			best = at
		}
	}
	if best >= 0 {
		return best, true
	}
	for _, at := range s.bindings[name] {
		if at > use {
			return at, true
		}
	}
	return 0, false
}

// inScope reports whether no line between the binding and the use starts
// left of the binding's let (of the name, in a where), the let's "in"
// excepted.
func (s *spec) inScope(at, use int) bool {
	col := s.toks[at].col
	for k := at - 1; k >= 0 && s.toks[k].line >= s.toks[at].line-20; k-- {
		if s.toks[k].text == "let" && s.toks[k].col <= col {
			col = s.toks[k].col
			break
		}
	}
	for k := at + 1; k <= use; k++ {
		if s.toks[k].first && s.toks[k].col < col && s.toks[k].text != "in" {
			return false
		}
	}
	return true
}

// config is the configuration an assertion runs under: the ?config in
// scope, with its allowed registries, label schema and strict labels.
func (s *spec) config(use int) *lint.Config {
	cfg := lint.DefaultConfig()
	at, ok := s.binding("?config", use)
	if !ok || at > use {
		return cfg
	}
	schemaTypes := map[string]string{
		"RawText": "text", "Url": "url", "Rfc3339": "rfc3339", "Spdx": "spdx",
		"GitHash": "hash", "SemVer": "semver", "Email": "email",
	}
	for k := at + 2; k < len(s.toks) && !(s.toks[k].first && s.toks[k].col <= s.toks[at].col); k++ {
		switch s.toks[k].text {
		case "allowedRegistries":
			if v, _, err := s.atom(k + 2); err == nil {
				cfg.TrustedRegistries = v.list
			}
		case "strictLabels":
			cfg.StrictLabels = k+2 < len(s.toks) && s.toks[k+2].text == "True"
		case "labelSchema":
			cfg.LabelSchema = map[string]string{}
			for j := k; j+3 < len(s.toks) && !s.toks[j].is("]"); j++ {
				if s.toks[j].is("(") && s.toks[j+1].kind == tokString && s.toks[j+2].is(",") {
					typ := s.toks[j+3].text
					cfg.LabelSchema[s.toks[j+1].text] = schemaTypes[typ[strings.LastIndex(typ, ".")+1:]]
					// As lint.ParseHadolintConfig reads a label-schema.
					cfg.RequiredLabels = append(cfg.RequiredLabels, s.toks[j+1].text)
				}
			}
		}
	}
	return cfg
}

type tokenKind int

const (
	tokIdent tokenKind = iota
	tokString
	tokSymbol
	tokOther
)

type token struct {
	kind      tokenKind
	text      string // a string's value, unescaped
	line, col int
	first     bool // the first token of its line
}

func (t token) is(sym string) bool { return t.kind == tokSymbol && t.text == sym }

const symbolChars = "!#$%&*+./<=>?@\\^|-~:"

// lexHaskell splits Haskell source into identifiers (qualified, or
// implicit parameters like ?config), string literals, operators and
// punctuation, dropping comments.
func lexHaskell(src string) ([]token, error) {
	var out []token
	r := []rune(src)
	line, col, lastLine := 1, 1, 0
	advance := func(n int) {
		for k := 0; k < n; k++ {
			if r[0] == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
			r = r[1:]
		}
	}
	emit := func(kind tokenKind, text string, l, c int) {
		out = append(out, token{kind: kind, text: text, line: l, col: c, first: l != lastLine})
		lastLine = l
	}
	for len(r) > 0 {
		c := r[0]
		l0, c0 := line, col
		switch {
		case unicode.IsSpace(c):
			advance(1)
		case strings.HasPrefix(string(r[:min(len(r), 2)]), "{-"):
			end := strings.Index(string(r), "-}")
			if end < 0 {
				return nil, fmt.Errorf("line %d: unterminated comment", line)
			}
			advance(len([]rune(string(r)[:end])) + 2)
		case c == '-' && len(r) > 1 && r[1] == '-' && isLineComment(r):
			for len(r) > 0 && r[0] != '\n' {
				advance(1)
			}
		case c == '"':
			s, n, err := readString(r)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
			advance(n)
			emit(tokString, s, l0, c0)
		case c == '?' && len(r) > 1 && unicode.IsLetter(r[1]), unicode.IsLetter(c) || c == '_':
			n := 1
			for n < len(r) && (isIdentRune(r[n]) || r[n] == '.' && n+1 < len(r) && unicode.IsLetter(r[n+1]) && unicode.IsUpper(r[0])) {
				n++
			}
			text := string(r[:n])
			advance(n)
			emit(tokIdent, text, l0, c0)
		case c == '\'' && len(r) > 2:
			n := 2
			for n < len(r) && r[n] != '\'' && r[n] != '\n' {
				n++
			}
			advance(min(n+1, len(r)))
			emit(tokOther, "", l0, c0)
		case strings.ContainsRune("()[],;{}`", c):
			advance(1)
			emit(tokSymbol, string(c), l0, c0)
		case strings.ContainsRune(symbolChars, c):
			n := 1
			for n < len(r) && strings.ContainsRune(symbolChars, r[n]) {
				n++
			}
			text := string(r[:n])
			advance(n)
			emit(tokSymbol, text, l0, c0)
		default:
			n := 1
			for n < len(r) && isIdentRune(r[n]) {
				n++
			}
			text := string(r[:n])
			advance(n)
			emit(tokOther, text, l0, c0)
		}
	}
	return out, nil
}

func isIdentRune(c rune) bool {
	return unicode.IsLetter(c) || unicode.IsDigit(c) || c == '_' || c == '\''
}

// isLineComment reports whether the dashes at r start a comment rather
// than an operator such as -->.
func isLineComment(r []rune) bool {
	n := 0
	for n < len(r) && r[n] == '-' {
		n++
	}
	return n == len(r) || !strings.ContainsRune(symbolChars, r[n])
}

// readString reads a Haskell string literal at r, returning its value and
// the number of runes it spans: escapes, numeric escapes, \& and gaps
// (a backslash, white space with newlines, a backslash).
func readString(r []rune) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(r); i++ {
		switch r[i] {
		case '"':
			return b.String(), i + 1, nil
		case '\n':
			return "", i, fmt.Errorf("newline in a string literal")
		case '\\':
			i++
			if i >= len(r) {
				return "", i, fmt.Errorf("unterminated string literal")
			}
			switch e := r[i]; {
			case unicode.IsSpace(e):
				for i < len(r) && r[i] != '\\' {
					i++
				}
			case e == '&':
			case unicode.IsDigit(e):
				n := 0
				for i < len(r) && unicode.IsDigit(r[i]) {
					n = n*10 + int(r[i]-'0')
					i++
				}
				i--
				b.WriteRune(rune(n))
			default:
				esc := map[rune]string{'n': "\n", 't': "\t", 'r': "\r", '\\': "\\", '"': "\"", '\'': "'", '0': "\x00"}
				s, ok := esc[e]
				if !ok {
					return "", i, fmt.Errorf("unknown escape \\%c", e)
				}
				b.WriteString(s)
			}
		default:
			b.WriteRune(r[i])
		}
	}
	return "", len(r), fmt.Errorf("unterminated string literal")
}
