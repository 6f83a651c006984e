package kube

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/apimachinery/pkg/util/validation/field"
	"k8s.io/client-go/kubernetes/fake"
)

func int32p(n int32) *int32 { return &n }

// status decides a rollout as kubectl rollout status does.
func TestStatus(t *testing.T) {
	dep := func(gen, observed int64, replicas, updated, total, available int32, reason string) *appsv1.Deployment {
		d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Generation: gen}, Spec: appsv1.DeploymentSpec{Replicas: int32p(replicas)},
			Status: appsv1.DeploymentStatus{ObservedGeneration: observed, UpdatedReplicas: updated, Replicas: total, AvailableReplicas: available}}
		if reason != "" {
			d.Status.Conditions = []appsv1.DeploymentCondition{{Type: appsv1.DeploymentProgressing, Reason: reason, Message: "timed out"}}
		}
		return d
	}
	for _, tc := range []struct {
		name string
		obj  any
		msg  string
		done bool
		err  string
	}{
		{"spec not seen", dep(2, 1, 3, 3, 3, 3, ""), "waiting for the controller", false, ""},
		{"updating", dep(2, 2, 3, 1, 4, 3, ""), "1 of 3 new replicas updated", false, ""},
		{"old pending", dep(2, 2, 3, 3, 4, 3, ""), "1 old replicas pending termination", false, ""},
		{"not available", dep(2, 2, 3, 3, 3, 2, ""), "2 of 3 updated replicas available", false, ""},
		{"done", dep(2, 2, 3, 3, 3, 3, ""), "rolled out", true, ""},
		{"deadline", dep(2, 2, 3, 1, 4, 3, "ProgressDeadlineExceeded"), "", false, "progress deadline (600s)"},
		{"statefulset", &appsv1.StatefulSet{Spec: appsv1.StatefulSetSpec{Replicas: int32p(2)}, Status: appsv1.StatefulSetStatus{ReadyReplicas: 1}}, "1 of 2 pods ready", false, ""},
		{"daemonset", &appsv1.DaemonSet{Status: appsv1.DaemonSetStatus{DesiredNumberScheduled: 2, UpdatedNumberScheduled: 2, NumberAvailable: 2}}, "rolled out", true, ""},
	} {
		msg, done, err := status(tc.obj)
		if !strings.Contains(msg, tc.msg) || done != tc.done || (tc.err == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%s: %q %v %v; want %q %v %q", tc.name, msg, done, err, tc.msg, tc.done, tc.err)
		}
	}
}

func TestRepositoryAndSetImage(t *testing.T) {
	for in, want := range map[string]string{
		"shop": "shop", "shop:1": "shop", "registry:5000/team/shop:1.2": "registry:5000/team/shop",
		"shop@sha256:abc": "shop", "registry:5000/shop": "registry:5000/shop",
	} {
		if got := repository(in); got != want {
			t.Errorf("repository(%q) = %q, want %q", in, got, want)
		}
	}
	workload := func(images ...string) *unstructured.Unstructured {
		var cs []any
		for _, img := range images {
			cs = append(cs, map[string]any{"name": "c", "image": img})
		}
		u := &unstructured.Unstructured{Object: map[string]any{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": map[string]any{"name": "x"}}}
		_ = unstructured.SetNestedSlice(u.Object, cs, "spec", "template", "spec", "containers")
		return u
	}
	images := func(u *unstructured.Unstructured) string {
		list, _, _ := unstructured.NestedSlice(u.Object, "spec", "template", "spec", "containers")
		var out []string
		for _, c := range list {
			out = append(out, c.(map[string]any)["image"].(string))
		}
		return strings.Join(out, " ")
	}
	// One repository in the manifests (a placeholder): it becomes the image.
	u := workload("shop:replaced-by-ci")
	if err := setImage([]*unstructured.Unstructured{u}, "ghcr.io/acme/shop:3f2c"); err != nil || images(u) != "ghcr.io/acme/shop:3f2c" {
		t.Errorf("single repository: %q %v", images(u), err)
	}
	// A sidecar of another repository keeps its image.
	u = workload("ghcr.io/acme/shop:1", "envoyproxy/envoy:v1.31")
	if err := setImage([]*unstructured.Unstructured{u}, "ghcr.io/acme/shop:2"); err != nil || images(u) != "ghcr.io/acme/shop:2 envoyproxy/envoy:v1.31" {
		t.Errorf("with a sidecar: %q %v", images(u), err)
	}
	// Several repositories, none the image's: which is the app?
	u = workload("a:1", "b:1")
	if err := setImage([]*unstructured.Unstructured{u}, "c:2"); err == nil || !strings.Contains(err.Error(), "which one is the app") {
		t.Errorf("ambiguous: %v", err)
	}
}

func TestExplain(t *testing.T) {
	gr := schema.GroupResource{Group: "apps", Resource: "deployments"}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{apierrors.NewForbidden(gr, "shop", errors.New(`User "ci" cannot patch resource "deployments"`)), `RBAC denies "patch" on deployments`},
		{apierrors.NewForbidden(gr, "shop", errors.New("exceeded quota: none, requested: count/deployments.apps=1")), "ResourceQuota refuses it"},
		{apierrors.NewInvalid(schema.GroupKind{Group: "apps", Kind: "Deployment"}, "shop",
			field.ErrorList{field.Invalid(field.NewPath("spec", "selector"), "x", "field is immutable")}), "deleted and created again"},
	} {
		if got := explain(tc.err, "patch", "deployments", "ns/shop").Error(); !strings.Contains(got, tc.want) {
			t.Errorf("explain(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

// Undo with no revision goes to the newest earlier revision that runs
// another image and was not itself undone.
func TestUndoSkipsUndoneAndSameImageRevisions(t *testing.T) {
	d := &appsv1.Deployment{ObjectMeta: metav1.ObjectMeta{Name: "shop", Namespace: "ns", UID: "d1",
		Annotations: map[string]string{"deployment.kubernetes.io/revision": "5"}},
		Spec: appsv1.DeploymentSpec{Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": "shop"}}}}
	rs := func(rev, image string, failed bool) *appsv1.ReplicaSet {
		yes := true
		r := &appsv1.ReplicaSet{ObjectMeta: metav1.ObjectMeta{Name: "shop-" + rev, Namespace: "ns", Labels: map[string]string{"app": "shop"},
			Annotations:     map[string]string{"deployment.kubernetes.io/revision": rev},
			OwnerReferences: []metav1.OwnerReference{{APIVersion: "apps/v1", Kind: "Deployment", Name: "shop", UID: "d1", Controller: &yes}}},
			Spec: appsv1.ReplicaSetSpec{Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": "shop", "pod-template-hash": rev}},
				Spec: corev1.PodSpec{Containers: []corev1.Container{{Name: "c", Image: image}}}}}}
		if failed {
			r.Annotations[AnnotationFailed] = "smoke check failed"
		}
		return r
	}
	cs := fake.NewClientset(d, rs("1", "shop:v1", false), rs("2", "shop:v2", false), rs("3", "shop:bad", true), rs("4", "shop:v3", false), rs("5", "shop:v3", false))
	c := &Client{Typed: cs, requests: new(atomic.Int64)}
	got, err := Undo(context.Background(), c, "ns", "shop", 0)
	if err != nil || got != 2 {
		t.Fatalf("undo to the previous release: revision %d, %v; want 2 (4 runs the same image, 3 was undone)", got, err)
	}
	after, _ := cs.AppsV1().Deployments("ns").Get(context.Background(), "shop", metav1.GetOptions{})
	if img := after.Spec.Template.Spec.Containers[0].Image; img != "shop:v2" || after.Spec.Template.Labels["pod-template-hash"] != "" {
		t.Errorf("restored template: image %s, labels %v; want shop:v2 without pod-template-hash", img, after.Spec.Template.Labels)
	}
	if _, err := Undo(context.Background(), c, "ns", "shop", 9); err == nil || !strings.Contains(err.Error(), "no revision 9") {
		t.Errorf("undo to a revision that does not exist: %v", err)
	}
}

// FuzzRender: any manifest file renders to objects or fails with an
// error; setting the image never panics.
func FuzzRender(f *testing.F) {
	f.Add("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  template:\n    spec:\n      containers: [{name: a, image: a:1}, {name: b, image: 'b@sha256:1'}]\n")
	f.Add("apiVersion: batch/v1\nkind: Job\nmetadata: {name: j, annotations: {dev.shipshape.phase: pre-deploy}}\nspec: {template: {spec: {containers: [{image: x}]}}}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n")
	f.Add("apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: d}\nspec: {template: {spec: {initContainers: [{image: 1}], containers: 7}}}\n")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, text string) {
		path := filepath.Join(dir, "app.yaml")
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		objs, err := Render(Options{Source: path, Image: "registry.example/app:1"})
		if err == nil && len(objs) == 0 {
			t.Fatal("no error and no objects")
		}
	})
}

// A directory of manifests is read as check reads it: its manifest files,
// not the values file or compose file beside them, nor a chart below it.
func TestRender_DirectoryKinds(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"deploy.yaml":            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: shop}\nspec:\n  selector: {matchLabels: {app: shop}}\n  template:\n    metadata: {labels: {app: shop}}\n    spec: {containers: [{name: app, image: shop:v1}]}\n",
		"service.yml":            "apiVersion: v1\nkind: Service\nmetadata: {name: shop}\nspec: {ports: [{port: 80}]}\n",
		"values.yaml":            "replicaCount: 2\nimage: {repository: shop}\n",
		"compose.yaml":           "services:\n  web: {image: shop:v1}\n",
		"chart/Chart.yaml":       "apiVersion: v2\nname: other\nversion: 0.1.0\n",
		"chart/values.yaml":      "x: 1\n",
		"chart/templates/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Values.x }}}\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	objs, err := Render(Options{Source: dir, Image: "shop:v2"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, u := range objs {
		got = append(got, u.GetKind()+"/"+u.GetName())
	}
	if strings.Join(got, " ") != "Deployment/shop Service/shop" {
		t.Errorf("rendered %v, want the Deployment and the Service only", got)
	}
}
