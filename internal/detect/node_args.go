package detect

import (
	"cmp"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
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
	// flags are node's own options before the file (-r esm,
	// --max-old-space-size=512).
	flags []string
	// member is the workspace member whose command it is, "" for the
	// root's.
	member string
}

// argFileExts mark an argument that names a file of the repository
// (config.js, db.json, settings.yaml).
var argFileExts = map[string]bool{".js": true, ".cjs": true, ".mjs": true, ".ts": true, ".json": true, ".yml": true, ".yaml": true,
	".toml": true, ".ini": true, ".conf": true}

var (
	// shellDefault is a variable with a default: ${PORT:=9000},
	// ${PORT:-9000}, ${PORT-9000}.
	shellDefault = regexp.MustCompile(`\$\{(\w+):?[-=]([^}$]*)\}`)
	// shellVar is a variable alone: $PORT, ${PORT}.
	shellVar = regexp.MustCompile(`^\$(?:(\w+)|\{(\w+)\})$`)
	// redirect is a shell redirection: > app.log, 2>&1, >>out, &>x.
	redirect = regexp.MustCompile(`^(?:\d?>>?|&>)(.*)$`)
)

// PortFlag is the flag by which a program's arguments give its port: the
// image passes the plan's port with it.
const PortFlag = "--port"

// ProgramArgs reads the arguments a command passes a program (or the
// user's --args) as the image passes them, with no shell: a variable with
// a default is its default; the port's variable ($PORT, or any after
// --port) stands for the port, which the image passes; a redirection of
// the output is dropped (the log goes to stdout). bad is the first word
// that needs a shell ($CONFIG, a command substitution), "" when none.
func ProgramArgs(args []string) (words, expanded []string, bad string) {
	for i := 0; i < len(args); i++ {
		w := args[i]
		if m := redirect.FindStringSubmatch(w); m != nil {
			if m[1] == "" && !strings.HasSuffix(w, "&1") && i+1 < len(args) {
				i++ // its target
			}
			continue
		}
		v := shellDefault.ReplaceAllStringFunc(w, func(m string) string {
			expanded = append(expanded, m)
			return shellDefault.FindStringSubmatch(m)[2]
		})
		name, value, eq := strings.Cut(v, "=")
		portValue := eq && name == PortFlag || !eq && i > 0 && args[i-1] == PortFlag
		if !eq {
			value = v
		}
		if m := shellVar.FindStringSubmatch(value); m != nil && (portValue || m[1]+m[2] == "PORT") {
			words = append(words, v) // the image passes the port
			continue
		}
		if strings.ContainsAny(v, "$`") {
			return nil, nil, w
		}
		words = append(words, v)
	}
	return words, expanded, ""
}

// WithPort is words[i] giving the program port instead, when it is a word
// that gives the program its port (PortWord), or a listen address an
// address flag gives (--hosts 0.0.0.0:5232,[::]:5232: each address's
// port); ok false otherwise. The image passes the plan's port there.
func WithPort(words []string, i int, port int) (string, bool) {
	if prefix, ok := PortWord(words, i); ok {
		return prefix + strconv.Itoa(port), true
	}
	w := words[i]
	name, value, eq := strings.Cut(w, "=")
	if !eq {
		if i == 0 || !addressFlag.MatchString(words[i-1]) {
			return "", false
		}
		name, value = "", w
	} else if !addressFlag.MatchString(name) {
		return "", false
	}
	items := strings.Split(value, ",")
	for k, item := range items {
		m := addressPort.FindStringSubmatchIndex(strings.TrimSpace(item))
		if m == nil {
			return "", false
		}
		t := strings.TrimSpace(item)
		items[k] = t[:m[2]] + strconv.Itoa(port)
	}
	if name == "" {
		return strings.Join(items, ","), true
	}
	return name + "=" + strings.Join(items, ","), true
}

// PortWord reports whether words[i] gives the program its port, and what
// comes before the port in it: the word after --port, --port=VALUE
// ("--port="), the port's variable alone ($PORT). The image passes the
// plan's port there.
func PortWord(words []string, i int) (prefix string, ok bool) {
	w := words[i]
	if name, _, eq := strings.Cut(w, "="); eq && name == PortFlag {
		return PortFlag + "=", true
	}
	if i > 0 && words[i-1] == PortFlag {
		return "", true
	}
	if m := shellVar.FindStringSubmatch(w); m != nil && m[1]+m[2] == "PORT" {
		return "", true
	}
	return "", false
}

// ShellWords splits a command line into words as a shell would (quotes
// kept together, no expansion): what --args passes.
func ShellWords(line string) []string {
	return words(line)
}

// ShellWordsCut is what ShellWords leaves out of line: the text from an
// unquoted ; & | or # on ("" when it reads it all). An argument such
// as a SQLite URL's ?_fk=1&_pragma=... must be quoted.
func ShellWordsCut(line string) string {
	_, at := wordsUntil(line)
	return strings.TrimSpace(line[at:])
}

// addressFlag is a long flag whose value is the address a program
// listens on: --bind, --listen, --hosts (Radicale's --hosts
// 0.0.0.0:5232,[::]:5232), --http-address.
var addressFlag = regexp.MustCompile(`^--(?:(?:http|listen|server|web|bind)[-_])?(?:bind|listen|hosts?|addr|address)$`)

// addressPort is the port of a listen address: 0.0.0.0:5232, [::]:5232,
// :8080.
var addressPort = regexp.MustCompile(`^(?:[\w.-]*|\[[0-9a-fA-F:.]*\]):(\d{2,5})$`)

// ArgsPort is the port a program's arguments give with --port, or as the
// port of the first address an address flag gives (--hosts
// 0.0.0.0:5232), and the flag; "" when they give none or not a number.
func ArgsPort(words []string) (port, flag string) {
	for i, w := range words {
		name, value, eq := strings.Cut(w, "=")
		if name != PortFlag && !addressFlag.MatchString(name) {
			continue
		}
		if !eq && i+1 < len(words) {
			value = words[i+1]
		}
		if name != PortFlag {
			first, _, _ := strings.Cut(value, ",")
			m := addressPort.FindStringSubmatch(strings.TrimSpace(first))
			if m == nil {
				continue
			}
			value = m[1]
		}
		if n, err := strconv.Atoi(value); err == nil && n > 0 && n < 65536 {
			return value, name
		}
		return "", ""
	}
	return "", ""
}

// startProgramArgs gives the image the arguments the repository's command
// passes the program it runs, when that program is the entry point chosen
// (a Node file, a Python script, module or console script): peer exits
// with its usage without `--port`. A word that needs a shell
// (`$CONFIG`), or a file the repository lacks and git does not ignore
// (statsd's Dockerfile runs `node stats.js config.js` after a RUN made
// it), stops init, which asks for --args rather than run the program
// without them. A port the arguments give with --port is the port.
func (r *repo) startProgramArgs(s *Stack) {
	a := r.programArgs
	if a == nil || len(a.args) == 0 || len(s.Entrypoints) == 0 || s.Entrypoints[0].Value != a.entry {
		return
	}
	at := a.at
	words, expanded, bad := ProgramArgs(a.args)
	if bad != "" {
		at.Value = "pass the program's arguments with --args: " + at.Why + " passes `" + strings.Join(a.args, " ") +
			"`, which needs a shell (" + bad + "), and the image runs the program without one"
		s.Needs = append(s.Needs, at)
		return
	}
	for _, w := range words {
		if slices.ContainsFunc(r.builtDirs, func(d string) bool { return strings.HasPrefix(path.Clean(strings.TrimPrefix(w, "./"))+"/", d+"/") }) {
			continue // the build writes it
		}
		if f := r.missingArgFile(w); f != "" {
			at.Value = "create " + f + " in the repository, or pass the program's arguments with --args: " + at.Why +
				" passes `" + strings.Join(a.args, " ") + "`, and the repository holds no " + f
			s.Needs = append(s.Needs, at)
			return
		}
	}
	if len(words) == 0 {
		return
	}
	at.Why += " passes them to " + a.entry
	if len(expanded) > 0 {
		at.Why += " (" + strings.Join(expanded, ", ") + " as its default: the image has no shell to expand it)"
	}
	s.setArgs(&at, words)
	s.portFromArgs(a.at, a.at.Why+" passes %s to "+a.entry)
}

// startNodeFlags gives the image node's own options that the repository's
// command passes before the program's file, where that program is the
// entry point chosen: localtunnel/server's Dockerfile runs `node -r esm
// ./bin/server`, and without the preload Node 24 read bin/server as an
// ES module and stopped on "Cannot find module '/app/server'". A preload
// (-r, --import, --loader) is kept where what it loads is in the image:
// a production dependency, a file of the repository it may hold, a data:
// URL. Development options (--inspect, --watch) and --env-file (the
// image has no .env: compose and Kubernetes set the variables) are not,
// and a note says which were left out.
func (r *repo) startNodeFlags(s *Stack) {
	a := r.programArgs
	if a == nil || len(a.flags) == 0 || len(s.Entrypoints) == 0 || s.Entrypoints[0].Value != a.entry {
		return
	}
	pkg := r.memberPackage(cmp.Or(a.member, "."))
	var kept, dropped []string
	for i := 0; i < len(a.flags); i++ {
		if a.flags[i] == "--" {
			continue // the end of node's options: the image's entry has the file next
		}
		words := []string{a.flags[i]}
		name, value, eq := strings.Cut(a.flags[i], "=")
		if nodeValueFlags[name] && !eq && i+1 < len(a.flags) {
			value = a.flags[i+1]
			words = append(words, value)
			i++
		}
		keep := true
		switch {
		case name == "--env-file" || name == "--env-file-if-exists" || name == "-e" || name == "--eval" || name == "-p" || name == "--print" ||
			strings.HasPrefix(name, "--inspect") || strings.HasPrefix(name, "--watch") || name == "--test":
			keep = false
		case name == "-r" || name == "--require" || name == "--import" || name == "--loader" || name == "--experimental-loader":
			if a.member != "" && (strings.HasPrefix(value, "./") || strings.HasPrefix(value, "../")) {
				// A member's file, from the root the image runs in.
				value = "./" + path.Join(a.member, value)
				words = []string{name, value}
			}
			var carry string
			keep, carry = r.nodeModuleShipped(s, value, pkg)
			if carry != "" && !slices.ContainsFunc(s.RuntimeFiles, func(e Evidence) bool { return e.Value == carry }) {
				s.RuntimeFiles = append(s.RuntimeFiles, Evidence{Value: carry, Why: "node preloads it"})
			}
		}
		if keep {
			kept = append(kept, words...)
		} else {
			dropped = append(dropped, words...)
		}
	}
	at := a.at
	if len(dropped) > 0 {
		s.NodeFlagsDropped = &Evidence{Value: strings.Join(dropped, " "), File: at.File, Line: at.Line, Why: at.Why}
	}
	if len(kept) > 0 {
		at.Value, at.Why = strings.Join(kept, " "), at.Why+" passes them to node"
		s.NodeFlags, s.NodeFlagWords = &at, kept
	}
}

// nodeModuleShipped reports whether what a preload names is in the image:
// a file of the repository it may hold, a production dependency (esm,
// dotenv/config), or a data: URL; not a development dependency, which
// the production install leaves out (ts-node/register).
//
// A compiled app's runtime holds its output alone: a file of the tree
// there is carried too (RuntimeFiles: the OpenTelemetry guides' `node -r
// ./tracing.js dist/index.js`), and a file under the output directory is
// the build's (`--require ./dist/instrumentation.js`). carry is such a
// file of the tree, which the runtime must be given.
func (r *repo) nodeModuleShipped(s *Stack, spec string, pkg packageJSON) (shipped bool, carry string) {
	switch {
	case strings.HasPrefix(spec, "data:"), strings.HasPrefix(spec, "node:"):
		return true, ""
	case strings.HasPrefix(spec, "./") || strings.HasPrefix(spec, "../") || strings.HasPrefix(spec, "/"):
		if s.TypeScript != nil && r.underOutDir(path.Clean(spec)) {
			return true, ""
		}
		f := r.resolveNode(path.Clean(spec))
		if f == "" || !r.shippable(f) || strings.HasPrefix(path.Clean(spec), "..") {
			return false, ""
		}
		if s.TypeScript != nil {
			return true, f // a compiled app's runtime copies its output alone
		}
		return true, ""
	}
	name := spec
	if parts := strings.SplitN(spec, "/", 3); strings.HasPrefix(spec, "@") && len(parts) >= 2 {
		name = parts[0] + "/" + parts[1]
	} else {
		name, _, _ = strings.Cut(spec, "/")
	}
	_, ok := pkg.Dependencies[name]
	return ok, ""
}

// SecretPath matches a path, or a .dockerignore pattern, that names a
// secret: an env file (.env, .env.local, env.production), a key or
// keystore, a secrets or credentials file or directory, a password or
// token file, a package registry's or a cloud's credentials (.npmrc,
// .aws/, .docker/config.json), a service account. No image is given such
// a file by a rule of init's, and init --force keeps a repository's
// .dockerignore lines that match it.
var SecretPath = regexp.MustCompile(`(?i)secret|credential|passw|token|keystore|htpasswd|id_rsa|id_ed25519|service-?account|` +
	`\.(?:pem|key|p12|pfx|jks)\b|(?:^|/)\.?env(?:\.|$)|\.env$|(?:^|/)\.(?:env|npmrc|pypirc|netrc|aws|ssh|gnupg)|(?:^|/)\.docker(?:/|$)`)

// shippable reports whether a repository path may go into the image by a
// rule of init's: not a secret, and not a file git ignores (a developer's
// local .env, database or build), which a clone does not hold.
func (r *repo) shippable(p string) bool {
	return !SecretPath.MatchString(p) && !r.gitIgnored(p)
}

// setArgs makes words the program's arguments, at where they come from;
// none for no words.
func (s *Stack) setArgs(at *Evidence, words []string) {
	if len(words) == 0 {
		s.Args, s.ArgWords = nil, nil
		return
	}
	at.Value = strings.Join(words, " ")
	s.Args, s.ArgWords = at, words
}

// portFromArgs makes the port the one the arguments give with --port or
// an address flag, where nothing gave one before; at is where they come
// from, why says so (%s the flag and the port).
func (s *Stack) portFromArgs(at Evidence, why string) {
	if v, flag := ArgsPort(s.ArgWords); v != "" && s.Port == nil {
		given := flag + " " + v
		if flag != PortFlag {
			given = flag + " (port " + v + ")"
		}
		at.Value, at.Why = v, fmt.Sprintf(why, given)
		s.Port = &at
	}
}

// missingArgFile is the file an argument names (config.js, or the value of
// --config=config/prod.json) when the repository lacks it and its
// .gitignore does not ignore it (lowdb's db.json, which the app writes on
// its first run, is ignored), "" otherwise.
func (r *repo) missingArgFile(w string) string {
	if _, v, ok := strings.Cut(w, "="); ok {
		w = v
	}
	f := path.Clean(strings.TrimPrefix(w, "./"))
	if !argFileExts[path.Ext(f)] || path.IsAbs(f) || strings.HasPrefix(f, "-") || strings.HasPrefix(f, "..") {
		return ""
	}
	if _, err := os.Stat(filepath.Join(r.dir, filepath.FromSlash(f))); err == nil {
		return ""
	}
	if r.gitIgnored(f) {
		return "" // the app makes it on its first run
	}
	return f
}
