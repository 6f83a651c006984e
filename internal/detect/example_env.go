package detect

import (
	"github.com/shipshape/shipshape/internal/lint/credential"
)

// exampleEnv is what the repository's example env file documents, the
// file init --verify gives its run (the first of ExampleEnvFiles that sets
// a value and git does not ignore): one piece of evidence per variable,
// Value its name, Why the line .env.example gives it, NAME=value as
// kubectl create secret --from-env-file reads it too (no quotes, no
// comment), and NAME= for a secret or an address that holds a password. nil when the file is .env.example, which init extends
// in place, or a committed .env, which compose reads as it is.
func (r *repo) exampleEnv() []Evidence {
	for _, f := range ExampleEnvFiles {
		if r.read(f) == nil || r.gitIgnored(f) && f != ".env.example" && f != ".env" {
			continue // a developer's own file, which git ignores: not the repository's documentation
		}
		vars, valued := r.exampleEnvIn(f)
		if !valued {
			continue
		}
		if f == ".env.example" || f == ".env" {
			return nil
		}
		return vars
	}
	return nil
}

// exampleEnvIn is what the env file f documents, one piece of evidence
// per variable (as exampleEnv's), and whether it sets any value.
func (r *repo) exampleEnvIn(f string) (vars []Evidence, valued bool) {
	for i, line := range r.read(f) {
		name, value, ok := EnvAssignment(line)
		if !ok {
			continue
		}
		valued = valued || value != ""
		e := Evidence{Value: name, File: f, Line: i + 1, Why: name + "=" + value}
		if credential.URLHasPassword(value) || credential.LooksSecretValue(value) || credential.LooksSecretName(name) {
			e.Why = name + "=" // a secret, or an address with one: to fill in
		}
		vars = append(vars, e)
	}
	return vars, valued
}
