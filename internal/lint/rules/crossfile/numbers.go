package crossfile

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
)

func itoa(n int) string { return strconv.Itoa(n) }

// debugPort matches a debugger a command opens, with its port when written:
// node --inspect[=host:port] (9229 by default), debugpy --listen, a JVM's
// jdwp agent, delve's --listen.
var debugPort = regexp.MustCompile(`--inspect(?:-brk)?(?:=([\w.:\[\]]+))?|debugpy\b.*--listen\s+([\w.:]+)|jdwp=\S*address=([\w.*:]+)|\bdlv\b.*--listen=([\w.:]+)`)

// commandPorts are the ports a launch binds by its own words: a server's
// --port or --bind, and the debuggers it opens.
func commandPorts(l project.Launch) map[int]bool {
	out := map[int]bool{}
	for _, e := range l.Lines {
		if n, ok := dockerfile.ServerPort(strings.Fields(e.Value)); ok {
			out[n] = true
		}
		for _, m := range debugPort.FindAllStringSubmatch(e.Value, -1) {
			port := 9229 // node's, when --inspect names a host alone or nothing
			for _, g := range m[1:] {
				if i := strings.LastIndex(g, ":"); i >= 0 {
					g = g[i+1:]
				}
				if n, err := strconv.Atoi(g); err == nil {
					port = n
				}
			}
			out[port] = true
		}
	}
	return out
}
