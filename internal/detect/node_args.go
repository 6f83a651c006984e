package detect

import (
	"path"
	"regexp"
	"strconv"
	"strings"
)

// startArgs are the words a command passes a Node program after its
// file: `node dist/bin/peerjs.js --port ${PORT:=9000}` (peer's start
// script), `babel-node -- src/cli/bin db.json -r routes.json`.
type startArgs struct {
	entry string   // the file the command runs
	at    Evidence // the command
	args  []string
}

// argFileExts mark an argument that names a file of the repository
// (config.js, db.json, settings.yaml).
var argFileExts = map[string]bool{".js": true, ".cjs": true, ".mjs": true, ".ts": true, ".json": true, ".yml": true, ".yaml": true,
	".toml": true, ".ini": true, ".conf": true, ".env": true}

// shellDefault is a variable with a default: ${PORT:=9000}, ${PORT:-9000},
// ${PORT-9000}.
var shellDefault = regexp.MustCompile(`\$\{(\w+):?[-=]([^}$]*)\}`)

// nodeProgramArgs gives the image the arguments the repository's command
// passes the program it runs, when that program is the entry point chosen:
// peer exits with its usage without `--port`. The image runs the program
// without a shell, so a variable with a default is passed as its default,
// and one without (`$CONFIG`) cannot be passed at all: init then stops and
// asks for --args rather than run the program without them. A port the
// arguments give (`--port 9000`, `-p=9000`) is the port.
func (r *repo) nodeProgramArgs(s *Stack) {
	a := r.programArgs
	if a == nil || len(a.args) == 0 || len(s.Entrypoints) == 0 || s.Entrypoints[0].Value != a.entry {
		return
	}
	at := a.at
	words := make([]string, 0, len(a.args))
	var expanded []string
	for _, w := range a.args {
		v := shellDefault.ReplaceAllStringFunc(w, func(m string) string {
			expanded = append(expanded, m)
			return shellDefault.FindStringSubmatch(m)[2]
		})
		if strings.ContainsAny(v, "$`*?<> \t") {
			at.Value = "pass the program's arguments with --args: " + at.Why + " passes `" + strings.Join(a.args, " ") +
				"`, which needs a shell (" + w + "), and the image runs the program without one"
			s.Needs = append(s.Needs, at)
			return
		}
		words = append(words, v)
	}
	for _, w := range words {
		if f := strings.TrimPrefix(w, "./"); argFileExts[path.Ext(f)] && !path.IsAbs(f) && !strings.HasPrefix(f, "-") && r.read(f) == nil && !isDir(r.dir, f) {
			// statsd's Dockerfile runs `node stats.js config.js` after its
			// RUN copied exampleConfig.js there: the image would lack it.
			at.Value = "create " + f + " in the repository, or pass the program's arguments with --args: " + at.Why +
				" passes `" + strings.Join(a.args, " ") + "`, and the repository holds no " + f
			s.Needs = append(s.Needs, at)
			return
		}
	}
	at.Value = strings.Join(words, " ")
	at.Why += " passes them to " + a.entry
	if len(expanded) > 0 {
		at.Why += " (" + strings.Join(expanded, ", ") + " as its default: the image has no shell to expand it)"
	}
	s.Args = &at
	if s.Port != nil {
		return
	}
	for i, w := range words {
		name, value, hasValue := strings.Cut(w, "=")
		if name != "--port" && name != "-p" {
			continue
		}
		if !hasValue && i+1 < len(words) {
			value = words[i+1]
		}
		if n, err := strconv.Atoi(value); err == nil && n > 0 && n < 65536 {
			port := a.at
			port.Value, port.Why = value, a.at.Why+" passes "+name+" "+value+" to "+a.entry
			s.Port = &port
		}
		return
	}
}
