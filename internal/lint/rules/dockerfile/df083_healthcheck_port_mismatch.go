package dockerfile

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF083", Name: "healthcheck-port-mismatch", Severity: lint.Error,
			Summary: "HEALTHCHECK requests a port the image neither EXPOSEs nor tells its server to listen on.",
			Rationale: "The check connects to a port nothing listens on and fails forever: the container is unhealthy from the start " +
				"although the app serves fine on its real port (8000 vs 8080 after a port change in one place).",
			Fix:         "Use the port the server binds (`--port`, `--bind`) and EXPOSEs in the HEALTHCHECK URL.",
			Differences: "No peer compares these; judged only when the HEALTHCHECK names a port and the image states one.",
		},
		File: func(r *lint.Report, f *df.File) {
			final := f.FinalStage()
			if final == nil {
				return
			}
			hc := final.Last("HEALTHCHECK")
			if hc == nil {
				return
			}
			m := urlPort.FindStringSubmatch(strings.Join(hc.Args, " "))
			if m == nil {
				return
			}
			port, _ := strconv.Atoi(m[1])
			listens := final.Exposes()
			if n, ok := final.ServerPort(); ok {
				listens[n] = true
			}
			if len(listens) > 0 && !listens[port] {
				r.Add(hc, "HEALTHCHECK requests port %d, but the image listens on %s", port, df.PortList(listens))
			}
		},
	})
}

var (
	urlPort = regexp.MustCompile(`https?://(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]):(\d+)`)
)
