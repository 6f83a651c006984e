package compose

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "CO014", Name: "dangerous-capability", Severity: lint.Warning, Production: lint.Error,
			Summary:   "A service adds a capability that amounts to root on the host (ALL, SYS_ADMIN, SYS_MODULE, SYS_PTRACE, NET_ADMIN, DAC_READ_SEARCH).",
			Rationale: "These capabilities allow mounting filesystems, loading kernel modules, tracing other processes or rewriting the network: the usual container escapes.",
			Fix:       "Drop the capability; if one is really needed, add the narrowest (NET_BIND_SERVICE for low ports) and `cap_drop: [ALL]` the rest.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			for i, c := range s.CapAdd {
				switch strings.TrimPrefix(strings.ToUpper(c), "CAP_") {
				case "ALL", "SYS_ADMIN", "SYS_MODULE", "SYS_PTRACE", "NET_ADMIN", "DAC_READ_SEARCH", "SYS_RAWIO":
					r.AddPos(at(p, name, "cap_add", itoa(i)), "%s adds %s", name, c)
				}
			}
		},
	})
}
