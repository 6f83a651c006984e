package crossfile

import (
	"path/filepath"

	corev1 "k8s.io/api/core/v1"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	registerKube(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "XF009", Name: "probe-path-not-routed", Severity: lint.Error,
			Summary:   "A Kubernetes HTTP probe requests a path the application's code does not serve.",
			Rationale: "The probe gets 404: readiness never passes (the rollout hangs until its deadline) or liveness restarts healthy pods in a loop.",
			Fix:       "Probe the route the app registers (`/healthz` vs `/health`), or add the route.",
			Differences: "The app is the one built by the Dockerfile nearest above the manifests, in the containers that run its image (see XF010); " +
				"silent when its code has no recognisable routes. A route also answers a path that ends with it (routers mounted under a prefix).",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			m := r.Model()
			w, f, ok := appWorkload(m, o)
			if !ok {
				return
			}
			app := m.App(filepath.Dir(f.Path))
			if !app.CodeRoutes() {
				return
			}
			for i, c := range w.Spec.Containers {
				if !appImage(m, f, c.Image) {
					continue
				}
				for field, p := range map[string]*corev1.Probe{"readinessProbe": c.ReadinessProbe, "livenessProbe": c.LivenessProbe, "startupProbe": c.StartupProbe} {
					if p == nil || p.HTTPGet == nil || p.HTTPGet.Path == "" || app.Serves(p.HTTPGet.Path) {
						continue
					}
					r.AddKube(o, w.ContainerAt(i, field, "httpGet", "path"), "the %s of %s requests %s, which the app's code does not serve", field, c.Name, p.HTTPGet.Path)
				}
			}
		},
	})
}
