package detect

import (
	"regexp"
	"strings"
)

// goFlagDefault is a Go command-line flag declared with a string default
// (flag.String, flag.StringVar, pflag's and cobra's Flags().String...):
// the default is the last string literal before the usage text.
var goFlagDefault = regexp.MustCompile(`\b(?:flag|[Ff]lags\(\)|pflag)\.String(?:Var)?(?:P)?\(`)

// loopbackFlags adds to s.LoopbackConfig the databases the app talks to
// whose address is a Go flag's default on the loopback interface
// (microservices-docker-go-mongodb's movies: -mongoURI defaults to
// mongodb://localhost:27017, and nothing reads a variable instead). The
// image runs the program without the flag, so in a container it dials
// itself; the note and init --verify's stop name the line. talks are the
// databases the app talks to, seen those already named.
func (r *repo) loopbackFlags(s *Stack, talks, seen map[string]bool) {
	if s.Language != "go" {
		return
	}
	for _, f := range r.codeFiles() {
		if strings.HasSuffix(f, ".go") && !strings.HasSuffix(f, "_test.go") {
			r.loopbackIn(s, f, talks, seen, goFlagDefault.MatchString)
		}
	}
}
