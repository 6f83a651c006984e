package crossfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	registerKube(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "XF010", Name: "container-port-not-exposed", Severity: lint.Warning,
			Summary:   "A container declares a port its image's Dockerfile does not EXPOSE.",
			Rationale: "Manifest and image disagree on where the app listens; Services and probes built on the manifest's port find nothing there.",
			Fix:       "Use the port the Dockerfile EXPOSEs (and the app binds) in containerPort.",
			Differences: "The image is the one built by the Dockerfile nearest above the manifests; judged only when it EXPOSEs ports, and only " +
				"for containers running that image: one CI or a Makefile beside the Dockerfile tags its builds with, or, when nothing names " +
				"them, any image but an official one (redis:7.2 beside the app's Dockerfile is Redis).",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			m := r.Model()
			w, f, ok := appWorkload(m, o)
			if !ok {
				return
			}
			exposed := exposedPorts(f)
			if len(exposed) == 0 {
				return
			}
			for i, c := range w.Spec.Containers {
				if !appImage(m, f, c.Image) {
					continue
				}
				for j, p := range c.Ports {
					if !exposed[int(p.ContainerPort)] {
						r.AddKube(o, w.ContainerAt(i, "ports", itoa(j)), "container %s declares port %d, but %s EXPOSEs %s", c.Name, p.ContainerPort, f.Path, dockerfile.PortList(exposed))
					}
				}
			}
		},
	})
}
