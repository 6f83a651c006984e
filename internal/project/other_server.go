package project

import (
	"regexp"
	"strings"
	"unicode"
)

// otherServerWord is a word of a name that belongs to something the app
// connects to or serves beside its own port: a database, a queue, a mail,
// debug or metrics server.
var otherServerWord = regexp.MustCompile(`(?i)^(?:\w*SQL\w*|\w*DB|DATABASE|POSTGRES\w*|PG|MARIA\w*|REDIS|MONGO\w*|MAIL\w*|SMTP|IMAP|CACHE|AMQP|RABBIT\w*|KAFKA|NATS|ELASTIC\w*|ES|MEMCACHED?|LDAP|GRPC|PROXY|METRICS|PROM\w*|DEBUG|PPROF|ADMIN|TRAC\w*|TEMPO|JAEGER|OTEL|STATSD|MANAGEMENT|HEALTH)$`)

// OtherServer reports whether a name (SALES_DEBUG_HOST, redis.port,
// ListenAndServeDebug, flag.String("metrics-addr") names another
// server's address than the app's, word by word. Scan and detect both ask
// it, so a port is the app's or not by one list.
func OtherServer(name string) bool {
	for _, part := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		for _, w := range CamelWords(part) {
			if otherServerWord.MatchString(w) {
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
