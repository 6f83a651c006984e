package dockerfile

import (
	"strconv"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF023", Name: "invalid-port", Severity: lint.Error,
			Hadolint:  []string{"DL3011"},
			Summary:   "EXPOSE names a port outside 1-65535 or an unknown protocol.",
			Rationale: "Docker rejects the image at build or run time.",
			Fix:       "Expose a port from 1 to 65535, optionally with /tcp or /udp.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "EXPOSE" {
				return
			}
			for _, p := range exposedPorts(in) {
				if p.err != "" {
					r.Add(in, "EXPOSE %s: %s", p.raw, p.err)
				}
			}
		},
	})
}

type exposed struct {
	raw      string
	low, hi  int
	protocol string
	err      string
}

// exposedPorts reads EXPOSE arguments such as 8000, 8000/tcp, 7000-7010/udp.
// Arguments whose value is unknown (unset ARGs) are skipped.
func exposedPorts(in *df.Instruction) []exposed {
	var out []exposed
	for _, arg := range in.Args {
		val, known := in.Expand(arg)
		if !known {
			continue
		}
		p := exposed{raw: val, protocol: "tcp"}
		ports, proto, hasProto := strings.Cut(val, "/")
		if hasProto {
			p.protocol = strings.ToLower(proto)
			if p.protocol != "tcp" && p.protocol != "udp" && p.protocol != "sctp" {
				p.err = "protocol must be tcp, udp or sctp"
			}
		}
		lo, hi, isRange := strings.Cut(ports, "-")
		var err1, err2 error
		p.low, err1 = strconv.Atoi(lo)
		p.hi = p.low
		if isRange {
			p.hi, err2 = strconv.Atoi(hi)
		}
		switch {
		case err1 != nil || err2 != nil:
			p.err = "not a port number"
		case p.low < 1 || p.hi > 65535 || p.hi < p.low:
			p.err = "ports run from 1 to 65535"
		}
		out = append(out, p)
	}
	return out
}
