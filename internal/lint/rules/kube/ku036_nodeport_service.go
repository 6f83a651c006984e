package kube

import (
	corev1 "k8s.io/api/core/v1"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU036", Name: "nodeport-service", Severity: lint.Warning,
			Summary:     "A Service is of type NodePort.",
			Rationale:   "NodePort opens the port on every node's address, around the ingress controller's TLS, limits and logs, in a range firewalls rarely expect.",
			Fix:         "Use ClusterIP behind an Ingress (or a LoadBalancer Service when the cluster provides one).",
			Differences: "Matches kube-score's service-type.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			if svc := s.Service(o); svc != nil && svc.Spec.Type == corev1.ServiceTypeNodePort {
				r.AddKube(o, o.At("spec", "type"), "Service %s is a NodePort, open on every node", o.Name)
			}
		},
	})
}
