package kube

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/source/kube"
)

func init() {
	register(&lint.KubeRule{
		Meta: lint.Meta{
			ID: "KU032", Name: "unsafe-sysctls", Severity: lint.Warning,
			KubeLinter: []string{"unsafe-sysctls"},
			Summary:    "A pod sets a sysctl outside Kubernetes' safe set.",
			Rationale:  "Unsafe sysctls change kernel settings for the whole node, affecting every other pod on it; the kubelet refuses them unless explicitly allowed.",
			Fix:        "Remove it, or move the workload to dedicated nodes whose kubelet allows it.",
		},
		Object: func(r *lint.Report, s *kube.Set, o *kube.Object) {
			w, ok := o.Workload()
			if !ok || w.Spec.SecurityContext == nil {
				return
			}
			for i, sc := range w.Spec.SecurityContext.Sysctls {
				if !safeSysctl(sc.Name) {
					r.AddKube(o, w.SpecAt("securityContext", "sysctls", itoa(i)), "%s %s sets the unsafe sysctl %s", o.Kind, o.Name, sc.Name)
				}
			}
		},
	})
}

// safeSysctl is Kubernetes' list of namespaced sysctls allowed by default.
func safeSysctl(name string) bool {
	switch name {
	case "kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
		"net.ipv4.ip_unprivileged_port_start", "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time",
		"net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes":
		return true
	}
	return strings.HasPrefix(name, "net.ipv4.tcp_rmem") || strings.HasPrefix(name, "net.ipv4.tcp_wmem")
}
