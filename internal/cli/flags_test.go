package cli

import (
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

// A short flag means the same long flag in every verb, and -f is --file
// (docker build -f, docker compose -f). Shorthands kept only so that old
// scripts keep working are deprecated, and not counted.
func TestFlags_ShortFlagsMeanTheSameInEveryVerb(t *testing.T) {
	root := newRootCommand(strings.NewReader(""), io.Discard, io.Discard)
	meaning := map[string]string{"f": "file"}
	where := map[string]string{"f": "docker build -f"}
	for _, verb := range root.Commands() {
		verb.Flags().VisitAll(func(f *pflag.Flag) {
			if f.Shorthand == "" || f.ShorthandDeprecated != "" {
				return
			}
			if want, ok := meaning[f.Shorthand]; ok && want != f.Name {
				t.Errorf("%s: -%s is --%s, but --%s in %s", verb.Name(), f.Shorthand, f.Name, want, where[f.Shorthand])
				return
			}
			meaning[f.Shorthand], where[f.Shorthand] = f.Name, verb.Name()
		})
	}
}

// check and rules took hadolint's -f for --format: it still works, with a
// note on stderr that keeps stdout a clean report.
func TestFlags_DeprecatedShortFormatStillWorks(t *testing.T) {
	dir := writeTree(t, map[string]string{"Dockerfile": cleanDockerfile})
	for _, args := range [][]string{{"check", "-f", "json", "Dockerfile"}, {"rules", "-f", "json"}} {
		code, out, errOut := run(t, dir, "", args...)
		if code != 0 {
			t.Errorf("%v: exit %d, %s", args, code, errOut)
		}
		if !json.Valid([]byte(out)) {
			t.Errorf("%v: stdout is not JSON: %.80q", args, out)
		}
		if !strings.Contains(errOut, "-f has been deprecated, use --format") {
			t.Errorf("%v: stderr %q lacks the deprecation note", args, errOut)
		}
	}
}

// Short descriptions say where a verb also works on Kubernetes.
func TestFlags_ShortDescriptionsMentionKubernetes(t *testing.T) {
	root := newRootCommand(strings.NewReader(""), io.Discard, io.Discard)
	for _, verb := range root.Commands() {
		if verb.Flags().Lookup("namespace") != nil && !strings.Contains(verb.Short, "Kubernetes") {
			t.Errorf("%s supports --target kubernetes, but its short description %q does not say so", verb.Name(), verb.Short)
		}
	}
}
