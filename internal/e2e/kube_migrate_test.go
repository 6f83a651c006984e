package e2e

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestKubeNode_InitMigrationJob proves on the real node the migration Job
// init writes for an app whose Makefile runs golang-migrate's CLI: its
// command passes the database's URL as $(DATABASE_URL), which the kubelet
// expands from the Job's own env (the Secret's key) and never a shell, so
// only a real node shows it works. deploy --target kubernetes runs the Job
// to completion before the rollout; the app's health route counts a table
// only the migration makes, so the Service answering "1 greetings" is the
// proof that the Job applied it to the database the app reads. A release
// whose migration fails is refused with the migration's own error.
func TestKubeNode_InitMigrationJob(t *testing.T) {
	path, cs := kubeconfig(t)
	node := kubeNode(t, path, cs)
	ctx := context.Background()

	dir := filepath.Join(t.TempDir(), "greetings")
	writeCommitted(t, dir, map[string]string{
		"go.mod":                                "module example.com/greetings\n\ngo 1.26\n\nrequire github.com/lib/pq v1.10.9\n",
		"go.sum":                                libpqSum,
		"main.go":                               greetingsMain,
		"Makefile":                              "migrateup:\n\tmigrate -path db/migrations -database \"$(DATABASE_URL)\" -verbose up\n",
		"db/migrations/000001_greetings.up.sql": "CREATE TABLE greetings (id serial PRIMARY KEY, text text NOT NULL);\nINSERT INTO greetings (text) VALUES ('hello');\n",
	})
	if code, out, errOut := shipshape(t, "init", dir); code != 0 {
		t.Fatalf("init: %d\n%s%s", code, out, errOut)
	}
	job, err := os.ReadFile(filepath.Join(dir, "deploy", "k8s", "base", "migrate.yaml"))
	if err != nil || !strings.Contains(string(job), `"-database", "$(DATABASE_URL)", "up"]`) {
		t.Fatalf("init's migration Job does not pass $(DATABASE_URL) (%v):\n%s", err, job)
	}
	tag := "e2e/greetings-node:v1"
	run(t, "build", "-q", "-t", tag, "-f", filepath.Join(dir, "Dockerfile"), dir)
	t.Cleanup(func() { _, _ = try("rmi", "-f", tag) })

	ns := fmt.Sprintf("e2e-migrate-%d", time.Now().UnixNano()%1000000)
	if _, err := cs.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { deleteNamespace(t, cs, ns) })

	// The database: Postgres on the node, ready once it accepts connections.
	const pg = "postgres:15.18-bookworm"
	node.loadImage(t, pg)
	password := fmt.Sprintf("e2e-%d", time.Now().UnixNano())
	labels := map[string]string{"app": "postgres"}
	spec := corev1.PodSpec{Containers: []corev1.Container{{
		Name: "postgres", Image: pg, ImagePullPolicy: corev1.PullNever,
		Env:   []corev1.EnvVar{{Name: "POSTGRES_PASSWORD", Value: password}},
		Ports: []corev1.ContainerPort{{ContainerPort: 5432}},
		ReadinessProbe: &corev1.Probe{
			ProbeHandler:  corev1.ProbeHandler{Exec: &corev1.ExecAction{Command: []string{"pg_isready", "-U", "postgres", "-h", "127.0.0.1"}}},
			PeriodSeconds: 1,
		},
	}}}
	node.onNode(&spec)
	one := int32(1)
	if _, err := cs.AppsV1().Deployments(ns).Create(ctx, &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: "postgres"},
		Spec: appsv1.DeploymentSpec{
			Replicas: &one, Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: spec},
		},
	}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	db := waitPod(t, cs, ns, "app=postgres", isReady)
	// The Secret init's files read DATABASE_URL from, created out of band
	// as its kustomization's comment says. The testbed's node runs no
	// cluster DNS and gives pods no route to Service addresses ("lookup
	// postgres on 10.255.255.53:53: ... network is unreachable", then
	// "dial tcp 10.0.0.145:5432: connect: network is unreachable"; pods
	// reach pods through the bridge), so the URL names the database's pod.
	if _, err := cs.CoreV1().Secrets(ns).Create(ctx, &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: "greetings"},
		StringData: map[string]string{"DATABASE_URL": "postgres://postgres:" + password + "@" + db.Status.PodIP + ":5432/postgres?sslmode=disable"},
	}, metav1.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	// init's production overlay, its Deployment and its Job on the real
	// node, one replica, the Service on a NodePort.
	place := node.kustomizePatch()
	jobPlace := strings.Replace(strings.TrimPrefix(place, "patches:\n"), "{kind: Deployment}", "{kind: Job}", 1)
	overlay := filepath.Join(dir, "deploy", "k8s", "node")
	writeOverlay(t, overlay, "../overlays/production", place+jobPlace+`
  - target: {kind: Service}
    patch: |-
      - op: add
        path: /spec/type
        value: NodePort
replicas:
  - name: greetings
    count: 1
`)
	code, out, errOut := shipshape(t, "deploy", "--target", "kubernetes", "--kubeconfig", path, "--service", "greetings", "-n", ns,
		"--source", overlay, "--load-image", node.Containerd, "--port-forward", "8080", "--progress-deadline", "60s", "--force", tag)
	if code != 0 || !strings.Contains(errOut, "greetings-migrate completed") {
		t.Fatalf("deploy: exit %d, want 0 and the migration Job completed\n%s%s", code, out, errOut)
	}
	url := nodePortURL(t, cs, ns, "greetings", "/healthz")
	if body := fetch(t, url+"healthz"); !strings.Contains(body, "1 greetings") {
		t.Errorf("GET /healthz through the Service: %q; want the row the migration inserted", body)
	}

	// A release whose migration fails stops before the rollout, and the
	// error carries the migration's own words from the Job's pod, not only
	// the Job's "reached the specified backoff limit".
	bad := filepath.Join(dir, "db", "migrations", "000002_again.up.sql")
	if err := os.WriteFile(bad, []byte("CREATE TABLE greetings (id serial PRIMARY KEY);\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tag2 := "e2e/greetings-node:v2"
	run(t, "build", "-q", "-t", tag2, "-f", filepath.Join(dir, "Dockerfile"), dir)
	t.Cleanup(func() { _, _ = try("rmi", "-f", tag2) })
	code, out, errOut = shipshape(t, "deploy", "--target", "kubernetes", "--kubeconfig", path, "--service", "greetings", "-n", ns,
		"--source", overlay, "--load-image", node.Containerd, "--port-forward", "8080", "--progress-deadline", "60s", "--force", tag2)
	if code != 1 || !strings.Contains(errOut, "release job greetings-migrate failed") || !strings.Contains(errOut, "migrate exited 1") ||
		!strings.Contains(errOut, `relation \"greetings\" already exists`) && !strings.Contains(errOut, `relation "greetings" already exists`) {
		t.Errorf("deploy of a release whose migration fails: exit %d, want 1 and the migration's error from its pod\n%s%s", code, out, errOut)
	}
	serving(t, cs, ns, "greetings", tag)
	if body := fetch(t, url+"healthz"); !strings.Contains(body, "1 greetings") {
		t.Errorf("GET /healthz after the refused release: %q; want v1 still serving", body)
	}
}
