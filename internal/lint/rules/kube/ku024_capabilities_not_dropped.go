package kube

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU024", Name: "capabilities-not-dropped", Severity: lint.Info, Production: lint.Warning,
			KubeLinter: []string{"drop-net-raw-capability"},
			Summary:    "A container keeps the runtime's default capabilities (NET_RAW among them).",
			Rationale:  "NET_RAW allows forging packets and ARP spoofing inside the cluster network; web apps need none of the defaults.",
			Fix:        "`securityContext: {capabilities: {drop: [ALL]}}`, adding back only NET_BIND_SERVICE if the app binds a low port.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			eachContainerOrInit(o, func(w *kube.Workload, c kube.Container) {
				if sc := c.SecurityContext; sc != nil && sc.Capabilities != nil {
					for _, d := range sc.Capabilities.Drop {
						if u := strings.ToUpper(string(d)); u == "ALL" || u == "NET_RAW" {
							return
						}
					}
				}
				r.AddKube(o, c.At("securityContext", "capabilities"), "%s does not drop ALL (or NET_RAW) capabilities", c.Label())
			})
		},
	})
}
