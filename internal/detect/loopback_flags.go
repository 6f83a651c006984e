package detect

import (
	"maps"
	"regexp"
	"slices"
	"strings"
)

// goFlagDefault is a Go command-line flag declared with a string default
// (flag.String, flag.StringVar, pflag's and cobra's Flags().String...):
// the default is the last string literal before the usage text.
var goFlagDefault = regexp.MustCompile(`\b(?:flag|[Ff]lags\(\)|pflag)\.String(?:Var)?(?:P)?\(`)

// A LoopbackFlag is a Go command-line flag whose default puts a database
// the app talks to on the loopback interface: in a container that is the
// container itself, so compose.yaml and init --verify's run pass the flag
// with the database's service address.
type LoopbackFlag struct {
	Evidence        // Value is the database kind (mongodb), Why the address
	Name     string // mongoURI
	Default  string // mongodb://localhost:27017
}

var (
	// flagName is the flag's name, the first string literal of the call.
	flagName = regexp.MustCompile(`\.String(?:Var)?(?:P)?\(\s*(?:&?[\w.]+\s*,\s*)?"([\w.-]+)"`)
	// flagLoopback is a string literal holding a loopback database address.
	flagLoopback = regexp.MustCompile(`"([^"]*\b(?:127\.0\.0\.1|localhost):(?:3306|5432|6379|27017)\b[^"]*)"`)
)

// loopbackFlags finds the databases the app talks to whose address is a Go
// flag's default on the loopback interface (microservices-docker-go-
// mongodb's movies: -mongoURI defaults to mongodb://localhost:27017, and
// nothing reads a variable instead). The image runs the program without
// the flag, so in a container it would dial itself: compose.yaml and the
// verify run pass it. talks are the databases the app talks to, seen
// those already named.
func (r *repo) loopbackFlags(s *Stack, talks, seen map[string]bool) {
	if s.Language != "go" {
		return
	}
	for _, f := range r.goSources() {
		for i, line := range r.read(f) {
			if isComment(line) || !goFlagDefault.MatchString(line) {
				continue
			}
			m := loopbackService.FindStringSubmatch(line)
			name, def := flagName.FindStringSubmatch(line), flagLoopback.FindStringSubmatch(line)
			if m == nil || name == nil || def == nil || !talks[servicePorts[m[1]]] || seen[servicePorts[m[1]]] {
				continue
			}
			seen[servicePorts[m[1]]] = true
			s.LoopbackFlags = append(s.LoopbackFlags, LoopbackFlag{
				Evidence: Evidence{Value: servicePorts[m[1]], File: f, Line: i + 1, Why: m[0]}, Name: name[1], Default: def[1]})
			// The variable of the flag's name (viper's AutomaticEnv reads
			// yopass's -redis from $REDIS) holds what the flag does: a
			// URL where its default is one, whatever the name says.
			env := strings.ToUpper(strings.NewReplacer("-", "_", ".", "_").Replace(name[1]))
			if u := urlScheme.FindStringSubmatch(def[1]); u != nil && s.reads(env) &&
				!slices.ContainsFunc(s.URLVars, func(v URLVar) bool { return v.Value == env }) {
				s.URLVars = append(s.URLVars, URLVar{Evidence: Evidence{Value: env, File: f, Line: i + 1,
					Why: "the flag -" + name[1] + ", which $" + env + " sets too, defaults to a " + u[1] + ":// URL"}, Scheme: u[1]})
			}
		}
	}
}

// nodeHostOption is a command-line option of a Node program's (yargs'
// .option(s)('redis-host', ...), commander's .option('--redis-host
// <host>')) naming a database's host, and the kind it names.
var nodeHostOption = regexp.MustCompile(`\.options?\(\s*['"](?:--)?((redis|mongo(?:db)?|postgres|pg|mysql)-host)\b`)

// nodeHostKind is the database kind an option's prefix names.
var nodeHostKind = map[string]string{"redis": "redis", "mongo": "mongodb", "mongodb": "mongodb", "postgres": "postgres", "pg": "postgres", "mysql": "mysql"}

// nodeHostOptions finds, in the files the Node program loads, the
// options that take the host of a database it talks to and that nothing
// else sets (joeferner/redis-commander's --redis-host, which falls back
// to localhost, bin/redis-commander.js:482; no variable is read for it):
// compose.yaml and the verify run pass it the service's name. Not where
// the program's start command passes arguments of its own, which a
// compose command would replace.
func (r *repo) nodeHostOptions(s *Stack, talks, seen map[string]bool) {
	scope := r.runScope(s)
	if scope == nil || len(s.ArgWords) > 0 {
		return
	}
	for _, f := range slices.Sorted(maps.Keys(scope)) {
		for i, line := range r.read(f) {
			m := nodeHostOption.FindStringSubmatch(line)
			if m == nil || isComment(line) {
				continue
			}
			kind := nodeHostKind[m[2]]
			if !talks[kind] || seen[kind] {
				continue
			}
			seen[kind] = true
			s.LoopbackFlags = append(s.LoopbackFlags, LoopbackFlag{
				Evidence: Evidence{Value: kind, File: f, Line: i + 1, Why: "localhost"}, Name: m[1], Default: "localhost"})
		}
	}
}
