package detect

import (
	"path"
	"regexp"
	"strings"
)

var (
	// goReturnsErr returns an error to the caller.
	goReturnsErr = regexp.MustCompile(`^\s*return\s+(?:\w+\s*,\s*)?(?:err|fmt\.Errorf\(|errors\.New\()`)
	// goFuncName is a function's (or method's) first line.
	goFuncName = regexp.MustCompile(`^func\s+(?:\([^)]*\)\s*)?(\w+)\(`)
	// goPackageClause is a Go file's package clause.
	goPackageClause = regexp.MustCompile(`^package\s+(\w+)`)
)

// goEnclosingFunc is the name of the function line i of a Go file is in
// ("" at the top level).
func goEnclosingFunc(lines []string, i int) string {
	for j := i; j >= 0; j-- {
		if m := goFuncName.FindStringSubmatch(lines[j]); m != nil {
			return m[1]
		}
	}
	return ""
}

// goCallerStops reports whether a call of fn in the package of file (its
// directory) stops the program on the error it returns: `if err := fn();
// err != nil {` then a panic, log.Fatal or os.Exit within three lines.
func (r *repo) goCallerStops(file, fn string) bool {
	if fn == "" || fn == "main" {
		return false
	}
	// In its own package by its name; elsewhere qualified by the
	// package's (config.LoadConfig() from main).
	var qualified *regexp.Regexp
	if pkg := goPackageOf(r.read(file)); pkg != "" && pkg != "main" {
		qualified = regexp.MustCompile(`\b` + regexp.QuoteMeta(pkg) + `\.` + regexp.QuoteMeta(fn) + `\(`)
	}
	return r.goCallSite(file, fn, qualified, func(string) bool { return true }, func(lines []string, i int) bool {
		if !strings.Contains(lines[i], "err") && (i+1 >= len(lines) || !strings.Contains(lines[i+1], "err")) {
			return false
		}
		for j := i; j < len(lines) && j <= i+3; j++ {
			if goFatal.MatchString(lines[j]) {
				return true
			}
		}
		return false
	})
}

// goCallSite reports whether a Go file that in holds (tests aside) calls
// fn, of file's package, on a line where at holds: by its bare name in
// file's directory, by elsewhere's pattern in other directories (none
// where elsewhere is nil). A function's own declaration is no call.
func (r *repo) goCallSite(file, fn string, elsewhere *regexp.Regexp, in func(string) bool, at func(lines []string, i int) bool) bool {
	local := regexp.MustCompile(`(?:^|[^\w.])` + regexp.QuoteMeta(fn) + `\(`)
	for _, f := range r.goSources() {
		re := local
		if path.Dir(f) != path.Dir(file) {
			re = elsewhere
		}
		if re == nil || !in(f) {
			continue
		}
		lines := r.read(f)
		for i, line := range lines {
			if re.MatchString(line) && !goFuncName.MatchString(line) && at(lines, i) {
				return true
			}
		}
	}
	return false
}

// goPackageOf is a Go file's package name, "" before a package clause.
func goPackageOf(lines []string) string {
	for _, l := range lines {
		if m := goPackageClause.FindStringSubmatch(l); m != nil {
			return m[1]
		}
	}
	return ""
}

var (
	// goNameList is a list of names: required := []string{"APP_URL", "PORT"}.
	goNameList = regexp.MustCompile(`^\s*(\w+)\s*:?=\s*\[\]string\{\s*("[A-Z][A-Z0-9_]*"(?:\s*,\s*"[A-Z][A-Z0-9_]*")*)\s*,?\s*\}`)
	goQuoted   = regexp.MustCompile(`"([A-Z][A-Z0-9_]*)"`)
)

// goRequiredList are the variables a list of names names whose loop
// stops the program on one unset (lxnewayfarer/shortlinks' setupEnvironment:
// requiredEnvVars := []string{"APP_URL", "PORT", "REDIS_URL"}, then for
// each os.LookupEnv and an error its caller panics on), each at the
// list's line.
func (r *repo) goRequiredList() []Evidence {
	var out []Evidence
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") || strings.HasSuffix(f, "_test.go") {
			continue
		}
		lines := r.read(f)
		for i, line := range lines {
			m := goNameList.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			loop := regexp.MustCompile(`^\s*for\s+_\s*,\s*(\w+)\s*:=\s*range\s+` + regexp.QuoteMeta(m[1]) + `\s*\{`)
			for j := i + 1; j < len(lines) && j <= i+15; j++ {
				l := loop.FindStringSubmatch(lines[j])
				if l == nil {
					continue
				}
				read := regexp.MustCompile(`\bos\.(?:LookupEnv|Getenv)\(\s*` + regexp.QuoteMeta(l[1]) + `\s*\)`)
				reads, stops, returns := false, false, false
				for k := j + 1; k < len(lines) && k <= j+6; k++ {
					reads = reads || read.MatchString(lines[k])
					stops = stops || goFatal.MatchString(lines[k])
					returns = returns || goReturnsErr.MatchString(lines[k])
				}
				// A returned error stops the program where its caller
				// stops on it (a caller that logs it goes on).
				stops = stops || returns && r.goCallerStops(f, goEnclosingFunc(lines, j))
				if reads && stops {
					for _, q := range goQuoted.FindAllStringSubmatch(m[2], -1) {
						out = append(out, Evidence{Value: q[1], File: f, Line: i + 1, Why: "listed as required: the program stops without it"})
					}
				}
				break
			}
		}
	}
	return out
}

// sqlKindCompared is a comparison with a SQL database's name: == "postgres",
// === 'mysql', case "postgres":.
var sqlKindCompared = regexp.MustCompile(`(?:==|!=|\bcase)\s*["'](postgres|postgresql|mysql)["']|["'](postgres|postgresql|mysql)["']\s*(?:==|!=)`)

// driverSwitch is the first comparison of a value with a SQL database's
// name in the app's own code (not tests), nil when none.
func (r *repo) driverSwitch(s *Stack) *Evidence {
	exts := langExts[s.Language]
	for _, f := range r.codeFiles() {
		if !exts[path.Ext(f)] || r.notTheApp(f) || strings.HasSuffix(f, "_test.go") {
			continue
		}
		if e := r.findCode(f, sqlKindCompared); e != nil {
			return e
		}
	}
	return nil
}
