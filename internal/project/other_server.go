package project

import (
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/shipshape/shipshape/internal/source/bounds"
)

// otherServerWord is a word of a name that belongs to something the app
// connects to or serves beside its own port: a database, a queue, a mail,
// debug or metrics server.
var otherServerWord = regexp.MustCompile(`(?i)^(?:\w*SQL\w*|\w*DB|DATABASE|POSTGRES\w*|PG|MARIA\w*|REDIS|MONGO\w*|E?MAIL\w*|SMTP|IMAP|POP3?|CACHE|AMQP|RABBIT\w*|KAFKA|NATS|ELASTIC\w*|ES|MEMCACHED?|LDAP|GRPC|ACME|AUTOCERT|PROXY|METRICS|PROM\w*|DEBUG|PPROF|PROFIL(?:ER|ING)|ADMIN|TRAC\w*|TEMPO|JAEGER|OTEL|STATSD|MANAGEMENT|HEALTH)$`)

// addressSuffix ends a word that runs a server's name into its address
// part: DBPORT, PGPORT, REDISHOST (Azure-Samples/msdocs-fastapi-
// postgresql-sample-app's os.environ.get("DBPORT", 5432) was taken for
// the app's listen port).
var addressSuffix = regexp.MustCompile(`(?i)(?:PORT|HOST|ADDR|ADDRESS|URL|URI)$`)

// OtherServer reports whether a name (SALES_DEBUG_HOST, redis.port,
// ListenAndServeDebug, flag.String("metrics-addr") names another
// server's address than the app's, word by word. Scan and detect both ask
// it, so a port is the app's or not by one list.
func OtherServer(name string) bool {
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		for _, w := range CamelWords(part) {
			if otherServerWord.MatchString(w) || otherServerWord.MatchString(addressSuffix.ReplaceAllString(w, "")) {
				return true
			}
		}
	}
	return false
}

// CamelWords splits a Go name as ardanlabs/conf does: APIHost is API,
// Host; ReadTimeout is Read, Timeout.
func CamelWords(s string) []string {
	var words []string
	rs := []rune(s)
	start := 0
	for i := 1; i < len(rs); i++ {
		lowerToUpper := unicode.IsLower(rs[i-1]) && unicode.IsUpper(rs[i])
		acronymEnd := unicode.IsUpper(rs[i-1]) && unicode.IsUpper(rs[i]) && i+1 < len(rs) && unicode.IsLower(rs[i+1])
		if lowerToUpper || acronymEnd {
			words = append(words, string(rs[start:i]))
			start = i
		}
	}
	return append(words, string(rs[start:]))
}

var (
	// httpsRedirect is a handler that sends every request to https://: a
	// server made of one is a TLS redirect on :80, not the app.
	httpsRedirect = regexp.MustCompile(`Redirect\(.*"https://`)
	// acmeChallenge is a server that answers ACME's HTTP challenges
	// (autocert's Manager.HTTPHandler: getfider/fider's :80 beside its
	// PORT 3000), not the app.
	acmeChallenge = regexp.MustCompile(`\.HTTPHandler\(`)
	goFuncName    = regexp.MustCompile(`^func\s+(?:\([^)]*\)\s*)?(\w+)`)
)

// AppListens drops from list the listens of servers beside the app: one
// whose handler redirects to https:// (within two lines), one in a Go
// function named for another server (ListenAndServeDebug,
// ListenAndServeTLSRedirect, serveMetrics, startLetsEncryptServer), and, where another listen
// remains or the same file starts another server, one that runs only
// under a condition naming another server (if config.EnablePprof) and
// Go's pprof server on loopback.
func AppListens(list []Evidence) []Evidence {
	var out, optional []Evidence
	files := map[string][]string{}
	for _, e := range list {
		lines, ok := files[e.File]
		if !ok {
			if data, err := bounds.ReadFile(e.File); err == nil {
				lines = strings.Split(string(data), "\n")
			}
			files[e.File] = lines
		}
		other := false
		for i := e.Line - 1; i >= 0 && i < len(lines) && i < e.Line+2; i++ {
			other = other || httpsRedirect.MatchString(lines[i]) || acmeChallenge.MatchString(lines[i])
		}
		// A mux of pprof's handlers made just before (statping-ng's
		// r.HandleFunc("/debug/pprof/", pprof.Index) ... on :9090 when
		// DEBUG is set): a profiler's server.
		for i := max(e.Line-10, 0); i < e.Line-1 && i < len(lines); i++ {
			other = other || strings.Contains(lines[i], `"/debug/pprof/`)
		}
		for i := min(e.Line-1, len(lines)-1); i >= 0; i-- {
			if m := goFuncName.FindStringSubmatch(lines[i]); m != nil {
				// statping-ng's startLetsEncryptServer: its :80 redirects
				// to the TLS server it starts beside.
				other = other || OtherServer(m[1]) || strings.Contains(m[1], "Redirect") || strings.Contains(strings.ToLower(m[1]), "letsencrypt")
				break
			}
		}
		if !other && (underOtherServerCondition(lines, e.Line) || pprofListen(lines, e.Line)) {
			optional = append(optional, e)
			continue
		}
		if !other {
			out = append(out, e)
		}
	}
	if len(out) == 0 && !otherServerStart(files, optional) {
		// The app's only listen (pprof on the app's own server, a debug
		// switch around the one server): it is the app's.
		return optional
	}
	// In one file, the default of the bare PORT the platform sets comes
	// before a prefixed one's, which names a part (pa11y-dashboard's
	// config.js: WEBSERVICE_PORT 3000, its embedded webservice's, then
	// PORT 4000, what app.js listens on).
	if len(out) > 1 && out[0].Why != "default of $PORT" && strings.HasPrefix(out[0].Why, "default of $") {
		if i := slices.IndexFunc(out, func(e Evidence) bool { return e.File == out[0].File && e.Why == "default of $PORT" }); i > 0 {
			out = append(append([]Evidence{out[i]}, out[:i]...), out[i+1:]...)
		}
	}
	return out
}

// serverStart starts an HTTP server whose address the code does not
// write as a literal: s4.ListenAndServe(), srv.ListenAndServeTLS(c, k),
// http.Serve(l, h), srv.Serve(l). Not a bare Start(), which cron's,
// exec's and a tracer's are too.
var serverStart = regexp.MustCompile(`\.(?:ListenAndServe|ListenAndServeTLS)\(|\bhttp\.Serve(?:TLS)?\(|\.Serve(?:TLS)?\(\s*\w+`)

// otherServerStart reports whether a file of the optional listens starts
// another server on a line none of them is on: the app's own, whose
// address comes from its configuration (wakapi's
// `s4 = &http.Server{Addr: bindString4}; s4.ListenAndServe()` beside its
// `if config.EnablePprof` profiler on 127.0.0.1:6060).
func otherServerStart(files map[string][]string, optional []Evidence) bool {
	at := map[string]map[int]bool{}
	for _, e := range optional {
		if at[e.File] == nil {
			at[e.File] = map[int]bool{}
		}
		at[e.File][e.Line] = true
	}
	for file, lines := range at {
		for i, l := range files[file] {
			if !lines[i+1] && serverStart.MatchString(l) && !strings.HasPrefix(strings.TrimSpace(l), "//") {
				return true
			}
		}
	}
	return false
}

var (
	// blockCondition is the condition of an if that opens a block.
	blockCondition = regexp.MustCompile(`^\s*(?:\}\s*else\s+)?if\s+(.+?)\s*[{:]\s*$`)
	// defaultMuxListen serves Go's DefaultServeMux (a nil handler), where
	// net/http/pprof registers its handlers.
	defaultMuxListen = regexp.MustCompile(`ListenAndServe\(\s*"(?:127\.0\.0\.1|localhost):\d+"\s*,\s*nil\s*\)`)
)

// underOtherServerCondition reports whether the listen at line (1-based)
// runs only under a condition that names another server: wakapi's
// `if config.EnablePprof { go func() { http.ListenAndServe("127.0.0.1:6060", nil) }() }`
// is its profiler, not the app, whose port was taken as 6060.
func underOtherServerCondition(lines []string, line int) bool {
	if line < 1 || line > len(lines) {
		return false
	}
	indent := Indent(lines[line-1])
	for i := line - 2; i >= 0 && i >= line-40 && indent > 0; i-- {
		l := lines[i]
		if strings.TrimSpace(l) == "" || Indent(l) >= indent {
			continue
		}
		indent = Indent(l)
		if m := blockCondition.FindStringSubmatch(l); m != nil && OtherServer(m[1]) {
			return true
		}
		if strings.HasPrefix(strings.TrimSpace(l), "func ") {
			break
		}
	}
	return false
}

// pprofListen reports whether the listen at line serves DefaultServeMux
// on loopback in a file that imports net/http/pprof: Go's profiling
// endpoint, the canonical `go http.ListenAndServe("localhost:6060", nil)`.
func pprofListen(lines []string, line int) bool {
	if line < 1 || line > len(lines) || !defaultMuxListen.MatchString(lines[line-1]) {
		return false
	}
	for _, l := range lines {
		if strings.Contains(l, `"net/http/pprof"`) {
			return true
		}
	}
	return false
}

// GoHandlesSIGTERM reports whether a line of Go names SIGTERM or starts
// a library that stops the program on it, as Scan judges the first such
// line: detect asks it of the chosen program's own files.
func GoHandlesSIGTERM(line string) bool {
	return sigterm.MatchString(line) || goGracefulLib.MatchString(line)
}

// GoHandlesSIGINT reports whether a line of Go handles SIGINT
// (os.Interrupt), as Scan judges it.
func GoHandlesSIGINT(line string) bool {
	return sigint.MatchString(line)
}

// Indent is a line's indentation, a tab counted as four spaces.
func Indent(line string) int {
	n := 0
	for _, c := range line {
		switch c {
		case ' ':
			n++
		case '\t':
			n += 4
		default:
			return n
		}
	}
	return n
}
