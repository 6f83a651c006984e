package detect

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

var (
	// nodePortOptionStart declares a command-line option named port:
	// optimist's and yargs' .option(s)('port', {...}), commander's
	// .option('-p, --port <number>', 'desc', 3000).
	nodePortOptionStart = regexp.MustCompile(`\.options?\(\s*['"](?:-\w,\s*)?(?:--)?port\b[^'"]*['"]\s*,\s*(.*)$`)
	// nodeAliasedOption declares an option by another name, which an
	// alias may make the port: yargs' .option("p", { alias: "port",
	// default: 8000 }) (brendanlong/page-stash).
	nodeAliasedOption = regexp.MustCompile(`\.options?\(\s*['"]\w+['"]\s*,\s*(\{.*)$`)
	// portAlias is that alias: alias: "port", alias: ['P', 'port'].
	portAlias = regexp.MustCompile(`\balias\s*:\s*(?:['"]port['"]|\[[^\]]*['"]port['"])`)
	// portOptionDefault is its default in the options object, on the line or
	// within the few after it: default: '80', default: 8080.
	portOptionDefault = regexp.MustCompile(`\bdefault\s*:\s*['"]?(\d{2,5})['"]?\s*[,}]?`)
	// commanderDefault is commander's default, the option's third
	// argument: 'listen port', 3000).
	commanderDefault = regexp.MustCompile(`^['"][^'"]*['"]\s*,\s*(?:(?:parseInt|Number|parseFloat|\w+)\s*,\s*)?['"]?(\d{2,5})['"]?\s*\)`)
)

// nodePortOption is the port a Node program's own --port option gives
// unset, where nothing else said one (localtunnel/server's bin/server
// declares optimist's .options('port', {default: '80'}) and listens on
// argv.port; init assumed 3000 and its probe could never pass). The image
// passes --port with the plan's port, as for a start command's --port.
func (r *repo) nodePortOption(s *Stack) {
	scope := r.runScope(s)
	if scope == nil || s.Port != nil || s.PortVar != nil || argSets(s.ArgWords, "port") {
		return
	}
	for _, f := range slices.Sorted(maps.Keys(scope)) {
		lines := r.read(f)
		for i, line := range lines {
			m := nodePortOptionStart.FindStringSubmatch(line)
			if a := nodeAliasedOption.FindStringSubmatch(line); m == nil && a != nil {
				if portAlias.MatchString(a[1] + " " + strings.Join(lines[i+1:min(len(lines), i+4)], " ")) {
					m = a
				}
			}
			if m == nil || isComment(line) {
				continue
			}
			def := ""
			if c := commanderDefault.FindStringSubmatch(strings.TrimSpace(m[1])); c != nil {
				def = c[1]
			}
			for j := i; def == "" && j < len(lines) && j <= i+4; j++ {
				text := lines[j]
				if j == i {
					text = m[1]
				} else if strings.Contains(text, ".option") {
					break // the next option's
				}
				if isComment(text) {
					continue
				}
				if d := portOptionDefault.FindStringSubmatch(text); d != nil {
					def = d[1]
				}
			}
			if n, err := strconv.Atoi(def); err != nil || n < 1 || n > 65535 {
				continue
			}
			at := Evidence{Value: def, File: f, Line: i + 1, Why: "the default of its --port option"}
			s.Port = &at
			words := append([]string{PortFlag, def}, s.ArgWords...)
			args := at
			args.Why = "its --port option, which the image passes with the port"
			s.setArgs(&args, words)
			return
		}
	}
}
