package detect

import (
	"path"
	"regexp"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
)

// goHostPort is an address a Go program builds from a host and a port it
// reads apart, ashishjuyal/banking's
//
//	address := os.Getenv("SERVER_ADDRESS")
//	port := os.Getenv("SERVER_PORT")
//	http.ListenAndServe(fmt.Sprintf("%s:%s", address, port), router)
//
// Both names look like a port's variable; the first read was taken for
// it, the image set SERVER_ADDRESS=:8080 and the app listened on
// ":8080:" + SERVER_PORT. The format (or a concatenation around ":") says
// which is which: the port is the part after the colon, the host the part
// before, which the image then sets to every address.
var (
	goHostPortSprintf = regexp.MustCompile(`fmt\.Sprintf\(\s*"%[sv]:%[sdv]"\s*,\s*([^,()]+?)\s*,\s*([^,()]+?)\s*\)`)
	goHostPortConcat  = regexp.MustCompile(`([\w.]+(?:\("[A-Z0-9_]+"\))?)\s*\+\s*":"\s*\+\s*([\w.]+(?:\("[A-Z0-9_]+"\))?)`)
	goListenUse       = regexp.MustCompile(`ListenAndServe(?:TLS)?\(|\.Run\(|\.Start\(|\.Listen\(|net\.Listen\(`)
	// goServerAddr is an http.Server's Addr field; a database or cache
	// client's options have one too (redis.Options{Addr: ...}), which is
	// not a listen.
	goServerAddr = regexp.MustCompile(`\bAddr:`)
	goServerLit  = regexp.MustCompile(`\bhttp\.Server\s*\{`)
	// goClientVar is a variable of a service the app connects to, never
	// its own listen address.
	goClientVar = regexp.MustCompile(`^(?:[A-Z0-9]+_)*(?:DB|DATABASE|POSTGRES|PG|MYSQL|MARIADB|MONGO|MONGODB|REDIS|CACHE|AMQP|RABBITMQ|NATS|KAFKA|SMTP|MAIL|ELASTIC|ES)(?:_[A-Z0-9]+)*$`)
)

// goHostPortVars finds, in the program's own code, a listen address built
// of a host variable and a port variable, and returns the two reads
// (either nil where its part reads none).
func (r *repo) goHostPortVars(s *Stack) (host, port *Evidence) {
	ours := r.programFiles(s)
	reads := map[string]bool{}
	for _, e := range s.Env {
		reads[e.Value] = true
	}
	for _, f := range r.codeFiles() {
		if path.Ext(f) != ".go" || strings.HasSuffix(f, "_test.go") || devPath(f) || !ours(f) {
			continue
		}
		lines := r.read(f)
		for i, line := range lines {
			if isComment(line) || !strings.Contains(line, `":"`) && !strings.Contains(line, `"%s:%`) && !strings.Contains(line, `"%v:%`) {
				continue
			}
			m := goHostPortSprintf.FindStringSubmatch(line)
			if m == nil {
				m = goHostPortConcat.FindStringSubmatch(line)
			}
			if m == nil || !listensAt(lines, i) {
				continue
			}
			before := lines[max(0, i-40):i]
			h, p := argRead(m[1], before, reads), argRead(m[2], before, reads)
			if p == "" || goClientVar.MatchString(p) || goClientVar.MatchString(h) || project.OtherServer(p) || h != "" && project.OtherServer(h) {
				continue // another service's address, or another server's (metrics, admin)
			}
			port = &Evidence{Value: p, File: f, Line: i + 1, Why: "the port after the colon of the address it listens on"}
			if h != "" && h != p {
				host = &Evidence{Value: h, File: f, Line: i + 1, Why: "the host before the colon of the address it listens on"}
			}
			return host, port
		}
	}
	return nil, nil
}

// listensAt reports whether the address built on line i is listened on:
// by a call on that line, or, assigned to a variable, by a listen call
// or a server's Addr that names it in the lines after.
func listensAt(lines []string, i int) bool {
	if goListenUse.MatchString(lines[i]) || goServerAddr.MatchString(lines[i]) && inServerLiteral(lines, i) {
		return true
	}
	v, ok := assignedName(lines[i])
	if !ok {
		return false
	}
	for j := i + 1; j < min(len(lines), i+15); j++ {
		l := lines[j]
		if (goListenUse.MatchString(l) || goServerAddr.MatchString(l) && inServerLiteral(lines, j)) && wordAt(l, v, 0) >= 0 {
			return true
		}
	}
	return false
}

// inServerLiteral reports whether line i is inside an http.Server literal
// that begins at most a few lines up (`srv := &http.Server{` / `Addr:`).
func inServerLiteral(lines []string, i int) bool {
	for j := i; j >= 0 && j >= i-6; j-- {
		if goServerLit.MatchString(lines[j]) {
			return true
		}
		if j < i && strings.Contains(lines[j], "}") {
			return false
		}
	}
	return false
}

// assignedName is the variable a line sets (`addr := ...`, `addr = ...`).
func assignedName(line string) (string, bool) {
	t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "var "))
	end := 0
	for end < len(t) && isIdentByte(t[end]) {
		end++
	}
	if end == 0 {
		return "", false
	}
	if _, ok := assigned(t, t[:end]); !ok {
		return "", false
	}
	return t[:end], true
}
