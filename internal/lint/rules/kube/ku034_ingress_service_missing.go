package kube

import (
	networkingv1 "k8s.io/api/networking/v1"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU034", Name: "ingress-service-missing", Severity: lint.Error,
			KubeLinter:  []string{"dangling-ingress"},
			Summary:     "An Ingress routes to a Service (or port) that the manifests do not define.",
			Rationale:   "The ingress controller answers 503 for every request on that path; the usual cause is a renamed Service or port.",
			Fix:         "Point the backend at an existing Service and one of its ports, by name or number.",
			Differences: "Matches kube-score's ingress-targets-service; judged only when the manifests define Services; Services in the directories around count too. Not judged when a file of the group did not load (it is reported as an error, and the target may be in it).",
		},
		Set: func(r *lint.Report, s *kube.Set) {
			own, ingresses := s.Find("Service"), s.Find("Ingress")
			if len(own) == 0 || len(ingresses) == 0 {
				return // no Services of its own: nothing to judge against
			}
			if s.Incomplete() {
				return // the target may be in a file that did not load, reported on its own
			}
			services := map[string]map[string]bool{}
			for _, o := range append(s.Around().Find("Service"), own...) { // the group's own win

				svc := s.Service(o)
				if svc == nil {
					continue
				}
				ports := map[string]bool{}
				for _, p := range svc.Spec.Ports {
					ports[p.Name] = true
					ports[itoa(int(p.Port))] = true
				}
				services[o.Name] = ports
			}
			for _, o := range ingresses {
				ing, ok := o.Typed.(*networkingv1.Ingress)
				if !ok {
					continue
				}
				for i, rule := range ing.Spec.Rules {
					if rule.HTTP == nil {
						continue
					}
					for j, path := range rule.HTTP.Paths {
						b := path.Backend.Service
						if b == nil {
							continue
						}
						port := b.Port.Name
						if port == "" {
							port = itoa(int(b.Port.Number))
						}
						ports, ok := services[b.Name]
						at := o.At("spec", "rules", itoa(i), "http", "paths", itoa(j), "backend", "service", "name")
						switch {
						case !ok:
							r.AddKube(o, at, "Ingress %s routes %s to Service %s, which is not defined here or in the directories around", o.Name, path.Path, b.Name)
						case !ports[port]:
							r.AddKube(o, at, "Ingress %s routes %s to port %s of Service %s, which has no such port", o.Name, path.Path, port, b.Name)
						}
					}
				}
			}
		},
	})
}
