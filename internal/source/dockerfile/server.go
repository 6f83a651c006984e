package dockerfile

import (
	"regexp"
	"strconv"
	"strings"
)

var bindPort = regexp.MustCompile(`^(?:[\w.]*|\[[:\w]*\]):(\d+)$`)

// ServerPort reads the port a server command binds: --port 8000, --port=8000,
// -b 0.0.0.0:8000, --bind :8000.
func ServerPort(args []string) (int, bool) {
	words := strings.Fields(strings.Join(args, " "))
	for i, w := range words {
		value := ""
		switch {
		case (w == "--port" || w == "-p" || w == "--bind" || w == "-b") && i+1 < len(words):
			value = words[i+1]
		case strings.HasPrefix(w, "--port=") || strings.HasPrefix(w, "--bind="):
			value = w[strings.IndexByte(w, '=')+1:]
		default:
			continue
		}
		if m := bindPort.FindStringSubmatch(value); m != nil {
			value = m[1]
		}
		if n, err := strconv.Atoi(value); err == nil {
			return n, true
		}
	}
	return 0, false
}

// ServerPort is the port the stage's ENTRYPOINT or CMD tells its server to
// bind, if either says.
func (s *Stage) ServerPort() (int, bool) {
	for _, kw := range []string{"ENTRYPOINT", "CMD"} {
		if in := s.Last(kw); in != nil {
			if n, ok := ServerPort(in.Args); ok {
				return n, true
			}
		}
	}
	return 0, false
}
