package crossfile

import (
	"path/filepath"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	registerKube(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "XF012", Name: "kube-required-env-missing", Severity: lint.Error,
			Summary: "The application reads an environment variable without a default, and neither the Kubernetes container nor the Dockerfile provides it.",
			Rationale: "The pod exits on start (`KeyError: 'DATABASE_URL'`) and lands in CrashLoopBackOff; the rollout stalls until its deadline " +
				"and the cause is only in the previous container's logs.",
			Fix: "Add it to the container's `env:` (with `valueFrom.secretKeyRef` for secrets), or give the code a default.",
			Differences: "The compose counterpart is XF006. The app is the one built by the Dockerfile nearest above the manifests, in the " +
				"containers that run its image (see XF010); a read the code guards (`if \"X\" in os.environ`) is not required; " +
				"a container with `envFrom` counts as providing everything, since the ConfigMap or Secret may live elsewhere.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			m := r.Model()
			w, f, ok := appWorkload(m, o)
			if !ok {
				return
			}
			for i, c := range w.Spec.Containers {
				if len(c.EnvFrom) > 0 || !appImage(m, f, c.Image) {
					continue
				}
				provided := map[string]bool{}
				for _, e := range c.Env {
					provided[e.Name] = true
				}
				for _, e := range missingEnv(m, filepath.Dir(f.Path), f, provided) {
					rel, _ := filepath.Rel(filepath.Dir(f.Path), e.File)
					r.AddKube(o, w.ContainerAt(i, "name"), "container %s requires %s (%s:%d reads os.environ[%q]) but neither its env nor the image sets it",
						c.Name, e.Value, rel, e.Line, e.Value)
				}
			}
		},
	})
}
