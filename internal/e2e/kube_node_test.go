package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	discoveryv1 "k8s.io/api/discovery/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/kubernetes/scheme"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/tools/clientcmd"
	"k8s.io/client-go/tools/portforward"
	"k8s.io/client-go/tools/remotecommand"
	"k8s.io/client-go/transport/spdy"
)

// realNode is what scripts/kube-node.sh writes to node.json beside the
// testbed's kubeconfig: a node where pods really run.
type realNode struct {
	Name       string            `json:"name"`
	Labels     map[string]string `json:"labels"`
	Taints     []corev1.Taint    `json:"taints"`
	Containerd string            `json:"containerd"`
	PodCIDR    string            `json:"podCIDR"`
}

// kubeNode is the testbed's real node (make test starts it), Ready.
func kubeNode(t *testing.T, kubeconfig string, cs kubernetes.Interface) realNode {
	t.Helper()
	path := filepath.Join(filepath.Dir(kubeconfig), "node.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("no real node (%v): run scripts/kube-node.sh start (make test does)", err)
	}
	var n realNode
	if err := json.Unmarshal(data, &n); err != nil || n.Name == "" {
		t.Fatalf("%s: not what scripts/kube-node.sh writes (%v):\n%s", path, err, data)
	}
	node, err := cs.CoreV1().Nodes().Get(context.Background(), n.Name, metav1.GetOptions{})
	if err != nil {
		t.Fatalf("node %s from %s: %v; run scripts/kube-node.sh start", n.Name, path, err)
	}
	for _, c := range node.Status.Conditions {
		if c.Type == corev1.NodeReady && c.Status != corev1.ConditionTrue {
			t.Fatalf("node %s is not Ready (%s: %s); see scripts/kube-node.sh status", n.Name, c.Reason, c.Message)
		}
	}
	return n
}

// onNode places a pod template on the real node: its label, and a
// toleration for each of its taints.
func (n realNode) onNode(spec *corev1.PodSpec) {
	spec.NodeSelector = n.Labels
	for _, taint := range n.Taints {
		spec.Tolerations = append(spec.Tolerations, corev1.Toleration{
			Key: taint.Key, Operator: corev1.TolerationOpEqual, Value: taint.Value, Effect: taint.Effect})
	}
}

// loadImage copies a Docker image into the node's containerd, which pulls
// nothing; it is removed from there when the test ends (by name, and by
// the ID the CRI names it by as well).
func (n realNode) loadImage(t *testing.T, image string) {
	t.Helper()
	id := run(t, "image", "inspect", "-f", "{{.Id}}", image)
	out, err := exec.Command(filepath.Join(repoRoot(t), "scripts", "kube-node.sh"), "load", image).CombinedOutput()
	if err != nil {
		t.Fatalf("scripts/kube-node.sh load %s: %v\n%s", image, err, out)
	}
	t.Cleanup(func() {
		_ = exec.Command("ctr", "-a", n.Containerd, "-n", "k8s.io", "images", "rm", "docker.io/"+image, id).Run()
	})
}

// nodeApp answers / with its version and its pod's name and logs each
// request; /healthz fails unless HEALTHY=true.
const nodeApp = `package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
)

func main() {
	check := flag.Bool("healthcheck", false, "probe and exit")
	flag.Parse()
	if *check {
		r, err := http.Get("http://127.0.0.1:8080/healthz")
		if err != nil || r.StatusCode != 200 {
			os.Exit(1)
		}
		fmt.Println("healthy")
		return
	}
	host, _ := os.Hostname()
	http.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		if os.Getenv("HEALTHY") != "true" {
			w.WriteHeader(500)
		}
	})
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		log.Printf("%s %s from %s", r.Method, r.URL.Path, r.RemoteAddr)
		fmt.Fprintf(w, "%s ok from %s\n", os.Getenv("VERSION"), host)
	})
	log.Printf("listening on :8080 as %s", host)
	log.Fatal(http.ListenAndServe(":8080", nil))
}
`

// nodeAppDockerfile packs the app built on this machine (its Go build
// cache is warm; a Go build inside Docker starts cold and takes a minute).
const nodeAppDockerfile = `FROM gcr.io/distroless/static-debian12:nonroot
COPY app /app
EXPOSE 8080
ENTRYPOINT ["/app"]
`

// TestKubeNode_PodsRunAndServe: on the testbed's real node (kubelet,
// containerd, kube-proxy), an image built with Docker and loaded into the
// node runs as a Deployment; kubelet's readiness probe decides which pods
// are Ready (a pod whose /healthz fails stays unready, with the probe's
// failure recorded); the Service carries traffic from this machine through
// its ClusterIP and through a NodePort on 127.0.0.1 to both replicas; logs,
// exec and port-forward reach the pods through the API server.
func TestKubeNode_PodsRunAndServe(t *testing.T) {
	ctx := context.Background()
	path, cs := kubeconfig(t)
	node := kubeNode(t, path, cs)

	start := time.Now()
	image := nodeAppImage(t)
	node.loadImage(t, image)
	t.Logf("image built and loaded into the node in %v", time.Since(start).Round(time.Millisecond))

	ns := fmt.Sprintf("e2e-node-%d", time.Now().UnixNano()%1000000)
	if _, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { deleteNamespace(t, cs, ns) })

	start = time.Now()
	createApp(t, cs, node, ns, "web", image, 2, "true")
	createApp(t, cs, node, ns, "sick", image, 1, "false")
	svc, err := cs.CoreV1().Services(ns).Create(ctx, &corev1.Service{
		ObjectMeta: metav1.ObjectMeta{Name: "web"},
		Spec: corev1.ServiceSpec{
			Type:     corev1.ServiceTypeNodePort,
			Selector: map[string]string{"app": "web"},
			Ports:    []corev1.ServicePort{{Port: 80, TargetPort: intstr.FromInt32(8080)}},
		},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}

	web := readyPods(t, cs, ns, "web", 2)
	t.Logf("2 replicas Ready on %s in %v", node.Name, time.Since(start).Round(time.Millisecond))
	names := map[string]bool{}
	for _, p := range web {
		names[p.Name] = true
		if p.Spec.NodeName != node.Name {
			t.Errorf("pod %s runs on %q, want the real node %s", p.Name, p.Spec.NodeName, node.Name)
		}
	}

	// The unhealthy pod runs, kubelet probes it and it never turns Ready.
	sick := waitPod(t, cs, ns, "app=sick", func(p corev1.Pod) bool {
		return len(p.Status.ContainerStatuses) == 1 && p.Status.ContainerStatuses[0].State.Running != nil &&
			probeFailed(cs, ns, p.Name)
	})
	if isReady(sick) {
		t.Errorf("pod %s is Ready though its /healthz answers 500", sick.Name)
	}

	// Traffic only once the Service's endpoints are programmed: a packet sent
	// before is rejected and its conntrack entry breaks later connections.
	for deadline := time.Now().Add(30 * time.Second); readyEndpoints(cs, ns, "web") != 2; time.Sleep(250 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("service %s/web: not 2 ready endpoints 30 s after its pods turned Ready", ns)
		}
	}
	time.Sleep(1500 * time.Millisecond)
	nodePort := svc.Spec.Ports[0].NodePort
	for _, url := range []string{
		fmt.Sprintf("http://%s:80/", svc.Spec.ClusterIP),
		fmt.Sprintf("http://127.0.0.1:%d/", nodePort),
	} {
		seen := map[string]int{}
		for i := 0; i < 20; i++ {
			body := fetch(t, url)
			from, ok := strings.CutPrefix(strings.TrimSpace(body), "v1 ok from ")
			if !ok || !names[from] {
				t.Fatalf("GET %s: %q, want v1 ok from one of %v", url, body, names)
			}
			seen[from]++
		}
		if len(seen) != 2 {
			t.Errorf("GET %s 20 times on fresh connections reached %v, want both replicas", url, seen)
		}
	}

	// Through the API server to the node's kubelet.
	pod := web[0].Name
	logs, err := cs.CoreV1().Pods(ns).GetLogs(pod, &corev1.PodLogOptions{}).DoRaw(ctx)
	if err != nil {
		t.Fatalf("logs of %s through the API: %v", pod, err)
	}
	if !strings.Contains(string(logs), "listening on :8080 as "+pod) || !strings.Contains(string(logs), "GET / from ") {
		t.Errorf("logs of %s: want its start and its requests, got:\n%s", pod, logs)
	}
	cfg, err := clientcmd.BuildConfigFromFlags("", path)
	if err != nil {
		t.Fatal(err)
	}
	if out := execInPod(t, cfg, cs, ns, pod, "/app", "-healthcheck"); out != "healthy\n" {
		t.Errorf("exec /app -healthcheck in %s: %q, want healthy", pod, out)
	}
	if body := fetch(t, portForward(t, cfg, cs, ns, pod, 8080)+"/"); body != "v1 ok from "+pod+"\n" {
		t.Errorf("GET / through a port-forward to %s: %q", pod, body)
	}
}

// nodeAppImage builds nodeApp into an image, removed when the test ends.
func nodeAppImage(t *testing.T) string {
	return goAppImage(t, "node-app", nodeApp, nodeAppDockerfile)
}

// goAppImage builds a one-file Go program on this machine (static, no
// modules) and packs it with dockerfile into shipshape-e2e/NAME:<n>, an
// image removed when the test ends.
func goAppImage(t *testing.T, name, source, dockerfile string) string {
	t.Helper()
	dir := t.TempDir()
	for file, content := range map[string]string{"main.go": source, "Dockerfile": dockerfile} {
		if err := os.WriteFile(filepath.Join(dir, file), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	build := exec.Command("go", "build", "-o", "app", "main.go")
	build.Dir = dir
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GO111MODULE=off")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build of %s: %v\n%s", name, err, out)
	}
	image := fmt.Sprintf("shipshape-e2e/%s:%d", name, time.Now().UnixNano()%1000000)
	run(t, "build", "-q", "-t", image, dir)
	t.Cleanup(func() { _, _ = try("rmi", "-f", image) })
	return image
}

// createApp creates a Deployment of image on the real node, probed for
// readiness every second on /healthz, which answers 500 unless healthy is
// "true". The image comes only from the node's own store.
func createApp(t *testing.T, cs kubernetes.Interface, node realNode, ns, name, image string, replicas int32, healthy string) {
	t.Helper()
	labels := map[string]string{"app": name}
	spec := corev1.PodSpec{
		TerminationGracePeriodSeconds: new(int64),
		Containers: []corev1.Container{{
			Name:            "app",
			Image:           image,
			ImagePullPolicy: corev1.PullNever,
			Env:             []corev1.EnvVar{{Name: "VERSION", Value: "v1"}, {Name: "HEALTHY", Value: healthy}},
			Ports:           []corev1.ContainerPort{{ContainerPort: 8080}},
			ReadinessProbe: &corev1.Probe{
				ProbeHandler:  corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromInt32(8080)}},
				PeriodSeconds: 1, FailureThreshold: 1,
			},
		}},
	}
	node.onNode(&spec)
	_, err := cs.AppsV1().Deployments(ns).Create(context.Background(), &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: spec},
		},
	}, metav1.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
}

func isReady(p corev1.Pod) bool {
	for _, c := range p.Status.Conditions {
		if c.Type == corev1.PodReady {
			return c.Status == corev1.ConditionTrue
		}
	}
	return false
}

// waitPod waits up to 90 s for a pod matching selector that satisfies ok,
// and says what the pods were doing if none does.
func waitPod(t *testing.T, cs kubernetes.Interface, ns, selector string, ok func(corev1.Pod) bool) corev1.Pod {
	t.Helper()
	var last []corev1.Pod
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		pods, err := cs.CoreV1().Pods(ns).List(context.Background(), metav1.ListOptions{LabelSelector: selector})
		if err != nil {
			t.Fatal(err)
		}
		last = pods.Items
		for _, p := range last {
			if ok(p) {
				return p
			}
		}
	}
	t.Fatalf("no pod %s in %s got there in 90 s:\n%s%s", selector, ns, describePods(last), describeNodes(cs))
	return corev1.Pod{}
}

// readyPods waits up to 90 s for n Ready pods of the Deployment name.
func readyPods(t *testing.T, cs kubernetes.Interface, ns, name string, n int) []corev1.Pod {
	t.Helper()
	var last []corev1.Pod
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		pods, err := cs.CoreV1().Pods(ns).List(context.Background(), metav1.ListOptions{LabelSelector: "app=" + name})
		if err != nil {
			t.Fatal(err)
		}
		last = pods.Items
		var ready []corev1.Pod
		for _, p := range last {
			if isReady(p) && p.DeletionTimestamp == nil {
				ready = append(ready, p)
			}
		}
		if len(ready) == n {
			return ready
		}
	}
	t.Fatalf("deployment %s/%s: not %d Ready pods in 90 s:\n%s%s", ns, name, n, describePods(last), describeNodes(cs))
	return nil
}

func describePods(pods []corev1.Pod) string {
	var b strings.Builder
	for _, p := range pods {
		fmt.Fprintf(&b, "  %s on %q: %s ready=%v", p.Name, p.Spec.NodeName, p.Status.Phase, isReady(p))
		for _, c := range p.Status.Conditions {
			if c.Status != corev1.ConditionTrue && c.Message != "" {
				fmt.Fprintf(&b, "; %s: %s", c.Type, c.Message)
			}
		}
		for _, s := range p.Status.ContainerStatuses {
			if s.State.Waiting != nil {
				fmt.Fprintf(&b, "; waiting: %s %s", s.State.Waiting.Reason, s.State.Waiting.Message)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// describeNodes says what keeps the nodes from running pods: a condition
// that is not as a healthy node reports it (DiskPressure, Ready false) and
// the taints kubelet put on.
func describeNodes(cs kubernetes.Interface) string {
	nodes, err := cs.CoreV1().Nodes().List(context.Background(), metav1.ListOptions{})
	if err != nil {
		return "nodes: " + err.Error() + "\n"
	}
	var b strings.Builder
	for _, n := range nodes.Items {
		for _, c := range n.Status.Conditions {
			if (c.Type == corev1.NodeReady) != (c.Status == corev1.ConditionTrue) {
				fmt.Fprintf(&b, "  node %s: %s=%s %s\n", n.Name, c.Type, c.Status, c.Message)
			}
		}
		for _, taint := range n.Spec.Taints {
			if strings.HasPrefix(taint.Key, "node.kubernetes.io/") {
				fmt.Fprintf(&b, "  node %s: taint %s:%s\n", n.Name, taint.Key, taint.Effect)
			}
		}
	}
	return b.String()
}

// probeFailed: kubelet recorded a failed readiness probe for the pod.
func probeFailed(cs kubernetes.Interface, ns, pod string) bool {
	events, err := cs.CoreV1().Events(ns).List(context.Background(), metav1.ListOptions{
		FieldSelector: "involvedObject.name=" + pod + ",reason=Unhealthy"})
	if err != nil {
		return false
	}
	for _, e := range events.Items {
		if strings.Contains(e.Message, "Readiness probe failed") && strings.Contains(e.Message, "500") {
			return true
		}
	}
	return false
}

func readyEndpoints(cs kubernetes.Interface, ns, service string) int {
	slices, err := cs.DiscoveryV1().EndpointSlices(ns).List(context.Background(), metav1.ListOptions{
		LabelSelector: discoveryv1.LabelServiceName + "=" + service})
	if err != nil {
		return 0
	}
	n := 0
	for _, s := range slices.Items {
		for _, e := range s.Endpoints {
			if e.Conditions.Ready != nil && *e.Conditions.Ready {
				n++
			}
		}
	}
	return n
}

// fetch GETs url once on a fresh connection; the Service must answer the
// first time.
func fetch(t *testing.T, url string) string {
	t.Helper()
	c := http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d, %v: %s", url, resp.StatusCode, err, body)
	}
	return string(body)
}

// execInPod runs a command in the pod's container through the API server,
// as kubectl exec does, and returns its standard output.
func execInPod(t *testing.T, cfg *rest.Config, cs kubernetes.Interface, ns, pod string, command ...string) string {
	t.Helper()
	req := cs.CoreV1().RESTClient().Post().Resource("pods").Namespace(ns).Name(pod).SubResource("exec").
		VersionedParams(&corev1.PodExecOptions{Container: "app", Command: command, Stdout: true, Stderr: true}, scheme.ParameterCodec)
	ex, err := remotecommand.NewSPDYExecutor(cfg, http.MethodPost, req.URL())
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := ex.StreamWithContext(ctx, remotecommand.StreamOptions{Stdout: &stdout, Stderr: &stderr}); err != nil {
		t.Fatalf("exec %v in %s through the API: %v\n%s", command, pod, err, stderr.String())
	}
	return stdout.String()
}

// portForward forwards a free local port to the pod's port through the API
// server, as kubectl port-forward does, until the test ends.
func portForward(t *testing.T, cfg *rest.Config, cs kubernetes.Interface, ns, pod string, port int) string {
	t.Helper()
	rt, upgrader, err := spdy.RoundTripperFor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	u := cs.CoreV1().RESTClient().Post().Resource("pods").Namespace(ns).Name(pod).SubResource("portforward").URL()
	dialer := spdy.NewDialer(upgrader, &http.Client{Transport: rt}, http.MethodPost, u)
	stop, ready := make(chan struct{}), make(chan struct{})
	fw, err := portforward.NewOnAddresses(dialer, []string{"127.0.0.1"}, []string{fmt.Sprintf("0:%d", port)}, stop, ready, io.Discard, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	failed := make(chan error, 1)
	go func() { failed <- fw.ForwardPorts() }()
	t.Cleanup(func() { close(stop) })
	select {
	case <-ready:
	case err := <-failed:
		t.Fatalf("port-forward to %s:%d through the API: %v", pod, port, err)
	case <-time.After(15 * time.Second):
		t.Fatalf("port-forward to %s:%d through the API: not ready in 15 s", pod, port)
	}
	ports, err := fw.GetPorts()
	if err != nil || len(ports) == 0 {
		t.Fatalf("port-forward to %s: no local port (%v)", pod, err)
	}
	return fmt.Sprintf("http://127.0.0.1:%d", ports[0].Local)
}

// deleteNamespace deletes ns and waits up to 60 s for its pods to be gone
// from the node, so that none is left when the test run stops the node.
func deleteNamespace(t *testing.T, cs kubernetes.Interface, ns string) {
	ctx := context.Background()
	if err := cs.CoreV1().Namespaces().Delete(ctx, ns, metav1.DeleteOptions{}); err != nil && !apierrors.IsNotFound(err) {
		t.Errorf("deleting namespace %s: %v", ns, err)
		return
	}
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		pods, err := cs.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
		if err == nil && len(pods.Items) == 0 {
			return
		}
	}
	t.Errorf("namespace %s: pods still there 60 s after its deletion", ns)
}
