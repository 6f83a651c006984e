package detect

import (
	"path"
	"regexp"
	"strings"
)

// goMustEnv is a call that stops the program when a variable is unset:
// mustMapEnv(&addr, "PRODUCT_CATALOG_SERVICE_ADDR"), MustGetenv("X").
var goMustEnv = regexp.MustCompile(`\b[mM]ust\w*(?:Env|Getenv)\w*\(\s*(?:[^,()"]+,\s*)?"([A-Z][A-Z0-9_]*)"`)

// goEnv adds what the Go code reads through config struct tags and
// must...Env calls to the variables it reads, and those it cannot start
// without to the required ones.
func (r *repo) goEnv(s *Stack) {
	seen := map[string]bool{}
	for _, e := range s.Env {
		seen[e.Value] = true
	}
	required := map[string]bool{}
	for _, e := range s.Required {
		required[e.Value] = true
	}
	add := func(e Evidence, req bool) {
		if !seen[e.Value] {
			seen[e.Value] = true
			s.Env = append(s.Env, e)
		}
		if req && !required[e.Value] {
			required[e.Value] = true
			s.Required = append(s.Required, e)
		}
	}
	for _, v := range r.goTagVars() {
		if v.flag != "" {
			continue // a command-line flag, not a variable
		}
		e := v.Evidence
		e.Why = v.lib + " tag on " + v.field
		add(e, v.required)
		if v.base != "" {
			s.setEnvBase(v.Value, v.base)
		}
	}
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") {
			continue
		}
		for i, line := range r.read(f) {
			if !strings.Contains(line, "ust") {
				continue
			}
			for _, m := range goMustEnv.FindAllStringSubmatch(line, -1) {
				add(Evidence{Value: m[1], File: f, Line: i + 1, Why: "the program stops without it"}, true)
			}
		}
	}
}

// goPortVarName is a variable that carries the listen port or address.
var goPortVarName = regexp.MustCompile(`^(?:PORT|(?:HTTP|APP|SERVER|WEB|API|LISTEN|SERVICE)_PORT|ADDR|LISTEN|BIND|(?:HTTP|LISTEN|SERVER|APP|API|WEB|BIND)_ADDR(?:ESS)?)$`)

// goTagPortVar is the port variable a config struct reads with no
// default (`env:"SERVER_PORT,required"`): the image sets it.
func (r *repo) goTagPortVar(own string, others []string) *Evidence {
	var fallback *Evidence
	for _, v := range r.goTagVars() {
		inOther := false
		for _, o := range others {
			inOther = inOther || strings.HasPrefix(v.File, o+"/")
		}
		if inOther || v.flag != "" || !goPortVarName.MatchString(v.Value) || r.exampleHostOnly(v.Value) || r.groupedBesideTopLevel(v) {
			continue
		}
		e := v.Evidence
		e.Why = v.lib + " tag on " + v.field
		if own != "" && path.Dir(v.File) == own {
			return &e
		}
		if fallback == nil {
			fallback = &e
		}
	}
	return fallback
}

// hostOnly is a value that names a host and no port: localhost, 0.0.0.0.
var hostOnly = regexp.MustCompile(`^[A-Za-z0-9.-]*[A-Za-z.][A-Za-z0-9.-]*$|^\d+\.\d+\.\d+\.\d+$`)

// exampleHostOnly reports whether the example env file sets name to a
// host without a port (golang-mongodb-rest-api-starter's
// SERVER_ADDR=localhost, beside SERVER_PORT): the variable is the host
// the app binds, not the address that carries its port.
func (r *repo) exampleHostOnly(name string) bool {
	e := r.exampleEnvValue(name)
	return e != nil && hostOnly.MatchString(e.Value)
}

// setEnvBase records name's base: the name without a config prefix.
func (s *Stack) setEnvBase(name, base string) {
	if base == "" || base == name {
		return
	}
	if s.EnvBase == nil {
		s.EnvBase = map[string]string{}
	}
	s.EnvBase[name] = base
}
