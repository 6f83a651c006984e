package cli

import (
	"time"

	"github.com/spf13/cobra"

	"github.com/shipshape/shipshape/internal/release/kube"
)

// kubeFlags are deploy's, rollback's and releases' flags for --target kubernetes.
type kubeFlags struct {
	target, kubeconfig, context, namespace string
	source                                 string
	values, set                            []string
	createNS, prune, force                 bool
	progressDeadline                       time.Duration
	url, failOn                            string
	loadImage                              string
	portForward                            int
}

func (k *kubeFlags) register(cmd *cobra.Command, deploying bool) {
	f := cmd.Flags()
	f.StringVar(&k.target, "target", "docker", "docker (this host, behind shipshape proxy) or kubernetes")
	f.StringVar(&k.kubeconfig, "kubeconfig", "", "with --target kubernetes: kubeconfig file (default: $KUBECONFIG, ~/.kube/config)")
	f.StringVar(&k.context, "context", "", "with --target kubernetes: kubeconfig context (default: the current one)")
	f.StringVarP(&k.namespace, "namespace", "n", "", "with --target kubernetes: namespace (default: the context's, else default)")
	if !deploying {
		return
	}
	f.StringVar(&k.source, "source", "", "with --target kubernetes: kustomization directory, Helm chart or manifests (default: deploy/k8s/overlays/production, deploy/helm/SERVICE or deploy/k8s)")
	f.StringArrayVar(&k.values, "values", nil, "Helm values file (repeatable)")
	f.StringArrayVar(&k.set, "set", nil, "Helm value key=value (repeatable)")
	f.BoolVar(&k.createNS, "create-namespace", false, "create the namespace when it does not exist")
	f.BoolVar(&k.prune, "prune", false, "delete objects shipshape applied earlier for this service that are gone from the rendered set")
	f.BoolVar(&k.force, "force", false, "deploy even when shipshape check finds problems at or above --fail-on")
	f.StringVar(&k.failOn, "fail-on", "error", "lowest check severity that stops the deploy: error, warning, info or none")
	f.DurationVar(&k.progressDeadline, "progress-deadline", 0, "replace the Deployments' progressDeadlineSeconds (default: theirs, or Kubernetes' 10 minutes)")
	f.StringVar(&k.url, "url", "", "smoke-check this URL after the rollout (its health path and page); a failure undoes the rollout")
	f.StringVar(&k.loadImage, "load-image", "", "with --target kubernetes: copy the image from the container engine into this containerd socket of the node first (a local cluster: no registry)")
	f.IntVar(&k.portForward, "port-forward", 0, "smoke-check through a port-forward to this container port of a ready pod instead of --url")
}

// Validate checks the flags before anything connects.
func (k *kubeFlags) Validate() error {
	if _, err := k.kubernetes(); err != nil {
		return err
	}
	if k.url != "" && k.portForward != 0 {
		return usageErrorf("--url or --port-forward, not both")
	}
	if k.portForward < 0 || k.portForward > 65535 {
		return usageErrorf("--port-forward %d: a container port, 1-65535", k.portForward)
	}
	if k.failOn != "" {
		return validateFailOn(k.failOn)
	}
	return nil
}

func (k *kubeFlags) kubernetes() (bool, error) {
	switch k.target {
	case "docker", "":
		return false, nil
	case "kubernetes", "k8s":
		return true, nil
	}
	return false, usageErrorf("--target %q: docker or kubernetes", k.target)
}

func (k *kubeFlags) connect(cmd *cobra.Command) (*kube.Client, error) {
	c, err := kube.Connect(cmd.Context(), k.kubeconfig, k.context)
	if err != nil {
		return nil, &exitError{code: exitUsage, err: err}
	}
	if k.namespace == "" {
		k.namespace = c.Namespace
	}
	if k.namespace == "" {
		k.namespace = "default"
	}
	return c, nil
}
