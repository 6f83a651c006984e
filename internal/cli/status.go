package cli

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/proxy"
	"github.com/shipshape/shipshape/internal/release"
	"github.com/shipshape/shipshape/internal/release/docker"
	"github.com/shipshape/shipshape/internal/release/kube"
)

type statusCommand struct {
	cmd    *cobra.Command
	socket string
	format string
	kube   kubeFlags
	host   hostFlags
}

// Validate checks the flags before anything connects.
func (s *statusCommand) Validate() error {
	if err := validateTextOrJSON(s.format); err != nil {
		return err
	}
	return s.kube.Validate()
}

func newStatusCommand() *statusCommand {
	verb := &statusCommand{}
	verb.cmd = &cobra.Command{
		Use:         "status [SERVICE]",
		Annotations: map[string]string{noCleanup: "true"},
		Short:       "What the proxy serves and which releases run, per service; or a Deployment's rollout, pods and events on Kubernetes",
		Long: `status asks the running shipshape proxy for its services (active and
draining targets, health, pause and maintenance, and what it counted for
each target since it joined: requests, the share answered 5xx or not at
all, p50 and p99 latency, requests in flight; a canary under way) and the
engine for each service's releases. Both come from where the truth is: the proxy and the
container labels.

With --target kubernetes, SERVICE is a Deployment: status shows its rollout
(as kubectl rollout status words it), its pods newest revision first with
why each is not ready (CrashLoopBackOff and the last exit, ImagePullBackOff,
OOMKilled, a failing probe and what it got), and the recent events about it.`,
		Example: `  shipshape status
  shipshape status shop --format json
  shipshape status shop --target kubernetes -n shop`,
		Args: argsBetween(0, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := verb.Validate(); err != nil {
				return err
			}
			if k8s, _ := verb.kube.kubernetes(); k8s {
				if len(args) == 0 {
					return usageErrorf("status --target kubernetes names the Deployment: shipshape status SERVICE --target kubernetes")
				}
				return verb.kubeStatus(cmd, args[0])
			}
			return verb.dockerStatus(cmd, args)
		},
	}
	verb.cmd.Flags().StringVar(&verb.socket, "proxy", "/run/shipshape/proxy.sock", "admin socket of the running shipshape proxy")
	verb.cmd.Flags().StringVar(&verb.format, "format", "text", "text or json")
	verb.kube.register(verb.cmd, false)
	verb.host.register(verb.cmd)
	return verb
}

// printTargets writes a line per target of the active release (and of a
// canary under way): its state and what the proxy counted since it
// joined: requests, the share answered 5xx or not at all, latency.
func printTargets(w io.Writer, indent string, targets []proxy.TargetState, canary *proxy.CanaryState) {
	if len(targets) == 0 {
		return
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%starget\tstate\trequests\tfailed\tp50\tp99\tin flight\n", indent)
	row := func(prefix string, t proxy.TargetState) {
		state := "healthy"
		switch {
		case t.Down:
			state = "taken out"
		case !t.Healthy:
			state = "unhealthy"
		}
		st := proxy.Stats{}
		if t.Stats != nil {
			st = *t.Stats
		}
		fmt.Fprintf(tw, "%s%s%s\t%s\t%d\t%s\t%v\t%v\t%d\n", indent, prefix, t.URL, state, st.Requests, rate(st.Errors+st.ConnErrors, st.Requests),
			time.Duration(st.P50).Round(10*time.Microsecond), time.Duration(st.P99).Round(10*time.Microsecond), t.InFlight)
	}
	for _, t := range targets {
		row("", t)
	}
	if canary != nil {
		for _, t := range canary.Targets {
			row(fmt.Sprintf("canary (%g%% until %s) ", canary.Share, canary.Until.UTC().Format(time.TimeOnly)), t)
		}
	}
	tw.Flush()
}

// printCertificates writes a line per certificate of the service's
// hosts (with --acme): its state, issuer and validity, when its renewal
// is due, and the last error.
func printCertificates(w io.Writer, indent string, certs []proxy.Certificate) {
	at := func(t time.Time) string { return t.UTC().Format(time.RFC3339) }
	for _, c := range certs {
		host := c.Host
		if host == "" {
			host = "any host"
		}
		fmt.Fprintf(w, "%scertificate %s: %s", indent, host, c.State)
		if c.Serial != "" {
			fmt.Fprintf(w, ", from %s, %s to %s, renewal due %s", c.Issuer, at(c.NotBefore), at(c.NotAfter), at(c.RenewalDue))
		}
		if !c.NextAttempt.IsZero() {
			fmt.Fprintf(w, ", asking again at %s", at(c.NextAttempt))
		}
		switch {
		case c.LastError != "" && !c.LastErrorAt.IsZero():
			fmt.Fprintf(w, "; last error at %s: %s", at(c.LastErrorAt), c.LastError)
		case c.LastError != "":
			fmt.Fprintf(w, "; %s", c.LastError)
		}
		fmt.Fprintln(w)
	}
}

// rate is n of total as a percentage.
func rate(n, total uint64) string {
	if total == 0 {
		return "0%"
	}
	return fmt.Sprintf("%.2f%%", float64(n)*100/float64(total))
}

// kubeStatus is `shipshape status --target kubernetes NAME`.
func (s *statusCommand) kubeStatus(cmd *cobra.Command, name string) error {
	c, err := s.kube.connect(cmd)
	if err != nil {
		return err
	}
	st, err := kube.DeploymentStatus(cmd.Context(), c, s.kube.namespace, name)
	if err != nil {
		return &exitError{code: exitUsage, err: err}
	}
	w := cmd.OutOrStdout()
	if s.format == "json" {
		return writeJSON(w, st)
	}
	fmt.Fprintf(w, "%s/%s: revision %d, %d of %d ready, %d updated: %s\n", st.Namespace, st.Name, st.Revision, st.Ready, st.Replicas, st.Updated, st.Rollout)
	for _, p := range st.Pods {
		state := "ready"
		if !p.Ready {
			state = "not ready"
		}
		fmt.Fprintf(w, "  %-40s revision %-3d %-8s %-9s restarts %d", p.Name, p.Revision, p.Phase, state, p.Restarts)
		if p.Problem != "" {
			fmt.Fprintf(w, "  %s", p.Problem)
		}
		fmt.Fprintln(w)
	}
	if len(st.Events) > 0 {
		fmt.Fprintln(w, "recent events:")
		for _, e := range st.Events {
			count := ""
			if e.Count > 1 {
				count = fmt.Sprintf(" (x%d)", e.Count)
			}
			fmt.Fprintf(w, "  %s  %-7s %-28s %s: %s%s\n", e.Time.UTC().Format(time.RFC3339), e.Type, e.Object, e.Reason, e.Message, count)
		}
	}
	return nil
}

// dockerStatus is `shipshape status [SERVICE]` on one Docker host: the
// proxy's services with their targets' counters, and each service's
// releases from the engine.
func (v *statusCommand) dockerStatus(cmd *cobra.Command, args []string) error {
	st, err := proxy.NewClient(v.socket).State(cmd.Context())
	if err != nil {
		return &exitError{code: exitUsage, err: sshFirst(err)}
	}
	certs, err := proxy.NewClient(v.socket).Certificates(cmd.Context())
	if apiErr := (*proxy.APIError)(nil); errors.As(err, &apiErr) && apiErr.Status == http.StatusNotFound {
		err = nil // a proxy older than GET /v1/certificates
	}
	if err != nil {
		return &exitError{code: exitUsage, err: sshFirst(err)}
	}
	c, err := connectEngine(cmd)
	if err != nil {
		return err
	}
	defer c.Close()
	type service struct {
		Name        string              `json:"name"`
		Active      string              `json:"active,omitempty"`
		Healthy     bool                `json:"healthy"`
		Balance     proxy.Balance       `json:"balance,omitempty"`
		Targets     []proxy.TargetState `json:"targets,omitempty"`
		Canary      *proxy.CanaryState  `json:"canary,omitempty"`
		Draining    []string            `json:"draining,omitempty"`
		Paused      bool                `json:"paused,omitempty"`
		Maintenance bool                `json:"maintenance,omitempty"`
		Requests    uint64              `json:"requests"`
		Failed      uint64              `json:"failed"`
		Releases    []release.Record    `json:"releases"`
		// With --acme, the certificates of the hosts its routes name.
		Certificates []proxy.Certificate `json:"certificates,omitempty"`
	}
	var out []service
	for _, s := range st.Services {
		if len(args) == 1 && s.Name != args[0] {
			continue
		}
		rel, err := docker.Releases(cmd.Context(), c, s.Name)
		if err != nil {
			return err
		}
		var mine []proxy.Certificate
		for _, c := range certs.Certificates {
			if slices.Contains(c.Services, s.Name) {
				mine = append(mine, c)
			}
		}
		out = append(out, service{s.Name, s.Active, s.Healthy, s.Balance, s.Targets, s.Canary, s.Draining, s.Paused, s.Maintenance,
			s.Requests, s.Failed, rel, mine})
	}
	w := cmd.OutOrStdout()
	if v.format == "json" {
		return writeJSON(w, out)
	}
	if len(out) == 0 {
		fmt.Fprintln(w, "the proxy serves no service yet")
	}
	for _, s := range out {
		health := "unhealthy"
		if s.Healthy {
			health = "healthy"
		}
		fmt.Fprintf(w, "%s: %s (%s)", s.Name, s.Active, health)
		if len(s.Targets) > 1 {
			fmt.Fprintf(w, ", %d replicas, %s", len(s.Targets), s.Balance)
		}
		if len(s.Draining) > 0 {
			fmt.Fprintf(w, ", draining %s", strings.Join(s.Draining, ", "))
		}
		if s.Paused {
			fmt.Fprint(w, ", paused")
		}
		if s.Maintenance {
			fmt.Fprint(w, ", in maintenance")
		}
		fmt.Fprintf(w, "; %d requests since the proxy started, %s failed\n", s.Requests, rate(s.Failed, s.Requests))
		printTargets(w, "  ", s.Targets, s.Canary)
		printCertificates(w, "  ", s.Certificates)
		printReleases(w, "  ", s.Releases)
	}
	return nil
}
