package proxy

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/nginx"
)

func init() {
	register(&lint.NginxRule{
		Meta: lint.Meta{
			ID: "PX006", Name: "old-tls-protocols", Severity: lint.Error,
			Summary:   "ssl_protocols enables SSLv3, TLSv1 or TLSv1.1.",
			Rationale: "These protocols are broken (POODLE, BEAST) and deprecated by RFC 8996; browsers no longer use them, only attackers downgrading a connection do.",
			Fix:       "`ssl_protocols TLSv1.2 TLSv1.3;`",
		},
		Directive: func(r *lint.Report, c *nginx.Config, d *nginx.Directive) {
			if d.Name != "ssl_protocols" {
				return
			}
			var old []string
			for _, a := range d.Args {
				switch a {
				case "SSLv2", "SSLv3", "TLSv1", "TLSv1.1":
					old = append(old, a)
				}
			}
			if len(old) > 0 {
				r.AddDirective(d, "ssl_protocols enables %s", strings.Join(old, ", "))
			}
		},
	})
}
