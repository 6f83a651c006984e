package detect

import (
	"fmt"
	"maps"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
)

// devValues are values that select a development mode, in a variable
// named as a mode selector (STAGE_STATUS, NODE_ENV, APP_MODE; not
// LOG_LEVEL=debug).
var (
	devValues = map[string]bool{"dev": true, "develop": true, "development": true, "local": true, "debug": true}
	modeName  = regexp.MustCompile(`(?i)(?:^|_)(?:env|environment|stage|mode|status|profile|tier)$`)
	prodValue = map[string]bool{"prod": true, "production": true, "release": true}
)

// prodWord is a production value a comment documents ("prod", for start
// server with graceful shutdown).
var prodWord = regexp.MustCompile(`["'\s(-]?\b(prod|production)\b`)

// devModes finds the variables the repository's example env file sets to
// a development value ("dev", "development") where the code tests the
// variable against a string: a verify run with the example's values would
// prove the development mode (create-go-app/fiber-go-template's
// STAGE_STATUS="dev" starts its server without the graceful shutdown).
// Value is NAME=production-value, from the code's own comparison, else
// the example's comment above the line, else "production"; the evidence
// is where the code tests it, Why says the rest.
func (r *repo) devModes() []Evidence {
	file, lines := r.exampleEnvLines()
	if file == "" {
		return nil
	}
	type devVar struct {
		value, prod, why string
		line             int
	}
	vars := map[string]*devVar{}
	for i, line := range lines {
		name, value, ok := EnvAssignment(line)
		if !ok || !devValues[strings.ToLower(value)] || !modeName.MatchString(name) {
			continue
		}
		v := &devVar{value: value, line: i + 1}
		for j := i - 1; j >= 0 && j >= i-6 && isComment(lines[j]); j-- {
			if w := prodWord.FindStringSubmatch(lines[j]); w != nil {
				v.prod, v.why = w[1], fmt.Sprintf("%s:%d documents %q", file, j+1, w[1])
				break
			}
		}
		vars[name] = v
	}
	if len(vars) == 0 {
		return nil
	}
	var out []Evidence
	for _, name := range slices.Sorted(maps.Keys(vars)) {
		v := vars[name]
		at, literals := r.envComparison(name)
		if at == nil {
			continue // the code does not test it: its value changes nothing we can see
		}
		for _, l := range literals {
			if prodValue[l] {
				v.prod, v.why = l, fmt.Sprintf("%s:%d compares it with %q", at.File, at.Line, l)
				break
			}
		}
		if v.prod == "" {
			v.prod, v.why = "production", "any value but the development one"
		}
		at.Value = name + "=" + v.prod
		at.Why = fmt.Sprintf("%s:%d sets %s=%s, a development mode the code tests here; production is %s (%s)", file, v.line, name, v.value, v.prod, v.why)
		out = append(out, *at)
	}
	return out
}

// exampleEnvLines are the lines of the first example env file that has
// any, as init --verify reads them.
func (r *repo) exampleEnvLines() (string, []string) {
	for _, f := range ExampleEnvFiles {
		if lines := r.read(f); len(lines) > 0 {
			return f, lines
		}
	}
	return "", nil
}

// exampleEnvValue is where the example env files, in the order init
// --verify reads them, first set name, with its value as Value; nil when
// none does.
func (r *repo) exampleEnvValue(name string) *Evidence {
	return r.envValueIn(ExampleEnvFiles, name)
}

// envValueIn is where the first of files sets name, with its value as
// Value; nil when none does.
func (r *repo) envValueIn(files []string, name string) *Evidence {
	for _, f := range files {
		for i, line := range r.read(f) {
			if n, value, ok := EnvAssignment(line); ok && n == name {
				return &Evidence{Value: value, File: f, Line: i + 1}
			}
		}
	}
	return nil
}

var (
	hostVarName = regexp.MustCompile(`(?i)(?:HOST(?:NAME)?|SERVER)$`)
	hostPort    = regexp.MustCompile(`^[\w.-]+:\d{2,5}$`)
)

// urlScheme is the scheme of a connection URL: postgres://, mysql://.
var urlScheme = regexp.MustCompile(`^([a-z][a-z0-9+.-]*)://`)

// A URLVar is a variable the repository documents as a connection URL:
// Value is its name, File and Line where, Scheme the URL's (postgres).
type URLVar struct {
	Evidence
	Scheme string
}

// urlVars are the variables the code reads whose value the repository
// documents as a connection URL, in its example env file or its Makefile
// (smutluuuu/go-social's `DB_ADDR=postgres://admin:...@localhost/social`,
// which main.go hands to sql.Open): whatever the name says (ADDR reads as
// a host), the value is a URL.
func (r *repo) urlVars(env []Evidence) []URLVar {
	var out []URLVar
	for _, e := range env {
		v := r.envValueIn(append(append([]string{}, envDocFiles...), "Makefile", ".envrc"), e.Value)
		if v == nil {
			continue
		}
		m := urlScheme.FindStringSubmatch(strings.Trim(v.Value, `"'`))
		if m == nil {
			continue
		}
		v.Why = v.File + " gives $" + e.Value + " as a " + m[1] + ":// URL"
		v.Value = e.Value
		out = append(out, URLVar{Evidence: *v, Scheme: m[1]})
	}
	return out
}

// addressVars are the host variables the code reads whose example value
// is host:port.
func (r *repo) addressVars(env []Evidence) []Evidence {
	var out []Evidence
	for _, e := range env {
		if !hostVarName.MatchString(e.Value) {
			continue
		}
		if v := r.envValueIn(envDocFiles, e.Value); v != nil && hostPort.MatchString(strings.Trim(v.Value, `"'`)) {
			v.Why = v.File + " gives $" + e.Value + " as host:port (" + v.Value + ")"
			v.Value = e.Value
			out = append(out, *v)
		}
	}
	return out
}

// envComparison is the first place the code compares variable name with
// a string literal (os.Getenv("X") == "dev", process.env.X !== 'production',
// os.environ.get("X") == "dev"), and every literal it is compared with.
func (r *repo) envComparison(name string) (*Evidence, []string) {
	q := quoteMeta(name)
	read := `(?:os\.Getenv\(\s*"` + q + `"\s*\)|process\.env\.` + q + `\b|process\.env\[\s*['"]` + q + `['"]\s*\]|os\.(?:getenv|environ\.get)\(\s*['"]` + q + `['"][^)]*\)|os\.environ\[\s*['"]` + q + `['"]\s*\])`
	lit := `["'\x60]([\w.-]*)["'\x60]`
	cmp := regexp.MustCompile(read + `\s*(?:===?|!==?)\s*` + lit + `|` + lit + `\s*(?:===?|!==?)\s*` + read)
	var at *Evidence
	seen := map[string]bool{}
	for _, f := range r.codeFiles() {
		if !codeExt[filepath.Ext(f)] {
			continue
		}
		for i, line := range r.read(f) {
			if isComment(line) {
				continue
			}
			for _, m := range cmp.FindAllStringSubmatch(line, -1) {
				if at == nil {
					at = &Evidence{File: f, Line: i + 1}
				}
				seen[m[1]+m[2]] = true
			}
		}
	}
	literals := make([]string, 0, len(seen))
	for l := range seen {
		literals = append(literals, l)
	}
	sort.Strings(literals)
	return at, literals
}
