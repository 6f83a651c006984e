package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
)

// TestKubeNode_InitRollouts proves on the real node what init writes for
// Kubernetes and what deploy --target kubernetes does with it, under
// steady traffic through the Service's NodePort on 127.0.0.1: v1 to v2
// with not one failed request; a v3 whose probes never pass is undone by
// itself, the v2 pods serving throughout, and the error says why from the
// pods; a v4 that turns ready but fails the smoke check is undone; a
// rollback. Then the same rollout without init's preStop pause drops
// requests, and check's KU020 flags the manifests that do. Each outcome is
// read back from the API, and the served version from the Service.
func TestKubeNode_InitRollouts(t *testing.T) {
	path, cs := kubeconfig(t)
	node := kubeNode(t, path, cs)

	dir := filepath.Join(t.TempDir(), "shop")
	copyTree(t, filepath.Join(repoRoot(t), "examples", "init", "go-service"), dir)
	source, err := os.ReadFile(filepath.Join(dir, "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	// The app reads a secret it runs without: init's Deployment takes
	// API_TOKEN from the service's Secret, optional, and nobody made that
	// Secret here. Without `optional: true` no pod would start
	// (CreateContainerConfigError), and v1 below would never roll out.
	const readsToken = "\tmux := http.NewServeMux()"
	if !strings.Contains(string(source), readsToken) {
		t.Fatalf("go-service's main.go no longer holds %q", readsToken)
	}
	source = []byte(strings.Replace(string(source), readsToken, "\t_ = os.Getenv(\"API_TOKEN\")\n"+readsToken, 1))
	if err := os.WriteFile(filepath.Join(dir, "main.go"), source, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := shipshape(t, "init", dir); code != 0 {
		t.Fatalf("init: %d\n%s%s", code, out, errOut)
	}
	if manifest, err := os.ReadFile(filepath.Join(dir, "deploy", "k8s", "base", "deployment.yaml")); err != nil ||
		!strings.Contains(string(manifest), "key: API_TOKEN\n                  optional: true") {
		t.Fatalf("init's Deployment does not take API_TOKEN from the Secret, optional (%v):\n%s", err, manifest)
	}
	// Versions of the example, built with init's Dockerfile.
	image := func(version string, edits ...string) string {
		t.Helper()
		src := strings.Replace(string(source), `"hello from go-service\n"`, `"`+version+` ok\n"`, 1)
		for i := 0; i+1 < len(edits); i += 2 {
			if !strings.Contains(src, edits[i]) {
				t.Fatalf("go-service's main.go no longer holds %q", edits[i])
			}
			src = strings.Replace(src, edits[i], edits[i+1], 1)
		}
		if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		tag := "e2e/shop-node:" + version
		run(t, "build", "-q", "-t", tag, "-f", filepath.Join(dir, "Dockerfile"), dir)
		t.Cleanup(func() {
			_, _ = try("rmi", "-f", tag)
			_ = exec.Command("ctr", "-a", node.Containerd, "-n", "k8s.io", "images", "rm", "docker.io/"+tag).Run()
		})
		return tag
	}
	healthz := `w.Write([]byte("ok")) })`
	v1, v2 := image("v1"), image("v2")
	v3 := image("v3", healthz, `w.WriteHeader(500) })`)
	v4 := image("v4", `w.Write([]byte("v4 ok\n"))`, `w.WriteHeader(500)`)

	// The test's overlay of init's production overlay: on the real node
	// (its label and taint), two replicas, the Service on a NodePort.
	overlay := filepath.Join(dir, "deploy", "k8s", "node")
	writeOverlay(t, overlay, "../overlays/production", node.kustomizePatch()+`
  - target: {kind: Service}
    patch: |-
      - op: add
        path: /spec/type
        value: NodePort
replicas:
  - name: shop
    count: 2
`)
	ns := fmt.Sprintf("e2e-rollout-%d", time.Now().UnixNano()%1000000)
	t.Cleanup(func() { deleteNamespace(t, cs, ns) })
	deploy := func(source, img string, extra ...string) (int, string) {
		args := append([]string{"deploy", "--target", "kubernetes", "--kubeconfig", path, "--service", "shop", "-n", ns,
			"--create-namespace", "--source", source, "--load-image", node.Containerd, "--port-forward", "8080",
			"--progress-deadline", "30s", "--force", img}, extra...)
		code, out, errOut := shipshape(t, args...)
		return code, out + errOut
	}

	if code, out := deploy(overlay, v1); code != 0 {
		t.Fatalf("deploy v1: exit %d\n%s", code, out)
	}
	serving(t, cs, ns, "shop", v1)
	url := nodePortURL(t, cs, ns, "shop", "/")

	// v2, then v3 (never healthy) and its undo, under one load.
	traffic := load(t, url)
	if code, out := deploy(overlay, v2); code != 0 {
		t.Fatalf("deploy v2: exit %d\n%s", code, out)
	}
	serving(t, cs, ns, "shop", v2)
	oldPodsGone(t, cs, ns, "shop")
	code, out := deploy(overlay, v3)
	if code != 1 || !strings.Contains(out, "undone") || !strings.Contains(out, "probe failed") {
		t.Fatalf("deploy v3 (its health route answers 500): exit %d, want 1, undone, saying a probe failed\n%s", code, out)
	}
	serving(t, cs, ns, "shop", v2)
	oldPodsGone(t, cs, ns, "shop")
	r := traffic()
	t.Logf("v1 to v2, then v3 undone: %s; bodies %v", r, r.Bodies)
	if r.Failures != 0 || r.Bodies["v1"] == 0 || r.Bodies["v2"] == 0 || r.Bodies["v3"] != 0 {
		t.Errorf("%d of %d requests failed, bodies %v; want none failed, v1 then v2, never v3", r.Failures, r.Requests, r.Bodies)
	}

	// v4 turns ready but its page answers 500: the smoke check undoes it.
	if code, out := deploy(overlay, v4); code != 1 || !strings.Contains(out, "smoke check failed") || !strings.Contains(out, "undone") {
		t.Fatalf("deploy v4 (GET / answers 500): exit %d, want 1 and undone\n%s", code, out)
	}
	serving(t, cs, ns, "shop", v2)
	oldPodsGone(t, cs, ns, "shop")

	// rollback: the release before v2 that was not undone, v1.
	traffic = load(t, url)
	if code, out, errOut := shipshape(t, "rollback", "--target", "kubernetes", "--kubeconfig", path, "--service", "shop", "-n", ns); code != 0 {
		t.Fatalf("rollback: exit %d\n%s%s", code, out, errOut)
	}
	serving(t, cs, ns, "shop", v1)
	oldPodsGone(t, cs, ns, "shop")
	r = traffic()
	t.Logf("rollback to v1: %s; bodies %v", r, r.Bodies)
	if r.Failures != 0 || r.Bodies["v1"] == 0 {
		t.Errorf("%d of %d requests failed during the rollback, bodies %v", r.Failures, r.Requests, r.Bodies)
	}
	if code, out, _ := shipshape(t, "status", "shop", "--target", "kubernetes", "--kubeconfig", path, "-n", ns); code != 0 ||
		!strings.Contains(out, "2 of 2 ready") {
		t.Errorf("status --target kubernetes: exit %d\n%s", code, out)
	}
	if code, out, _ := shipshape(t, "logs", "shop", "--target", "kubernetes", "--kubeconfig", path, "-n", ns, "--tail", "5"); code != 0 {
		t.Errorf("logs --target kubernetes: exit %d\n%s", code, out)
	}

	// Without init's preStop pause: check flags it, and a rollout drops
	// requests (kube-proxy withdraws an endpoint up to a second after the
	// pod was told to stop).
	bare := filepath.Join(dir, "deploy", "k8s", "node-no-prestop")
	writeOverlay(t, bare, "../node", `
  - target: {kind: Deployment}
    patch: |-
      - op: remove
        path: /spec/template/spec/containers/0/lifecycle
`)
	if code, out, _ := shipshape(t, "check", "--no-config", "--profile", "production", bare); code == 0 || !strings.Contains(out, "KU020") {
		t.Errorf("check of manifests without a preStop pause: exit %d, want KU020\n%s", code, out)
	}
	// The first rollout to these manifests still stops pods that had the
	// pause; the next ones stop pods without it. New connections each time,
	// as browsers and other services open them: a kept-alive connection is
	// closed by the app's graceful stop before it is reused, and only a new
	// one meets the endpoint kube-proxy has not withdrawn yet.
	if code, out := deploy(bare, v2); code != 0 {
		t.Fatalf("deploy v2 without preStop: exit %d\n%s", code, out)
	}
	oldPodsGone(t, cs, ns, "shop")
	dropped := 0
	for i, img := range []string{v1, v2} {
		stop := freshConnections(url)
		if code, out := deploy(bare, img); code != 0 {
			t.Fatalf("deploy %s without preStop: exit %d\n%s", img, code, out)
		}
		oldPodsGone(t, cs, ns, "shop")
		requests, failed, first := stop()
		t.Logf("rollout %d without a preStop pause: %d requests on new connections, %d failed (%s)", i+1, requests, failed, first)
		if dropped = failed; dropped > 0 {
			break
		}
	}
	if dropped == 0 {
		t.Errorf("two rollouts without a preStop pause dropped no request: the proof that KU020 matters did not show")
	}
}

// freshConnections sends GETs to url, each on a new connection, from 4
// clients at about 100 requests/s each (bounded: the client's closed
// connections wait in TIME_WAIT), until the returned function stops them
// and says how many were sent, how many failed and the first failure.
func freshConnections(url string) func() (int, int, string) {
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	requests, failed, first := 0, 0, ""
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
			for ctx.Err() == nil {
				resp, err := c.Get(url)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				mu.Lock()
				requests++
				if err != nil && ctx.Err() == nil {
					failed++
					if first == "" {
						first = err.Error()
					}
				}
				mu.Unlock()
				time.Sleep(10 * time.Millisecond)
			}
		}()
	}
	return func() (int, int, string) {
		cancel()
		wg.Wait()
		return requests, failed, first
	}
}

// kustomizePatch is a kustomize patches: block placing the Deployment's
// pods on the real node.
func (n realNode) kustomizePatch() string {
	var b strings.Builder
	b.WriteString("patches:\n  - target: {kind: Deployment}\n    patch: |-\n")
	b.WriteString("      - op: add\n        path: /spec/template/spec/nodeSelector\n        value:\n")
	for k, v := range n.Labels {
		fmt.Fprintf(&b, "          %q: %q\n", k, v)
	}
	b.WriteString("      - op: add\n        path: /spec/template/spec/tolerations\n        value:\n")
	for _, taint := range n.Taints {
		fmt.Fprintf(&b, "          - {key: %q, operator: Equal, value: %q, effect: %q}\n", taint.Key, taint.Value, taint.Effect)
	}
	return b.String()
}

func writeOverlay(t *testing.T, dir, base, rest string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	text := "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - " + base + "\n"
	if !strings.Contains(rest, "patches:") {
		text += "patches:"
	}
	if err := os.WriteFile(filepath.Join(dir, "kustomization.yaml"), []byte(text+rest), 0o644); err != nil {
		t.Fatal(err)
	}
}

// nodePortURL is the Service's NodePort on 127.0.0.1, once its endpoints
// are ready (and a moment more: see scripts/kube-node.sh on conntrack) and
// path answers 200 through it.
func nodePortURL(t *testing.T, cs kubernetes.Interface, ns, name, path string) string {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); readyEndpoints(cs, ns, name) == 0; time.Sleep(250 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("service %s/%s has no ready endpoint", ns, name)
		}
	}
	time.Sleep(1500 * time.Millisecond)
	svc, err := cs.CoreV1().Services(ns).Get(context.Background(), name, metav1.GetOptions{})
	if err != nil || len(svc.Spec.Ports) == 0 || svc.Spec.Ports[0].NodePort == 0 {
		t.Fatalf("service %s/%s: no NodePort (%v)", ns, name, err)
	}
	url := fmt.Sprintf("http://127.0.0.1:%d/", svc.Spec.Ports[0].NodePort)
	fetch(t, url+strings.TrimPrefix(path, "/"))
	return url
}

// oldPodsGone waits until every pod of the Deployment runs its current
// template: with a preStop pause the rollout is complete while old pods
// still serve, and the proof needs their shutdown under load.
func oldPodsGone(t *testing.T, cs kubernetes.Interface, ns, name string) {
	t.Helper()
	d := deployment(t, cs, ns, name)
	sel := metav1.FormatLabelSelector(d.Spec.Selector)
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(500 * time.Millisecond) {
		pods, err := cs.CoreV1().Pods(ns).List(context.Background(), metav1.ListOptions{LabelSelector: sel})
		if err == nil && len(pods.Items) == int(*d.Spec.Replicas) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("deployment %s/%s: old pods still there after 90 s", ns, name)
		}
	}
}
