package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	authv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	rbacv1 "k8s.io/api/rbac/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/tools/clientcmd"

	"github.com/shipshape/shipshape/internal/release"
	"github.com/shipshape/shipshape/internal/release/kube"
)

// kubeconfig is the testbed's (scripts/kube-testbed.sh, which make test
// runs): a real API server, controller-manager and scheduler, kwok nodes.
func kubeconfig(t *testing.T) (string, kubernetes.Interface) {
	t.Helper()
	path := os.Getenv("SHIPSHAPE_KUBECONFIG")
	if path == "" {
		path = "/var/cache/shipshape/kube/state/kubeconfig"
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", path)
	if err != nil {
		t.Fatalf("no testbed kubeconfig at %s (%v): run scripts/kube-testbed.sh (make test does)", path, err)
	}
	cs, err := kubernetes.NewForConfig(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cs.Discovery().ServerVersion(); err != nil {
		t.Fatalf("the testbed's API server does not answer (%v): run scripts/kube-testbed.sh", err)
	}
	return path, cs
}

// kubeProject is an example taken through shipshape init (kustomize, or a
// Helm chart) in a temporary directory, deployed to a fresh namespace.
func kubeProject(t *testing.T, helm bool) (dir, ns string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "shop")
	copyTree(t, filepath.Join(repoRoot(t), "examples", "init", "go-service"), dir)
	args := []string{"init", dir}
	if helm {
		args = append(args, "--helm")
	}
	if code, out, errOut := shipshape(t, args...); code != 0 {
		t.Fatalf("init: %d\n%s%s", code, out, errOut)
	}
	ns = fmt.Sprintf("e2e-%d", time.Now().UnixNano()%1000000)
	return dir, ns
}

func deployment(t *testing.T, cs kubernetes.Interface, ns, name string) *appsv1.Deployment {
	t.Helper()
	d, err := cs.AppsV1().Deployments(ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// serving checks, through the API, that the Deployment runs image and has
// rolled out completely.
func serving(t *testing.T, cs kubernetes.Interface, ns, name, image string) {
	t.Helper()
	d := deployment(t, cs, ns, name)
	got := d.Spec.Template.Spec.Containers[0].Image
	want := *d.Spec.Replicas
	if got != image || d.Status.AvailableReplicas != want || d.Status.UpdatedReplicas != want || d.Status.ObservedGeneration < d.Generation {
		t.Errorf("deployment %s/%s: image %s, %d/%d available, %d updated; want %s fully rolled out",
			ns, name, got, d.Status.AvailableReplicas, want, d.Status.UpdatedReplicas, image)
	}
}

func inDir(t *testing.T, dir string) {
	t.Helper()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chdir(wd) })
}

// TestKube_DeployUndoRollbackPrune: init's kustomize manifests deployed to
// the real control plane: v1, v2; a release kwok keeps unready misses its
// progress deadline and is undone to v2; one that rolls out but fails its
// smoke check is undone to v2; rollback goes to v1 (skipping the undone
// ones); a prune deletes the PodDisruptionBudget gone from the manifests.
// Every outcome is read back from the API, not from shipshape's output.
func TestKube_DeployUndoRollbackPrune(t *testing.T) {
	path, cs := kubeconfig(t)
	dir, ns := kubeProject(t, false)
	inDir(t, dir)
	t.Cleanup(func() { _ = cs.CoreV1().Namespaces().Delete(context.Background(), ns, metav1.DeleteOptions{}) })
	var healthy atomic.Bool
	healthy.Store(true)
	smoke := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !healthy.Load() {
			w.WriteHeader(http.StatusInternalServerError)
		}
		fmt.Fprint(w, "ok")
	}))
	defer smoke.Close()
	img := func(tag string) string { return "registry.invalid/shipshape-e2e:" + tag }
	deployArgs := func(image string, extra ...string) []string {
		return append([]string{"deploy", "--target", "kubernetes", "--kubeconfig", path, "--service", "shop", "-n", ns,
			"--create-namespace", "--url", smoke.URL, "--health-path", "/healthz", image}, extra...)
	}

	if code, out, errOut := shipshape(t, deployArgs(img("v1"))...); code != 0 {
		t.Fatalf("deploy v1: exit %d\n%s%s", code, out, errOut)
	}
	serving(t, cs, ns, "shop", img("v1"))
	code, out, errOut := shipshape(t, deployArgs(img("v2"), "--format", "json")...)
	if code != 0 {
		t.Fatalf("deploy v2: exit %d\n%s%s", code, out, errOut)
	}
	serving(t, cs, ns, "shop", img("v2"))
	var res kube.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("--format json: %v\n%s", err, out)
	}
	var rollout time.Duration
	for _, s := range res.Steps {
		if s.Name == "rollout" {
			rollout = s.Took
		}
	}
	t.Logf("BENCH kube apply_to_rolled_out_ms=%d api_requests=%d (3 replicas, kwok)", rollout.Milliseconds(), res.Requests)
	if res.Requests > 20 {
		t.Errorf("%d API requests for one deploy: the rollout should be watched, not polled", res.Requests)
	}

	// A release that never turns ready: the deadline passes, it is undone.
	start := time.Now()
	code, _, errOut = shipshape(t, deployArgs(img("never-ready"), "--progress-deadline", "5s")...)
	if code != 1 || !strings.Contains(errOut, "progress deadline") || !strings.Contains(errOut, "undone") {
		t.Fatalf("deploy of a release that never turns ready: exit %d\n%s", code, errOut)
	}
	t.Logf("never-ready undone after %v", time.Since(start).Round(time.Millisecond))
	serving(t, cs, ns, "shop", img("v2"))

	// A release that rolls out but fails its smoke check: undone.
	healthy.Store(false)
	code, _, errOut = shipshape(t, deployArgs(img("v3"))...)
	healthy.Store(true)
	if code != 1 || !strings.Contains(errOut, "smoke check failed") || !strings.Contains(errOut, "undone") {
		t.Fatalf("deploy of a release that fails its smoke check: exit %d\n%s", code, errOut)
	}
	serving(t, cs, ns, "shop", img("v2"))

	// rollback: the release before v2 that was not undone, v1.
	if code, out, errOut := shipshape(t, "rollback", "--target", "kubernetes", "--kubeconfig", path, "--service", "shop", "-n", ns); code != 0 {
		t.Fatalf("rollback: exit %d\n%s%s", code, out, errOut)
	}
	serving(t, cs, ns, "shop", img("v1"))
	// rollback REVISION: the one releases lists for v2.
	_, out, _ = shipshape(t, "releases", "--target", "kubernetes", "--kubeconfig", path, "-n", ns, "--format", "json", "shop")
	var revs []release.Record
	if err := json.Unmarshal([]byte(out), &revs); err != nil {
		t.Fatalf("releases --format json: %v\n%s", err, out)
	}
	v2rev, undone := int64(0), 0
	for _, r := range revs {
		if len(r.Images) == 1 && r.Images[0] == img("v2") {
			v2rev = r.Revision
		}
		if r.State == release.Undone && r.Undone != "" {
			undone++
		}
	}
	if undone != 2 {
		t.Errorf("releases --format json shows %d undone revisions, want 2 (the deadline and the smoke check):\n%s", undone, out)
	}
	if code, out, errOut := shipshape(t, "rollback", "--target", "kubernetes", "--kubeconfig", path, "--service", "shop", "-n", ns, fmt.Sprint(v2rev)); code != 0 {
		t.Fatalf("rollback %d: exit %d\n%s%s", v2rev, code, out, errOut)
	}
	serving(t, cs, ns, "shop", img("v2"))
	_, out, _ = shipshape(t, "releases", "--target", "kubernetes", "--kubeconfig", path, "-n", ns, "shop")
	if !strings.Contains(out, "undone: rollout exceeded its progress deadline") || !strings.Contains(out, "undone: smoke check failed") {
		t.Errorf("releases does not show the undone revisions:\n%s", out)
	}

	// prune: the PDB leaves the manifests, and the cluster.
	kfile := filepath.Join(dir, "deploy", "k8s", "base", "kustomization.yaml")
	k, _ := os.ReadFile(kfile)
	if !strings.Contains(string(k), "pdb.yaml") {
		t.Fatalf("init's kustomization has no pdb.yaml:\n%s", k)
	}
	if err := os.WriteFile(kfile, []byte(strings.ReplaceAll(string(k), "  - pdb.yaml\n", "")), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := shipshape(t, deployArgs(img("v4"), "--prune")...); code != 0 || !strings.Contains(errOut, "1 object(s) gone") {
		t.Fatalf("deploy --prune: exit %d\n%s%s", code, out, errOut)
	}
	if _, err := cs.PolicyV1().PodDisruptionBudgets(ns).Get(context.Background(), "shop", metav1.GetOptions{}); !apierrors.IsNotFound(err) {
		t.Errorf("the PDB is still there after the prune: %v", err)
	}
	if _, err := cs.CoreV1().Services(ns).Get(context.Background(), "shop", metav1.GetOptions{}); err != nil {
		t.Errorf("the prune took the Service too: %v", err)
	}
	serving(t, cs, ns, "shop", img("v4"))

	// Without an image: the commit's, as shipshape build tags it.
	commitAll(t, dir, "source")
	sha, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := shipshape(t, "deploy", "--target", "kubernetes", "--kubeconfig", path, "--service", "shop", "-n", ns); code != 0 {
		t.Fatalf("deploy without an image: exit %d\n%s%s", code, out, errOut)
	}
	serving(t, cs, ns, "shop", "shop:"+string(sha[:12]))

	// --port-forward: the smoke check goes through the API server to a
	// ready pod; the testbed's kwok forwards every pod port to
	// 127.0.0.1:18080, where this test answers for the pod.
	var seen atomic.Int64
	ln, err := net.Listen("tcp", "127.0.0.1:18080")
	if err != nil {
		t.Fatalf("the testbed forwards pod ports to 127.0.0.1:18080, which is taken: %v", err)
	}
	pod := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Add(1)
		if !healthy.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		fmt.Fprint(w, "ok")
	})}
	go pod.Serve(ln)
	defer pod.Close()
	pfArgs := func(image string) []string {
		return []string{"deploy", "--target", "kubernetes", "--kubeconfig", path, "--service", "shop", "-n", ns,
			"--port-forward", "8080", "--health-path", "/healthz", image}
	}
	if code, out, errOut := shipshape(t, pfArgs(img("v5"))...); code != 0 || seen.Load() < 2 {
		t.Fatalf("deploy smoke-checked through a port-forward: exit %d, %d requests reached the pod\n%s%s", code, seen.Load(), out, errOut)
	}
	serving(t, cs, ns, "shop", img("v5"))
	healthy.Store(false)
	code, _, errOut = shipshape(t, pfArgs(img("v6"))...)
	healthy.Store(true)
	if code != 1 || !strings.Contains(errOut, "smoke check failed") || !strings.Contains(errOut, "undone") {
		t.Fatalf("a release that fails its smoke check through a port-forward: exit %d\n%s", code, errOut)
	}
	serving(t, cs, ns, "shop", img("v5"))
}

// TestKube_HelmJobsAndErrors: init's Helm chart deploys; a release Job
// runs before the rollout, and a failing one stops the deploy with the
// running release untouched; a quota, an immutable selector and a cluster
// that does not answer each get an error that says what to do.
func TestKube_HelmJobsAndErrors(t *testing.T) {
	path, cs := kubeconfig(t)
	ctx := context.Background()
	dir, ns := kubeProject(t, true)
	inDir(t, dir)
	t.Cleanup(func() { _ = cs.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{}) })
	img := func(tag string) string { return "registry.invalid/shipshape-e2e:" + tag }
	chart := filepath.Join("deploy", "helm", "shop")
	if code, out, errOut := shipshape(t, "deploy", "--target", "kubernetes", "--kubeconfig", path, "--service", "shop", "-n", ns,
		"--create-namespace", "--source", chart, img("h1")); code != 0 {
		t.Fatalf("deploy the Helm chart: exit %d\n%s%s", code, out, errOut)
	}
	deps, err := cs.AppsV1().Deployments(ns).List(ctx, metav1.ListOptions{LabelSelector: kube.LabelApp + "=shop"})
	if err != nil || len(deps.Items) != 1 {
		t.Fatalf("deployments of the chart: %v %v", deps, err)
	}
	name := deps.Items[0].Name
	serving(t, cs, ns, name, img("h1"))
	values := filepath.Join(t.TempDir(), "prod.yaml")
	if err := os.WriteFile(values, []byte("replicaCount: 4\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := shipshape(t, "deploy", "--target", "kubernetes", "--kubeconfig", path, "--service", "shop", "-n", ns,
		"--source", chart, "--values", values, img("h2")); code != 0 {
		t.Fatalf("roll the Helm chart to h2 with a values file: exit %d\n%s%s", code, out, errOut)
	}
	serving(t, cs, ns, name, img("h2"))
	if d := deployment(t, cs, ns, name); *d.Spec.Replicas != 4 {
		t.Errorf("the values file's replicaCount did not reach the cluster: %d replicas", *d.Spec.Replicas)
	}

	// Plain manifests with a release Job.
	manifests := filepath.Join(t.TempDir(), "manifests")
	writeManifests := func(jobImage string) {
		t.Helper()
		_ = os.MkdirAll(manifests, 0o755)
		text := fmt.Sprintf(`apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: 2
  selector:
    matchLabels: {app: api}
  template:
    metadata:
      labels: {app: api}
    spec:
      containers:
      - name: api
        image: registry.invalid/api:a1
---
apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
  annotations:
    dev.shipshape.phase: pre-deploy
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: %s
`, jobImage)
		if err := os.WriteFile(filepath.Join(manifests, "app.yaml"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	kdeploy := func(image string) (int, string) {
		code, _, errOut := shipshape(t, "deploy", "--target", "kubernetes", "--kubeconfig", path, "--service", "api", "-n", ns,
			"--force", "--source", manifests, image)
		return code, errOut
	}
	// The job's image has another repository than the app's: deploy sets
	// the app's image only (a job in the app's repository gets it too, as a
	// migration should).
	writeManifests(img("job-ok"))
	if code, errOut := kdeploy("registry.invalid/api:a1"); code != 0 || !strings.Contains(errOut, "migrate completed") {
		t.Fatalf("deploy with a release job: exit %d\n%s", code, errOut)
	}
	serving(t, cs, ns, "api", "registry.invalid/api:a1")
	writeManifests(img("job-fails"))
	if code, errOut := kdeploy("registry.invalid/api:a2"); code != 1 || !strings.Contains(errOut, "release job migrate failed") {
		t.Fatalf("deploy with a failing release job: exit %d\n%s", code, errOut)
	}
	serving(t, cs, ns, "api", "registry.invalid/api:a1")

	// shipshape check runs first: a privileged container stops the deploy
	// before anything is applied.
	writeManifests(img("job-ok"))
	m0, _ := os.ReadFile(filepath.Join(manifests, "app.yaml"))
	priv := strings.Replace(string(m0), "        image: registry.invalid/api:a1\n", "        image: registry.invalid/api:a1\n        securityContext: {privileged: true}\n", 1)
	_ = os.WriteFile(filepath.Join(manifests, "app.yaml"), []byte(priv), 0o644)
	code, _, errOut := shipshape(t, "deploy", "--target", "kubernetes", "--kubeconfig", path, "--service", "api", "-n", ns,
		"--source", manifests, "registry.invalid/api:p1")
	if code != 1 || !strings.Contains(errOut, "KU005") || !strings.Contains(errOut, "--force") {
		t.Errorf("deploy of a privileged container: exit %d\n%s", code, errOut)
	}
	serving(t, cs, ns, "api", "registry.invalid/api:a1")

	// RBAC: a service account that may read but not patch deployments.
	sa := "reader"
	if _, err := cs.CoreV1().ServiceAccounts(ns).Create(ctx, &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Name: sa}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.RbacV1().Roles(ns).Create(ctx, &rbacv1.Role{ObjectMeta: metav1.ObjectMeta{Name: sa},
		Rules: []rbacv1.PolicyRule{{APIGroups: []string{"*"}, Resources: []string{"*"}, Verbs: []string{"get", "list", "watch"}}}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := cs.RbacV1().RoleBindings(ns).Create(ctx, &rbacv1.RoleBinding{ObjectMeta: metav1.ObjectMeta{Name: sa},
		RoleRef:  rbacv1.RoleRef{APIGroup: "rbac.authorization.k8s.io", Kind: "Role", Name: sa},
		Subjects: []rbacv1.Subject{{Kind: "ServiceAccount", Name: sa, Namespace: ns}}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	tok, err := cs.CoreV1().ServiceAccounts(ns).CreateToken(ctx, sa, &authv1.TokenRequest{Spec: authv1.TokenRequestSpec{}}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	admin, _ := clientcmd.LoadFromFile(path)
	for _, u := range admin.AuthInfos {
		u.ClientCertificateData, u.ClientKeyData, u.Token = nil, nil, tok.Status.Token
	}
	readerConfig := filepath.Join(t.TempDir(), "reader.kubeconfig")
	if err := clientcmd.WriteToFile(*admin, readerConfig); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = shipshape(t, "deploy", "--target", "kubernetes", "--kubeconfig", readerConfig, "--service", "api", "-n", ns,
		"--force", "--source", manifests, "registry.invalid/api:r1")
	if code != 1 || !strings.Contains(errOut, `RBAC denies "delete" on jobs`) || !strings.Contains(errOut, "ask for a Role") {
		t.Errorf("deploy with a service account that may not patch: exit %d\n%s", code, errOut)
	}

	// StatefulSets and DaemonSets are waited for too.
	sets := filepath.Join(t.TempDir(), "sets")
	_ = os.MkdirAll(sets, 0o755)
	_ = os.WriteFile(filepath.Join(sets, "sets.yaml"), []byte(`apiVersion: apps/v1
kind: StatefulSet
metadata: {name: cache}
spec:
  serviceName: cache
  replicas: 2
  selector: {matchLabels: {app: cache}}
  template:
    metadata: {labels: {app: cache}}
    spec:
      containers: [{name: cache, image: registry.invalid/cache:1}]
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: registry.invalid/agent:1}]
`), 0o644)
	code, _, errOut = shipshape(t, "deploy", "--target", "kubernetes", "--kubeconfig", path, "--service", "cache", "-n", ns, "--force", "--source", sets)
	if code != 0 || !strings.Contains(errOut, "StatefulSet/cache: 2 of 2 pods ready: rolled out") || !strings.Contains(errOut, "DaemonSet/agent: 1 of 1 pods available: rolled out") {
		t.Errorf("deploy of a StatefulSet and a DaemonSet: exit %d\n%s", code, errOut)
	}
	if st, err := cs.AppsV1().StatefulSets(ns).Get(ctx, "cache", metav1.GetOptions{}); err != nil || st.Status.ReadyReplicas != 2 {
		t.Errorf("the StatefulSet through the API: %v, %v", st.Status, err)
	}

	// An immutable selector.
	writeManifests(img("job-ok"))
	m, _ := os.ReadFile(filepath.Join(manifests, "app.yaml"))
	changed := strings.Replace(string(m), "matchLabels: {app: api}", "matchLabels: {app: api, tier: web}", 1)
	changed = strings.Replace(changed, "labels: {app: api}", "labels: {app: api, tier: web}", 1)
	_ = os.WriteFile(filepath.Join(manifests, "app.yaml"), []byte(changed), 0o644)
	if code, errOut := kdeploy("registry.invalid/api:a3"); code != 1 || !strings.Contains(errOut, "immutable") || !strings.Contains(errOut, "deleted and created again") {
		t.Errorf("deploy that changes a selector: exit %d\n%s", code, errOut)
	}

	// A quota that admits no Deployment.
	qns := ns + "-quota"
	if _, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: qns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cs.CoreV1().Namespaces().Delete(ctx, qns, metav1.DeleteOptions{}) })
	if _, err := cs.CoreV1().ResourceQuotas(qns).Create(ctx, &corev1.ResourceQuota{ObjectMeta: metav1.ObjectMeta{Name: "none"},
		Spec: corev1.ResourceQuotaSpec{Hard: corev1.ResourceList{"count/deployments.apps": resource.MustParse("0")}}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // the quota controller fills in its status
	code, _, errOut = shipshape(t, "deploy", "--target", "kubernetes", "--kubeconfig", path, "--service", "shop", "-n", qns,
		"--source", chart, img("h1"))
	if code != 1 || !strings.Contains(errOut, "ResourceQuota refuses it") {
		t.Errorf("deploy into a namespace whose quota admits no Deployment: exit %d\n%s", code, errOut)
	}

	// A cluster that does not answer.
	bad := filepath.Join(t.TempDir(), "kubeconfig")
	_ = os.WriteFile(bad, []byte("apiVersion: v1\nkind: Config\nclusters:\n- name: x\n  cluster: {server: 'https://127.0.0.1:1'}\ncontexts:\n- name: x\n  context: {cluster: x, user: x}\ncurrent-context: x\nusers:\n- name: x\n  user: {token: x}\n"), 0o600)
	code, _, errOut = shipshape(t, "deploy", "--target", "kubernetes", "--kubeconfig", bad, "--service", "shop", "--source", chart, img("h1"))
	if code != 2 || !strings.Contains(errOut, "no Kubernetes API server answers at https://127.0.0.1:1") {
		t.Errorf("deploy to a cluster that does not answer: exit %d\n%s", code, errOut)
	}
}
