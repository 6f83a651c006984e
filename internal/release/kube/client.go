package kube

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/discovery"
	memory "k8s.io/client-go/discovery/cached"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
)

// Client talks to one cluster.
type Client struct {
	Typed     kubernetes.Interface
	Dynamic   dynamic.Interface
	Mapper    meta.RESTMapper
	Namespace string // the kubeconfig context's namespace
	requests  *atomic.Int64
	config    *rest.Config
}

// Requests returns the API requests made through c so far.
func (c *Client) Requests() int64 { return c.requests.Load() }

// Connect builds a client from the usual places: --kubeconfig, else
// KUBECONFIG, else ~/.kube/config, and the named context. A cluster that
// does not answer is a one-sentence error.
func Connect(ctx context.Context, kubeconfig, kubecontext string) (*Client, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	if kubeconfig != "" {
		rules.ExplicitPath = kubeconfig
	}
	cc := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, &clientcmd.ConfigOverrides{CurrentContext: kubecontext})
	cfg, err := cc.ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("no usable kubeconfig (%v): pass --kubeconfig or set KUBECONFIG", err)
	}
	ns, _, _ := cc.Namespace()
	var n atomic.Int64
	cfg.Wrap(func(rt http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) { n.Add(1); return rt.RoundTrip(r) })
	})
	cfg.QPS, cfg.Burst = 50, 100
	typed, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	dyn, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	pctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := typed.Discovery().RESTClient().Get().AbsPath("/version").Do(pctx).Raw(); err != nil {
		return nil, fmt.Errorf("no Kubernetes API server answers at %s (%v): check the kubeconfig's context, or that the cluster is up", cfg.Host, err)
	}
	disc := memory.NewMemCacheClient(discovery.NewDiscoveryClientForConfigOrDie(cfg))
	return &Client{Typed: typed, Dynamic: dyn, Mapper: restmapper.NewDeferredDiscoveryRESTMapper(disc), Namespace: ns, requests: &n, config: cfg}, nil
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
