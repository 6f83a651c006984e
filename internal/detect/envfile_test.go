package detect

import (
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/dotenv"
)

func TestEnvAssignment(t *testing.T) {
	for _, c := range []struct {
		line, name, value string
		ok                bool
	}{
		{"PORT=8080", "PORT", "8080", true},
		{"  export  PORT = 8080  ", "PORT", "8080", true},
		{"PORT=8080 # the app's", "PORT", "8080", true},
		{"URL=http://x/#frag", "URL", "http://x/#frag", true}, // a comment needs a space before it
		{"GREETING=hello world", "GREETING", "hello world", true},
		{`SECRET="a b # not a comment"`, "SECRET", "a b # not a comment", true},
		{`MSG="line\nnext \"q\" \\ \$HOME"`, "MSG", "line\nnext \"q\" \\ $HOME", true},
		{`RAW='a\nb \' c'`, "RAW", `a\nb ' c`, true},
		{`STAGE_STATUS="dev" # or prod`, "STAGE_STATUS", "dev", true},
		{"EMPTY=", "EMPTY", "", true},
		{`OPEN="unterminated`, "OPEN", "unterminated", true},
		{"export=1", "export", "1", true},
		{"# PORT=8080", "", "", false},
		{"", "", "", false},
		{"not an assignment", "", "", false},
		{"9LIVES=1", "", "", false},
		{`TWO="a"B=c`, "", "", false}, // compose reads two assignments
		{"a.b=1", "", "", false},      // compose reads it; no program reads it from its environment
	} {
		name, value, ok := EnvAssignment(c.line)
		if name != c.name || value != c.value || ok != c.ok {
			t.Errorf("EnvAssignment(%q) = %q, %q, %v; want %q, %q, %v", c.line, name, value, ok, c.name, c.value, c.ok)
		}
	}
}

// FuzzEnvAssignment requires init's reading of an env file line to be
// compose's, where both read it and the value expands no variable (init
// reads what the file says; compose would expand $NAME).
func FuzzEnvAssignment(f *testing.F) {
	for _, s := range []string{"PORT=8080", `A="x\ty \"z\" \0101 \c"`, "B='q' # c", "export C = d #e", `D="\\"`, "E=a\\nb", "F=\v'x'"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if strings.ContainsAny(line, "$\n") {
			return
		}
		name, value, ok := EnvAssignment(line)
		if !ok {
			return
		}
		want, err := dotenv.UnmarshalWithLookup(line, func(string) (string, bool) { return "", false })
		if err != nil {
			return // compose refuses it (an unterminated quote): init reads it leniently
		}
		if got, found := want[name]; !found || got != value {
			t.Fatalf("EnvAssignment(%q) = %q=%q; compose's dotenv reads %q", line, name, value, want)
		}
	})
}
