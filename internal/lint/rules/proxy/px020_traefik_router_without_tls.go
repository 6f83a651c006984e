package proxy

import (
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/compose"
)

func init() {
	registerCompose(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "PX020", Name: "traefik-router-without-tls", Severity: lint.Warning, Production: lint.Error,
			Summary:   "A Traefik router serves plain HTTP: no `tls` label and no TLS entrypoint.",
			Rationale: "The app is then reachable over http, cookies and tokens travel in clear text, and links built from the request scheme are http:// (seed 002).",
			Fix:       "Put the router on the TLS entrypoint and turn TLS on: `traefik.http.routers.app.entrypoints=websecure`, `traefik.http.routers.app.tls.certresolver=le`; redirect `web` to `websecure` in Traefik's static config.",
			Differences: "A router on an entrypoint named websecure or https is taken to get TLS from the entrypoint's own configuration; " +
				"one whose entrypoints the project's Traefik redirects to another (`--entrypoints.http.http.redirections.entrypoint.to=https`) serves only the redirect.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			for _, rt := range routers(s) {
				if rt.has("tls") {
					continue
				}
				eps := strings.ToLower(rt.labels["entrypoints"])
				if strings.Contains(eps, "websecure") || strings.Contains(eps, "https") || strings.Contains(eps, "443") || redirectsAll(p, eps) {
					continue
				}
				r.AddPos(labelPos(p, name, rt.name, "entrypoints"), "Traefik router %s of %s serves plain HTTP", rt.name, name)
			}
		},
	})
}
