package dockerbuild

import (
	"path/filepath"
	"strings"
)

// Command is one build command as written: `docker build`, `docker buildx
// build`, `docker image build`, `podman build` or `buildah bud`.
type Command struct {
	// Tags are the -t/--tag values, in order.
	Tags []string
	// File is the -f/--file value, "" when the command builds
	// <context>/Dockerfile.
	File string
	// Context is the positional argument: a directory, or a URL or tarball
	// as written; "" when the command reads it from stdin (`-`) or it
	// cannot be told from an option's value.
	Context string
	// BuildArgs are the names the --build-arg values set (BUILD_DATE of
	// `--build-arg BUILD_DATE=$(date)`, or of `--build-arg BUILD_DATE`,
	// which passes the shell's own).
	BuildArgs []string
}

// Lines returns the lines of a script or Makefile with backslash
// continuations joined.
func Lines(script string) []string {
	return strings.Split(strings.ReplaceAll(script, "\\\n", " "), "\n")
}

// Parse returns the build commands of one shell line. The line is split
// into commands at ;, |, ||, && and &, and a redirection (> build.log,
// 2>&1, &>/dev/null) is no argument.
func Parse(line string) []Command {
	var out []Command
	for _, words := range commands(line) {
		if c, ok := parse(words); ok {
			out = append(out, c)
		}
	}
	return out
}

func parse(words []string) (Command, bool) {
	i := verb(words)
	if i < 0 {
		return Command{}, false
	}
	var c Command
	set := func(flag, value string) {
		switch flag {
		case "-t", "--tag":
			c.Tags = append(c.Tags, value)
		case "-f", "--file":
			c.File = value
		case "--build-arg":
			name, _, _ := strings.Cut(value, "=")
			c.BuildArgs = append(c.BuildArgs, name)
		}
	}
	// An option nobody listed may take a value: the word after it is then
	// the context only when nothing else can be.
	var positional []string
	var afterUnknown []bool
	unknown := false
	for j := i; j < len(words); j++ {
		w := words[j]
		wasUnknown := unknown
		unknown = false
		switch {
		case strings.HasPrefix(w, "--"):
			if name, value, ok := strings.Cut(w, "="); ok {
				set(name, value)
			} else if valued[w] {
				if j+1 < len(words) {
					set(w, words[j+1])
					j++
				}
			} else if !boolean[w] {
				unknown = true
			}
		case strings.HasPrefix(w, "-") && len(w) > 1:
			flag := w[:2]
			switch {
			case valued[flag] && len(w) > 2:
				set(flag, strings.TrimPrefix(w[2:], "="))
			case valued[flag]:
				if j+1 < len(words) {
					set(flag, words[j+1])
					j++
				}
			case !boolean[w]:
				unknown = true
			}
		default:
			positional = append(positional, w)
			afterUnknown = append(afterUnknown, wasUnknown)
		}
	}
	if len(positional) > 1 {
		var kept []string
		for k, w := range positional {
			if !afterUnknown[k] {
				kept = append(kept, w)
			}
		}
		positional = kept
	}
	if len(positional) == 1 && positional[0] != "-" {
		c.Context = positional[0]
	}
	return c, true
}

// verb returns the index of the first word after the build verb, or -1.
func verb(words []string) int {
	for i := 0; i+1 < len(words); i++ {
		// A Makefile recipe line may start with @ (silent) or - (ignore errors).
		switch filepath.Base(strings.TrimLeft(words[i], "@-+")) {
		case "docker", "podman", "buildah":
			rest := words[i+1:]
			switch {
			case rest[0] == "build" || rest[0] == "bud":
				return i + 2
			case len(rest) > 1 && (rest[0] == "buildx" || rest[0] == "image") && rest[1] == "build":
				return i + 3
			}
		}
	}
	return -1
}

// valued are the build options that take the next word as their value
// (docker build, docker buildx build, podman build).
var valued = map[string]bool{
	"-t": true, "--tag": true, "-f": true, "--file": true, "--build-arg": true, "--build-arg-file": true,
	"--target": true, "--platform": true, "--label": true, "--secret": true, "--ssh": true,
	"--cache-from": true, "--cache-to": true, "--network": true, "--progress": true, "--iidfile": true,
	"-o": true, "--output": true, "--add-host": true, "--build-context": true, "--shm-size": true,
	"--ulimit": true, "-m": true, "--memory": true, "--memory-swap": true, "--metadata-file": true,
	"--builder": true, "--attest": true, "--annotation": true, "--provenance": true, "--sbom": true,
	"--allow": true, "--call": true, "--cgroup-parent": true, "-c": true, "--cpu-shares": true,
	"--cpu-period": true, "--cpu-quota": true, "--cpuset-cpus": true, "--cpuset-mems": true,
	"--isolation": true, "--security-opt": true, "--no-cache-filter": true, "--format": true,
	"--authfile": true, "--creds": true, "--cert-dir": true, "--manifest": true, "--arch": true,
	"--os": true, "--variant": true, "-v": true, "--volume": true, "-e": true, "--env": true,
	"--jobs": true, "--ignorefile": true, "--userns": true, "--from": true, "--layers-cache": true,
}

// boolean are the build options that take no value.
var boolean = map[string]bool{
	"-q": true, "--quiet": true, "--pull": true, "--no-cache": true, "--push": true, "--load": true,
	"--rm": true, "--force-rm": true, "--squash": true, "--compress": true, "--stream": true,
	"--disable-content-trust": true, "--check": true, "--debug": true, "-D": true, "--layers": true,
	"--no-hosts": true, "--omit-history": true, "--squash-all": true, "--tls-verify": true,
}

// commands splits a shell line into the words of each command, quotes
// removed. $(...), ${...}, `...` and GitHub's ${{ ... }} stay whole, inside
// the word they are part of.
func commands(line string) [][]string {
	var (
		cmds     [][]string
		words    []string
		w        strings.Builder
		inWord   bool // a word has begun, if only with ""
		dropNext bool // the next word is a redirection's file
	)
	endWord := func() {
		if !inWord {
			return
		}
		if dropNext {
			dropNext = false
		} else {
			words = append(words, w.String())
		}
		w.Reset()
		inWord = false
	}
	endCommand := func() {
		endWord()
		dropNext = false
		if len(words) > 0 {
			cmds = append(cmds, words)
		}
		words = nil
	}
	next := func(i int) byte {
		if i+1 < len(line) {
			return line[i+1]
		}
		return 0
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r':
			endWord()
		case c == '\'':
			inWord = true
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				end = len(line) - i - 1
			}
			w.WriteString(line[i+1 : i+1+end])
			i += end + 1
		case c == '"':
			inWord = true
			for i++; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' && strings.IndexByte("\"\\$`", next(i)) >= 0 {
					i++
				}
				w.WriteByte(line[i])
			}
		case c == '\\' && i+1 < len(line):
			inWord = true
			i++
			w.WriteByte(line[i])
		case c == '$' && strings.HasPrefix(line[i:], "${{"):
			inWord = true
			end := strings.Index(line[i:], "}}")
			if end < 0 {
				end = len(line) - i - 2
			}
			w.WriteString(line[i : i+end+2])
			i += end + 1
		case c == '$' && (next(i) == '(' || next(i) == '{'):
			inWord = true
			end := closing(line, i+1)
			w.WriteString(line[i:end])
			i = end - 1
		case c == '`':
			inWord = true
			end := strings.IndexByte(line[i+1:], '`')
			if end < 0 {
				w.WriteString(line[i:])
				i = len(line)
				continue
			}
			w.WriteString(line[i : i+end+2])
			i += end + 1
		case c == '#' && !inWord:
			endCommand()
			return cmds
		case c == ';' || c == '(' || c == ')':
			endCommand()
		case c == '|':
			endCommand()
			if next(i) == '|' {
				i++
			}
		case c == '&' && next(i) == '>': // &> file, &>> file
			endWord()
			i++
			if next(i) == '>' {
				i++
			}
			dropNext = true
		case c == '&':
			endCommand()
			if next(i) == '&' {
				i++
			}
		case c == '>' || c == '<':
			if inWord && digits(w.String()) {
				w.Reset() // the descriptor of 2>file
				inWord = false
			} else {
				endWord()
			}
			for strings.IndexByte("<>|", next(i)) >= 0 && next(i) != 0 {
				i++ // >>, <<, <>, >|
			}
			if next(i) == '&' {
				i++
				if d := next(i); d == '-' || d >= '0' && d <= '9' {
					for d := next(i); d == '-' || d >= '0' && d <= '9'; d = next(i) {
						i++
					}
					continue // 2>&1, >&-: a descriptor, no file
				}
			}
			dropNext = true
		default:
			inWord = true
			w.WriteByte(c)
		}
	}
	endCommand()
	return cmds
}

// closing returns the index just past the bracket that closes the one at
// open, or the line's end.
func closing(line string, open int) int {
	pair := map[byte]byte{'(': ')', '{': '}'}[line[open]]
	depth := 0
	for i := open; i < len(line); i++ {
		switch line[i] {
		case line[open]:
			depth++
		case pair:
			depth--
			if depth == 0 {
				return i + 1
			}
		}
	}
	return len(line)
}

func digits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
