package kube

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/shipshape/shipshape/internal/release"
)

// rollout is one deploy to a cluster under way.
type rollout struct {
	c    *Client
	o    Options
	res  *Result
	step func(name string, start time.Time, format string, args ...any)

	ns, app   string
	image     string                       // the app's image, as set
	objs      []*unstructured.Unstructured // everything rendered
	workloads []*unstructured.Unstructured // rolled out and waited for
	jobs      []*unstructured.Unstructured // pre-deploy release Jobs
	rest      []*unstructured.Unstructured // applied: all but the Jobs
	before    map[string]int64             // each Deployment's revision before: what an undo restores
	// timedOut: the Deployment still carries the ProgressDeadlineExceeded
	// of an earlier, undone rollout, which the controller keeps (and
	// repeats for the next one) until a rollout makes progress.
	timedOut map[string]time.Duration
}

// Deploy renders, applies and watches; a rollout that misses its deadline
// or fails the smoke check is undone, and the error says what was restored.
func Deploy(ctx context.Context, c *Client, o Options, progress func(release.Step)) (*Result, error) {
	res := &Result{}
	start := c.Requests()
	defer func() { res.Requests = c.Requests() - start }()
	r := &rollout{c: c, o: o, res: res, step: release.Recorder(&res.Steps, progress), before: map[string]int64{}, timedOut: map[string]time.Duration{}}
	if err := r.render(); err != nil {
		return nil, err
	}
	if err := r.namespaces(ctx); err != nil {
		return nil, err
	}
	r.revisionsBefore(ctx)
	for _, phase := range []func(context.Context) error{r.loadImage, r.runJobs, r.apply, r.prune} {
		if err := phase(ctx); err != nil {
			return res, err
		}
	}
	for i, w := range r.workloads {
		if err := r.roll(ctx, w, i == 0); err != nil {
			return res, err
		}
	}
	return res, nil
}

// render renders the project, sorts what it holds and labels it all for
// the app (prune finds its own objects by those labels).
func (r *rollout) render() error {
	o := &r.o
	t := time.Now()
	objs, err := Render(*o)
	if err != nil {
		return err
	}
	r.objs = objs
	for _, u := range objs {
		switch {
		case workloadKinds[u.GetKind()]:
			r.workloads = append(r.workloads, u)
			if o.ProgressDeadline > 0 && u.GetKind() == "Deployment" {
				_ = unstructured.SetNestedField(u.Object, int64(o.ProgressDeadline.Seconds()), "spec", "progressDeadlineSeconds")
			}
		case u.GetKind() == "Job" && u.GetAnnotations()[AnnotationPhase] == "pre-deploy":
			r.jobs = append(r.jobs, u)
			continue
		}
		r.rest = append(r.rest, u)
	}
	r.app = o.App
	if r.app == "" && len(r.workloads) > 0 {
		r.app = r.workloads[0].GetName()
	}
	if len(o.ReleaseCommand) > 0 {
		if len(r.workloads) == 0 {
			return fmt.Errorf("%s renders no workload to run the release command %q in", o.Source, o.ReleaseCommand)
		}
		job, err := releaseJob(r.workloads[0], o.ReleaseCommand)
		if err != nil {
			return err
		}
		r.jobs = append(r.jobs, job)
		r.objs = append(r.objs, job)
	}
	if r.app == "" {
		return fmt.Errorf("%s renders no Deployment, StatefulSet or DaemonSet: name the app with --name", o.Source)
	}
	for _, u := range objs {
		labels := u.GetLabels()
		if labels == nil {
			labels = map[string]string{}
		}
		labels[LabelManagedBy], labels[LabelApp] = "shipshape", r.app
		u.SetLabels(labels)
	}
	shown := o.Image
	for _, w := range r.workloads {
		eachContainer(w, false, func(c map[string]any) {
			if shown == "" {
				shown = image(c)
			}
		})
	}
	r.image = shown
	r.step("render", t, "%d objects from %s, image %s", len(objs), o.Source, shown)
	return nil
}

// namespaces decides where things go (--namespace wins over the
// manifests' own, as helm's does; without it, objects that name none go
// to the context's) and creates the namespaces when asked.
func (r *rollout) namespaces(ctx context.Context) error {
	o := &r.o
	r.ns = o.Namespace
	if r.ns == "" {
		r.ns = r.c.Namespace
	}
	if r.ns == "" {
		r.ns = "default"
	}
	names := map[string]bool{r.ns: true}
	for _, u := range r.objs {
		if u.GetNamespace() != "" && o.Namespace != "" {
			u.SetNamespace(o.Namespace)
		}
		if u.GetNamespace() != "" {
			names[u.GetNamespace()] = true
		}
	}
	if ws := workloadNamespace(r.workloads); ws != "" {
		r.ns = ws
	}
	if !o.CreateNS {
		return nil
	}
	for name := range names {
		_, err := r.c.Typed.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{FieldManager: FieldManager})
		if err != nil && !apierrors.IsAlreadyExists(err) {
			return explain(err, "create", "namespaces", name)
		}
	}
	return nil
}

// revisionsBefore notes the revision each Deployment is at now: the one
// an undo restores.
func (r *rollout) revisionsBefore(ctx context.Context) {
	for _, w := range r.workloads {
		if w.GetKind() != "Deployment" {
			continue
		}
		if d, err := r.c.Typed.AppsV1().Deployments(r.ns).Get(ctx, w.GetName(), metav1.GetOptions{}); err == nil {
			r.before[w.GetName()] = revision(d.Annotations)
			if timedOut(d) {
				deadline := time.Duration(ptrOr(d.Spec.ProgressDeadlineSeconds, 600)) * time.Second
				if r.o.ProgressDeadline > 0 {
					deadline = r.o.ProgressDeadline
				}
				r.timedOut[w.GetName()] = deadline
			}
		}
	}
}

// timeout bounds the wait for one Job or workload.
func (r *rollout) timeout() time.Duration {
	if r.o.Timeout <= 0 {
		return 10 * time.Minute
	}
	return r.o.Timeout
}

// runJobs runs the pre-deploy release Jobs, each to completion, before
// anything else changes: a failed one stops the deploy.
func (r *rollout) runJobs(ctx context.Context) error {
	for _, j := range r.jobs {
		t := time.Now()
		jctx, cancel := context.WithTimeout(ctx, r.timeout())
		err := runJob(jctx, r.c, r.ns, j)
		cancel()
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			err = fmt.Errorf("release job %s has not finished after %v: the rollout did not start; the running release is unchanged%s", j.GetName(), r.timeout(), jobWhy(ctx, r.c, r.ns, j.GetName()))
		}
		if err != nil {
			return err
		}
		r.step("job", t, "%s completed", j.GetName())
	}
	return nil
}

// apply applies everything but the Jobs, server-side.
func (r *rollout) apply(ctx context.Context) error {
	t := time.Now()
	for _, u := range r.rest {
		if err := apply(ctx, r.c, r.ns, u); err != nil {
			return err
		}
		r.res.Applied = append(r.res.Applied, u.GetKind()+"/"+u.GetName())
	}
	r.step("apply", t, "%d objects, server-side, field manager %s", len(r.res.Applied), FieldManager)
	return nil
}

// prune, when asked, deletes what shipshape applied earlier for the app
// and the rendered set no longer holds.
func (r *rollout) prune(ctx context.Context) error {
	if !r.o.Prune {
		return nil
	}
	t := time.Now()
	pruned, err := prune(ctx, r.c, r.ns, r.app, r.objs)
	if err != nil {
		return err
	}
	r.res.Pruned = pruned
	r.step("prune", t, "%d object(s) gone from the rendered set deleted", len(pruned))
	return nil
}

// roll waits for one workload's rollout and, for the first (the app),
// holds it to the smoke check; a failure undoes a Deployment.
func (r *rollout) roll(ctx context.Context, w *unstructured.Unstructured, smoke bool) error {
	t := time.Now()
	timeout := r.timeout()
	stale, isStale := r.timedOut[w.GetName()]
	if isStale {
		// The controller's condition would fail this rollout at once: our
		// own clock keeps its deadline instead.
		timeout = min(timeout, stale)
	}
	wctx, cancel := context.WithTimeout(ctx, timeout)
	err := wait(wctx, r.c, r.ns, w.GetKind(), w.GetName(), isStale, func(msg string) { r.step("rollout", t, "%s/%s: %s", w.GetKind(), w.GetName(), msg) })
	cancel()
	switch {
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil && isStale:
		err = fmt.Errorf("%w (%v, counted from the apply: the Deployment still carried an earlier rollout's)", errDeadline, stale)
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
		err = fmt.Errorf("rollout not complete after %v", timeout)
	}
	if err == nil && smoke && r.o.Smoke != nil {
		ts := time.Now()
		health := probePath(w)
		if err = release.Hold(ctx, 0, 0, func(ctx context.Context) error { return r.o.Smoke(ctx, health) }); err == nil {
			r.step("smoke", ts, "passed")
		} else {
			err = fmt.Errorf("smoke check failed: %w", err)
		}
	}
	if err != nil {
		if w.GetKind() == "Deployment" {
			// Why, from the new pods themselves, before the undo removes them.
			if reason := why(context.WithoutCancel(ctx), r.c, r.ns, w.GetName()); reason != "" {
				err = fmt.Errorf("%w (new pods: %s)", err, reason)
			}
		}
		return r.undo(ctx, w, err)
	}
	if w.GetKind() == "Deployment" {
		if d, err := r.c.Typed.AppsV1().Deployments(r.ns).Get(ctx, w.GetName(), metav1.GetOptions{}); err == nil {
			r.res.Revision = revision(d.Annotations)
		}
	}
	return nil
}

// undo restores the revision a Deployment was at before this deploy, as
// `kubectl rollout undo` does, after marking the failed one so that a
// later rollback skips it; the error says what happened and what serves.
func (r *rollout) undo(ctx context.Context, w *unstructured.Unstructured, cause error) error {
	kind, name := w.GetKind(), w.GetName()
	if kind != "Deployment" || r.before[name] == 0 {
		return fmt.Errorf("%s/%s: %w; nothing to undo to (its first release)", kind, name, cause)
	}
	t := time.Now()
	ctx = context.WithoutCancel(ctx)
	markFailed(ctx, r.c, r.ns, name, cause)
	restored, err := Undo(ctx, r.c, r.ns, name, r.before[name])
	if err != nil {
		return fmt.Errorf("%s/%s: %w; and undoing it failed: %v", kind, name, cause, err)
	}
	werr := WaitRestored(ctx, r.c, r.ns, name, func(msg string) { r.step("undo", t, "%s", msg) })
	r.res.Undone, r.res.Restored = true, restored
	if werr != nil {
		return fmt.Errorf("%s/%s: %w; restored revision %d, which has not rolled out either: %v", kind, name, cause, restored, werr)
	}
	return fmt.Errorf("%s/%s: %w; undone: revision %d (the one before this deploy) is serving again", kind, name, cause, restored)
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

// probePath is the HTTP path the workload's pods are probed on: the first
// container's readiness probe, else its liveness probe; "" when neither
// requests HTTP.
//
// Only the first container's, and only on the port it serves first: a
// sidecar's probe, or one on an admin port (9090's /ready), is not the
// route the smoke check's port answers.
func probePath(w *unstructured.Unstructured) string {
	containers, _, _ := unstructured.NestedSlice(w.Object, "spec", "template", "spec", "containers")
	if len(containers) == 0 {
		return ""
	}
	m, ok := containers[0].(map[string]any)
	if !ok {
		return ""
	}
	var served []any // the first port's number and name
	if ports, _, _ := unstructured.NestedSlice(m, "ports"); len(ports) > 0 {
		if p, ok := ports[0].(map[string]any); ok {
			served = []any{p["containerPort"], p["name"]}
		}
	}
	for _, probe := range []string{"readinessProbe", "livenessProbe"} {
		path, ok, _ := unstructured.NestedString(m, probe, "httpGet", "path")
		if !ok || !strings.HasPrefix(path, "/") {
			continue
		}
		port, _, _ := unstructured.NestedFieldNoCopy(m, probe, "httpGet", "port")
		if served == nil || samePort(port, served[0]) || port != nil && port == served[1] {
			return path
		}
	}
	return ""
}

// samePort compares a probe's port with a container port as decoded from
// YAML or JSON (int64, float64, or a string of digits).
func samePort(a, b any) bool {
	num := func(v any) string {
		switch n := v.(type) {
		case int64:
			return strconv.FormatInt(n, 10)
		case float64:
			return strconv.FormatFloat(n, 'f', -1, 64)
		case int:
			return strconv.Itoa(n)
		case string:
			return n
		}
		return ""
	}
	return a != nil && b != nil && num(a) != "" && num(a) == num(b)
}
