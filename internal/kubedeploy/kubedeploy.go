// Package kubedeploy releases a project to a Kubernetes cluster the way
// `shipshape deploy` does on one host: render what the project declares
// (kustomize, a Helm chart or plain manifests), set the image, apply it
// server-side, watch the rollout as `kubectl rollout status` does, smoke-
// check it, and undo it by itself, as `kubectl rollout undo` does, when it
// misses its progress deadline or fails the smoke check.
package kubedeploy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/shipshape/shipshape/internal/deploy"
	"github.com/shipshape/shipshape/internal/source/kube"
)

// Labels shipshape puts on everything it applies: prune finds its own
// objects by them.
const (
	LabelManagedBy = "app.kubernetes.io/managed-by"
	LabelApp       = "dev.shipshape.app"
	FieldManager   = "shipshape"
	// AnnotationPhase on a Job in the rendered set makes it a release
	// command: "pre-deploy" Jobs run to completion before the rollout.
	AnnotationPhase = "dev.shipshape.phase"
)

// Options describe one deploy to a cluster.
type Options struct {
	Source     string   // a kustomization directory, a Helm chart or a directory or file of manifests
	ValueFiles []string // Helm values files
	Set        []string // Helm --set
	Image      string   // set on every container of the rendered workloads whose image has the same repository (or on all, when one repository is used)
	// Tag, without Image, replaces the tag of the workloads' one image
	// repository (the commit `shipshape build` tagged).
	Tag       string
	Namespace string
	CreateNS  bool
	App       string // labels and prune scope (default: the first Deployment's name)
	Prune     bool   // delete objects shipshape applied earlier for App that are gone from the rendered set
	// ProgressDeadline, when set, replaces the workloads' progressDeadlineSeconds.
	ProgressDeadline time.Duration
	// Smoke runs after the rollout completes; an error undoes the rollout.
	Smoke func(context.Context) error
	// Timeout bounds the wait for each workload (0: 10 minutes); a
	// Deployment fails sooner when it misses its progress deadline.
	Timeout time.Duration
}

// AnnotationFailed marks the ReplicaSet of a rollout shipshape undid:
// a later rollback skips it.
const AnnotationFailed = "dev.shipshape.failed"

// Step is one thing the deploy did, for progress output: the same as a
// single-host deploy's, so one printer serves both.
type Step = deploy.Step

// Result is a finished (or undone) deploy.
type Result struct {
	Applied  []string `json:"applied"`
	Pruned   []string `json:"pruned,omitempty"`
	Revision int64    `json:"revision,omitempty"`
	Undone   bool     `json:"undone,omitempty"`
	Restored int64    `json:"restored_revision,omitempty"`
	// Requests counts the API calls the deploy made, watches included.
	Requests int64  `json:"api_requests"`
	Steps    []Step `json:"steps"`
}

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

// Render reads what the project declares and returns it as objects, with
// the image set. Bad input is a *problem.Error naming file and line.
func Render(o Options) ([]*unstructured.Unstructured, error) {
	var set *kube.Set
	var err error
	st, serr := os.Stat(o.Source)
	switch {
	case serr != nil:
		return nil, fmt.Errorf("%s: %v", o.Source, serr)
	case st.IsDir() && kube.IsChart(o.Source):
		set, err = kube.LoadChart(o.Source, kube.HelmOptions{ValueFiles: o.ValueFiles, Set: o.Set, Release: o.App, Namespace: o.Namespace})
	case st.IsDir() && kube.IsKustomization(o.Source):
		set, err = kube.LoadKustomization(o.Source)
	case st.IsDir():
		var files []string
		_ = filepath.WalkDir(o.Source, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml")) {
				files = append(files, p)
			}
			return nil
		})
		sort.Strings(files)
		set, err = kube.Load(files, kube.Options{})
	default:
		set, err = kube.Load([]string{o.Source}, kube.Options{})
	}
	if err != nil {
		return nil, err
	}
	var out []*unstructured.Unstructured
	for _, obj := range set.Objects {
		u := &unstructured.Unstructured{}
		if err := u.UnmarshalJSON(obj.JSON); err != nil {
			return nil, fmt.Errorf("%s:%d: %s %s: %v", obj.File, obj.Line, obj.Kind, obj.Name, err)
		}
		out = append(out, u)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s renders no Kubernetes objects", o.Source)
	}
	if o.Image == "" && o.Tag != "" {
		repos := map[string]bool{}
		for _, u := range out {
			if workloadKinds[u.GetKind()] {
				eachContainer(u, false, func(c map[string]any) { repos[repository(image(c))] = true })
			}
		}
		if len(repos) != 1 {
			return nil, fmt.Errorf("the workloads of %s use %d image repositories: name the image to deploy", o.Source, len(repos))
		}
		for r := range repos {
			o.Image = r + ":" + o.Tag
		}
	}
	if o.Image != "" {
		if err := setImage(out, o.Image); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// workloadKinds are rolled out and waited for.
var workloadKinds = map[string]bool{"Deployment": true, "StatefulSet": true, "DaemonSet": true}

// setImage points the workloads' containers at image: those whose image
// has image's repository, or every container when the workloads use one
// repository only (a project's own app).
func setImage(objs []*unstructured.Unstructured, img string) error {
	repo := repository(img)
	var apps []*unstructured.Unstructured
	repos := map[string]bool{}
	for _, u := range objs {
		if workloadKinds[u.GetKind()] || u.GetKind() == "Job" {
			apps = append(apps, u)
			eachContainer(u, true, func(c map[string]any) { repos[repository(image(c))] = true })
		}
	}
	set := 0
	for _, u := range apps {
		// Containers of the image's repository; with one repository in
		// the manifests (a placeholder), every container but init ones.
		eachContainer(u, false, func(c map[string]any) {
			if repository(image(c)) == repo || len(repos) == 1 {
				c["image"] = img
				set++
			}
		})
		eachInit(u, func(c map[string]any) {
			if repository(image(c)) == repo {
				c["image"] = img
				set++
			}
		})
	}
	if set == 0 {
		var names []string
		for r := range repos {
			names = append(names, r)
		}
		sort.Strings(names)
		return fmt.Errorf("no container uses %s's repository, and the workloads use several (%s): which one is the app?", img, strings.Join(names, ", "))
	}
	return nil
}

// eachContainer calls fn with each container of u's pod template, in
// place (init containers too, with init).
func eachContainer(u *unstructured.Unstructured, init bool, fn func(map[string]any)) {
	if init {
		eachInit(u, fn)
	}
	eachIn(u, "containers", fn)
}

func eachInit(u *unstructured.Unstructured, fn func(map[string]any)) { eachIn(u, "initContainers", fn) }

func eachIn(u *unstructured.Unstructured, field string, fn func(map[string]any)) {
	list, _, _ := unstructured.NestedFieldNoCopy(u.Object, "spec", "template", "spec", field)
	items, _ := list.([]any)
	for _, c := range items {
		if m, ok := c.(map[string]any); ok {
			fn(m)
		}
	}
}

// image is a container's image reference.
func image(c map[string]any) string {
	s, _ := c["image"].(string)
	return s
}

// repository is an image reference without its tag or digest.
func repository(image string) string {
	if i := strings.Index(image, "@"); i >= 0 {
		image = image[:i]
	}
	if i := strings.LastIndex(image, ":"); i > strings.LastIndex(image, "/") {
		image = image[:i]
	}
	return image
}

// Deploy renders, applies and watches; a rollout that misses its deadline
// or fails the smoke check is undone, and the error says what was restored.
func Deploy(ctx context.Context, c *Client, o Options, progress func(Step)) (*Result, error) {
	res := &Result{}
	start := c.Requests()
	defer func() { res.Requests = c.Requests() - start }()
	step := deploy.Recorder(&res.Steps, progress)
	t := time.Now()
	objs, err := Render(o)
	if err != nil {
		return nil, err
	}
	ns := o.Namespace
	if ns == "" {
		ns = c.Namespace
	}
	if ns == "" {
		ns = "default"
	}
	var workloads []*unstructured.Unstructured
	var jobs []*unstructured.Unstructured
	var rest []*unstructured.Unstructured
	for _, u := range objs {
		switch {
		case workloadKinds[u.GetKind()]:
			workloads = append(workloads, u)
			if o.ProgressDeadline > 0 && u.GetKind() == "Deployment" {
				_ = unstructured.SetNestedField(u.Object, int64(o.ProgressDeadline.Seconds()), "spec", "progressDeadlineSeconds")
			}
		case u.GetKind() == "Job" && u.GetAnnotations()[AnnotationPhase] == "pre-deploy":
			jobs = append(jobs, u)
			continue
		}
		rest = append(rest, u)
	}
	app := o.App
	if app == "" {
		for _, w := range workloads {
			app = w.GetName()
			break
		}
	}
	if app == "" {
		return nil, fmt.Errorf("%s renders no Deployment, StatefulSet or DaemonSet: name the app with --name", o.Source)
	}
	for _, u := range objs {
		labels := u.GetLabels()
		if labels == nil {
			labels = map[string]string{}
		}
		labels[LabelManagedBy], labels[LabelApp] = "shipshape", app
		u.SetLabels(labels)
	}
	shown := o.Image
	for _, w := range workloads {
		eachContainer(w, false, func(c map[string]any) {
			if shown == "" {
				shown = image(c)
			}
		})
	}
	step("render", t, "%d objects from %s, image %s", len(objs), o.Source, shown)

	t = time.Now()
	// --namespace wins over the manifests' own (as helm's does); without
	// it, objects that name none go to the context's.
	namespaces := map[string]bool{ns: true}
	for _, u := range objs {
		if u.GetNamespace() != "" && o.Namespace != "" {
			u.SetNamespace(o.Namespace)
		}
		if u.GetNamespace() != "" {
			namespaces[u.GetNamespace()] = true
		}
	}
	if ws := workloadNamespace(workloads); ws != "" {
		ns = ws
	}
	if o.CreateNS {
		for name := range namespaces {
			_, err := c.Typed.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{FieldManager: FieldManager})
			if err != nil && !apierrors.IsAlreadyExists(err) {
				return nil, explain(err, "create", "namespaces", name)
			}
		}
	}
	// The revision each workload is at now: the one an undo restores.
	before := map[string]int64{}
	for _, w := range workloads {
		if w.GetKind() != "Deployment" {
			continue
		}
		if d, err := c.Typed.AppsV1().Deployments(ns).Get(ctx, w.GetName(), metav1.GetOptions{}); err == nil {
			before[w.GetName()] = revision(d.Annotations)
		}
	}
	for _, j := range jobs {
		tj := time.Now()
		timeout := o.Timeout
		if timeout <= 0 {
			timeout = 10 * time.Minute
		}
		jctx, cancel := context.WithTimeout(ctx, timeout)
		err := runJob(jctx, c, ns, j)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			err = fmt.Errorf("release job %s has not finished after %v: the rollout did not start; the running release is unchanged", j.GetName(), timeout)
		}
		if err != nil {
			return res, err
		}
		step("job", tj, "%s completed", j.GetName())
	}
	t = time.Now()
	for _, u := range rest {
		if err := apply(ctx, c, ns, u); err != nil {
			return res, err
		}
		res.Applied = append(res.Applied, u.GetKind()+"/"+u.GetName())
	}
	step("apply", t, "%d objects, server-side, field manager %s", len(res.Applied), FieldManager)

	if o.Prune {
		t = time.Now()
		pruned, err := prune(ctx, c, ns, app, objs)
		if err != nil {
			return res, err
		}
		res.Pruned = pruned
		step("prune", t, "%d object(s) gone from the rendered set deleted", len(pruned))
	}

	for _, w := range workloads {
		t = time.Now()
		timeout := o.Timeout
		if timeout <= 0 {
			timeout = 10 * time.Minute
		}
		wctx, cancel := context.WithTimeout(ctx, timeout)
		err := Wait(wctx, c, ns, w.GetKind(), w.GetName(), func(msg string) { step("rollout", t, "%s/%s: %s", w.GetKind(), w.GetName(), msg) })
		cancel()
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			err = fmt.Errorf("rollout not complete after %v", timeout)
		}
		if err == nil && o.Smoke != nil && w == workloads[0] {
			ts := time.Now()
			if err = o.Smoke(ctx); err == nil {
				step("smoke", ts, "passed")
			} else {
				err = fmt.Errorf("smoke check failed: %w", err)
			}
		}
		if err != nil {
			if w.GetKind() != "Deployment" || before[w.GetName()] == 0 {
				return res, fmt.Errorf("%s/%s: %w; nothing to undo to (its first release)", w.GetKind(), w.GetName(), err)
			}
			tu := time.Now()
			markFailed(context.WithoutCancel(ctx), c, ns, w.GetName(), err)
			restored, uerr := Undo(context.WithoutCancel(ctx), c, ns, w.GetName(), before[w.GetName()])
			if uerr != nil {
				return res, fmt.Errorf("%s/%s: %w; and undoing it failed: %v", w.GetKind(), w.GetName(), err, uerr)
			}
			werr := WaitRestored(context.WithoutCancel(ctx), c, ns, w.GetName(), func(msg string) { step("undo", tu, "%s", msg) })
			res.Undone, res.Restored = true, restored
			if werr != nil {
				return res, fmt.Errorf("%s/%s: %w; restored revision %d, which has not rolled out either: %v", w.GetKind(), w.GetName(), err, restored, werr)
			}
			return res, fmt.Errorf("%s/%s: %w; undone: revision %d (the one before this deploy) is serving again", w.GetKind(), w.GetName(), err, restored)
		}
		if w.GetKind() == "Deployment" {
			if d, err := c.Typed.AppsV1().Deployments(ns).Get(ctx, w.GetName(), metav1.GetOptions{}); err == nil {
				res.Revision = revision(d.Annotations)
			}
		}
	}
	return res, nil
}

// workloadNamespace is the namespace the workloads name, if they do.
func workloadNamespace(ws []*unstructured.Unstructured) string {
	for _, w := range ws {
		if w.GetNamespace() != "" {
			return w.GetNamespace()
		}
	}
	return ""
}

// apply sends u with server-side apply, owned by shipshape.
func apply(ctx context.Context, c *Client, ns string, u *unstructured.Unstructured) error {
	gvk := u.GroupVersionKind()
	mapping, err := c.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
	if err != nil {
		return fmt.Errorf("%s %s: the cluster does not serve %s (%v)", u.GetKind(), u.GetName(), gvk, err)
	}
	var ri dynamic.ResourceInterface = c.Dynamic.Resource(mapping.Resource)
	if mapping.Scope.Name() == meta.RESTScopeNameNamespace {
		if u.GetNamespace() == "" {
			u.SetNamespace(ns)
		}
		ri = c.Dynamic.Resource(mapping.Resource).Namespace(u.GetNamespace())
	}
	data, err := json.Marshal(u)
	if err != nil {
		return err
	}
	force := true
	_, err = ri.Patch(ctx, u.GetName(), types.ApplyPatchType, data, metav1.PatchOptions{FieldManager: FieldManager, Force: &force})
	if err != nil {
		return explain(err, "patch", mapping.Resource.Resource, u.GetNamespace()+"/"+u.GetName())
	}
	return nil
}

// explain words the API errors a deploy meets so that they say what to do.
func explain(err error, verb, resource, name string) error {
	var status apierrors.APIStatus
	msg := err.Error()
	if errors.As(err, &status) {
		msg = status.Status().Message
	}
	switch {
	case apierrors.IsForbidden(err) && strings.Contains(msg, "exceeded quota"):
		return fmt.Errorf("%s %s: the namespace's ResourceQuota refuses it: %s; raise the quota or lower the requests", resource, name, msg)
	case apierrors.IsForbidden(err):
		return fmt.Errorf("%s %s: RBAC denies %q on %s: %s; ask for a Role that grants it", resource, name, verb, resource, msg)
	case apierrors.IsInvalid(err) && strings.Contains(msg, "field is immutable"):
		return fmt.Errorf("%s %s: %s; the change needs the object deleted and created again (a selector never changes in place)", resource, name, msg)
	case apierrors.IsNotFound(err) && strings.Contains(msg, "namespaces"):
		return fmt.Errorf("%s %s: %s; create it, or pass --create-namespace", resource, name, msg)
	}
	return fmt.Errorf("%s %s: %v", resource, name, err)
}

// prune deletes objects labelled for app that the rendered set no longer
// holds, among the kinds the set holds (and the usual workload kinds).
func prune(ctx context.Context, c *Client, ns, app string, objs []*unstructured.Unstructured) ([]string, error) {
	keep := map[string]bool{}
	kinds := map[schema.GroupVersionKind]bool{
		{Group: "apps", Version: "v1", Kind: "Deployment"}: true, {Version: "v1", Kind: "Service"}: true,
		{Version: "v1", Kind: "ConfigMap"}: true, {Group: "policy", Version: "v1", Kind: "PodDisruptionBudget"}: true,
	}
	for _, u := range objs {
		keep[u.GetKind()+"/"+u.GetName()] = true
		kinds[u.GroupVersionKind()] = true
	}
	var pruned []string
	selector := LabelManagedBy + "=shipshape," + LabelApp + "=" + app
	for gvk := range kinds {
		mapping, err := c.Mapper.RESTMapping(gvk.GroupKind(), gvk.Version)
		if err != nil || mapping.Scope.Name() != meta.RESTScopeNameNamespace {
			continue
		}
		ri := c.Dynamic.Resource(mapping.Resource).Namespace(ns)
		list, err := ri.List(ctx, metav1.ListOptions{LabelSelector: selector})
		if err != nil {
			return pruned, explain(err, "list", mapping.Resource.Resource, ns)
		}
		for _, item := range list.Items {
			if keep[item.GetKind()+"/"+item.GetName()] || keep[gvk.Kind+"/"+item.GetName()] {
				continue
			}
			policy := metav1.DeletePropagationBackground
			if err := ri.Delete(ctx, item.GetName(), metav1.DeleteOptions{PropagationPolicy: &policy}); err != nil && !apierrors.IsNotFound(err) {
				return pruned, explain(err, "delete", mapping.Resource.Resource, ns+"/"+item.GetName())
			}
			pruned = append(pruned, gvk.Kind+"/"+item.GetName())
		}
	}
	sort.Strings(pruned)
	return pruned, nil
}

func revision(annotations map[string]string) int64 {
	n, _ := strconv.ParseInt(annotations["deployment.kubernetes.io/revision"], 10, 64)
	return n
}

// Wait watches a workload until its rollout completes, the way `kubectl
// rollout status` decides it, or fails when a Deployment reports
// ProgressDeadlineExceeded. progress gets each new state, once.
func Wait(ctx context.Context, c *Client, ns, kind, name string, progress func(string)) error {
	return wait(ctx, c, ns, kind, name, false, progress)
}

// WaitRestored waits for a Deployment whose template was just restored
// (an undo, a rollback). The controller keeps the failed rollout's
// ProgressDeadlineExceeded until the restored ReplicaSet makes progress,
// so the condition is not believed here; the wait is bounded instead by
// twice the progress deadline (at least a minute).
func WaitRestored(ctx context.Context, c *Client, ns, name string, progress func(string)) error {
	limit := time.Minute
	if d, err := c.Typed.AppsV1().Deployments(ns).Get(ctx, name, metav1.GetOptions{}); err == nil {
		limit = max(limit, 2*time.Duration(ptrOr(d.Spec.ProgressDeadlineSeconds, 600))*time.Second)
	}
	wctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	err := wait(wctx, c, ns, "Deployment", name, true, progress)
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		return fmt.Errorf("the restored template has not rolled out after %v", limit)
	}
	return err
}

func wait(ctx context.Context, c *Client, ns, kind, name string, restored bool, progress func(string)) error {
	last := ""
	report := func(msg string) {
		if msg != last && progress != nil {
			progress(msg)
		}
		last = msg
	}
	for {
		w, err := watchOne(ctx, c, ns, kind, name)
		if err != nil {
			return err
		}
		for ev := range w.ResultChan() {
			if ev.Type == watch.Error {
				break
			}
			if ev.Type == watch.Deleted {
				w.Stop()
				return fmt.Errorf("%s/%s was deleted while rolling out", kind, name)
			}
			msg, done, err := status(ev.Object)
			if err != nil && restored && errors.Is(err, errDeadline) {
				msg, err = "waiting for the restored ReplicaSet to make progress", nil
			}
			if err != nil {
				w.Stop()
				return err
			}
			report(msg)
			if done {
				w.Stop()
				return nil
			}
		}
		w.Stop()
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

func watchOne(ctx context.Context, c *Client, ns, kind, name string) (watch.Interface, error) {
	opts := metav1.ListOptions{FieldSelector: "metadata.name=" + name}
	var w watch.Interface
	var err error
	switch kind {
	case "Deployment":
		w, err = c.Typed.AppsV1().Deployments(ns).Watch(ctx, opts)
	case "StatefulSet":
		w, err = c.Typed.AppsV1().StatefulSets(ns).Watch(ctx, opts)
	case "DaemonSet":
		w, err = c.Typed.AppsV1().DaemonSets(ns).Watch(ctx, opts)
	default:
		return nil, fmt.Errorf("cannot wait for a %s", kind)
	}
	if err != nil {
		return nil, explain(err, "watch", strings.ToLower(kind)+"s", ns+"/"+name)
	}
	return w, nil
}

// status is kubectl's rollout status for one object: a message, whether
// the rollout is complete, and an error when it has failed.
func status(obj any) (string, bool, error) {
	switch o := obj.(type) {
	case *appsv1.Deployment:
		if o.Generation > o.Status.ObservedGeneration {
			return "waiting for the controller to see the new spec", false, nil
		}
		for _, c := range o.Status.Conditions {
			if c.Type == appsv1.DeploymentProgressing && c.Reason == "ProgressDeadlineExceeded" {
				return "", false, fmt.Errorf("%w (%ds): %s", errDeadline, ptrOr(o.Spec.ProgressDeadlineSeconds, 600), c.Message)
			}
		}
		want := ptrOr(o.Spec.Replicas, 1)
		switch {
		case o.Status.UpdatedReplicas < want:
			return fmt.Sprintf("%d of %d new replicas updated", o.Status.UpdatedReplicas, want), false, nil
		case o.Status.Replicas > o.Status.UpdatedReplicas:
			return fmt.Sprintf("%d old replicas pending termination", o.Status.Replicas-o.Status.UpdatedReplicas), false, nil
		case o.Status.AvailableReplicas < o.Status.UpdatedReplicas:
			return fmt.Sprintf("%d of %d updated replicas available", o.Status.AvailableReplicas, o.Status.UpdatedReplicas), false, nil
		}
		return fmt.Sprintf("%d of %d replicas available: rolled out", o.Status.AvailableReplicas, want), true, nil
	case *appsv1.StatefulSet:
		if o.Generation > o.Status.ObservedGeneration {
			return "waiting for the controller to see the new spec", false, nil
		}
		want := ptrOr(o.Spec.Replicas, 1)
		if o.Status.ReadyReplicas < want {
			return fmt.Sprintf("%d of %d pods ready", o.Status.ReadyReplicas, want), false, nil
		}
		if o.Status.UpdateRevision != o.Status.CurrentRevision && o.Status.UpdatedReplicas < want {
			return fmt.Sprintf("%d of %d pods updated", o.Status.UpdatedReplicas, want), false, nil
		}
		return fmt.Sprintf("%d of %d pods ready: rolled out", o.Status.ReadyReplicas, want), true, nil
	case *appsv1.DaemonSet:
		if o.Generation > o.Status.ObservedGeneration {
			return "waiting for the controller to see the new spec", false, nil
		}
		if o.Status.UpdatedNumberScheduled < o.Status.DesiredNumberScheduled {
			return fmt.Sprintf("%d of %d pods updated", o.Status.UpdatedNumberScheduled, o.Status.DesiredNumberScheduled), false, nil
		}
		if o.Status.NumberAvailable < o.Status.DesiredNumberScheduled {
			return fmt.Sprintf("%d of %d updated pods available", o.Status.NumberAvailable, o.Status.DesiredNumberScheduled), false, nil
		}
		return fmt.Sprintf("%d of %d pods available: rolled out", o.Status.NumberAvailable, o.Status.DesiredNumberScheduled), true, nil
	}
	return "", false, fmt.Errorf("unexpected object %T in the watch", obj)
}

var errDeadline = errors.New("rollout exceeded its progress deadline")

func ptrOr(p *int32, def int32) int32 {
	if p == nil {
		return def
	}
	return *p
}

// Revision is one rollout of a Deployment: a ReplicaSet it owns.
type Revision struct {
	Number  int64     `json:"revision"`
	Images  []string  `json:"images"`
	Created time.Time `json:"created"`
	Current bool      `json:"current"`
}

// Revisions lists a Deployment's revisions, newest first.
func Revisions(ctx context.Context, c *Client, ns, name string) ([]Revision, []appsv1.ReplicaSet, error) {
	d, err := c.Typed.AppsV1().Deployments(ns).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return nil, nil, explain(err, "get", "deployments", ns+"/"+name)
	}
	sel, err := metav1.LabelSelectorAsSelector(d.Spec.Selector)
	if err != nil {
		return nil, nil, err
	}
	list, err := c.Typed.AppsV1().ReplicaSets(ns).List(ctx, metav1.ListOptions{LabelSelector: sel.String()})
	if err != nil {
		return nil, nil, explain(err, "list", "replicasets", ns)
	}
	current := revision(d.Annotations)
	var revs []Revision
	var sets []appsv1.ReplicaSet
	for _, rs := range list.Items {
		if !metav1.IsControlledBy(&rs, d) {
			continue
		}
		r := Revision{Number: revision(rs.Annotations), Created: rs.CreationTimestamp.Time}
		r.Current = r.Number == current
		for _, ct := range rs.Spec.Template.Spec.Containers {
			r.Images = append(r.Images, ct.Image)
		}
		revs = append(revs, r)
		sets = append(sets, rs)
	}
	sort.Slice(revs, func(i, j int) bool { return revs[i].Number > revs[j].Number })
	sort.Slice(sets, func(i, j int) bool { return revision(sets[i].Annotations) > revision(sets[j].Annotations) })
	return revs, sets, nil
}

// Undo restores the pod template of revision (0: the one before the
// current) as `kubectl rollout undo` does, and returns the revision
// restored. The Deployment then rolls out as a new revision.
func Undo(ctx context.Context, c *Client, ns, name string, to int64) (int64, error) {
	revs, sets, err := Revisions(ctx, c, ns, name)
	if err != nil {
		return 0, err
	}
	var target *appsv1.ReplicaSet
	current := int64(0)
	for _, r := range revs {
		if r.Current {
			current = r.Number
		}
	}
	images := func(rs *appsv1.ReplicaSet) string {
		var list []string
		for _, ct := range rs.Spec.Template.Spec.Containers {
			list = append(list, ct.Image)
		}
		return strings.Join(list, ",")
	}
	currentImages := ""
	for i := range sets {
		if revision(sets[i].Annotations) == current {
			currentImages = images(&sets[i])
		}
	}
	for i := range sets { // newest first
		n := revision(sets[i].Annotations)
		if to != 0 && n == to {
			target = &sets[i]
			break
		}
		// The previous release: older, another image, not one shipshape undid.
		if to == 0 && n < current && images(&sets[i]) != currentImages && sets[i].Annotations[AnnotationFailed] == "" {
			target = &sets[i]
			break
		}
	}
	if target == nil {
		if to != 0 {
			return 0, fmt.Errorf("deployment %s has no revision %d (shipshape releases --target kubernetes lists them)", name, to)
		}
		return 0, fmt.Errorf("deployment %s has no revision before %d to undo to", name, current)
	}
	tmpl := target.Spec.Template.DeepCopy()
	delete(tmpl.Labels, appsv1.DefaultDeploymentUniqueLabelKey)
	patch, err := json.Marshal([]map[string]any{{"op": "replace", "path": "/spec/template", "value": tmpl}})
	if err != nil {
		return 0, err
	}
	if _, err := c.Typed.AppsV1().Deployments(ns).Patch(ctx, name, types.JSONPatchType, patch, metav1.PatchOptions{FieldManager: FieldManager + "-undo"}); err != nil {
		return 0, explain(err, "patch", "deployments", ns+"/"+name)
	}
	return revision(target.Annotations), nil
}

// markFailed annotates the ReplicaSet of the Deployment's current
// revision, the one that failed, so that a later rollback skips it.
func markFailed(ctx context.Context, c *Client, ns, name string, cause error) {
	_, sets, err := Revisions(ctx, c, ns, name)
	if err != nil || len(sets) == 0 {
		return
	}
	msg := cause.Error()
	if len(msg) > 200 {
		msg = msg[:200]
	}
	patch, _ := json.Marshal(map[string]any{"metadata": map[string]any{"annotations": map[string]string{AnnotationFailed: msg}}})
	_, _ = c.Typed.AppsV1().ReplicaSets(ns).Patch(ctx, sets[0].Name, types.MergePatchType, patch, metav1.PatchOptions{FieldManager: FieldManager})
}

// runJob applies a release Job (deleting an earlier run of it first) and
// waits for it: a failed Job stops the deploy.
func runJob(ctx context.Context, c *Client, ns string, u *unstructured.Unstructured) error {
	jobs := c.Typed.BatchV1().Jobs(ns)
	policy := metav1.DeletePropagationBackground
	if err := jobs.Delete(ctx, u.GetName(), metav1.DeleteOptions{PropagationPolicy: &policy}); err != nil && !apierrors.IsNotFound(err) {
		return explain(err, "delete", "jobs", ns+"/"+u.GetName())
	}
	for i := 0; i < 50; i++ { // the old Job is gone once its name is free
		if _, err := jobs.Get(ctx, u.GetName(), metav1.GetOptions{}); apierrors.IsNotFound(err) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err := apply(ctx, c, ns, u); err != nil {
		return err
	}
	w, err := jobs.Watch(ctx, metav1.ListOptions{FieldSelector: "metadata.name=" + u.GetName()})
	if err != nil {
		return explain(err, "watch", "jobs", ns+"/"+u.GetName())
	}
	defer w.Stop()
	for ev := range w.ResultChan() {
		j, ok := ev.Object.(*batchv1.Job)
		if !ok {
			continue
		}
		for _, cond := range j.Status.Conditions {
			if cond.Status != corev1.ConditionTrue {
				continue
			}
			switch cond.Type {
			case batchv1.JobComplete:
				return nil
			case batchv1.JobFailed:
				return fmt.Errorf("release job %s failed (%s: %s): the rollout did not start; the running release is unchanged", j.Name, cond.Reason, cond.Message)
			}
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return fmt.Errorf("the watch on job %s ended before it finished", u.GetName())
}
