package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

// TestKubeNode_SmokeBrowser: deploy --target kubernetes --smoke-browser
// on the testbed's real node, through --port-forward. The pod speaks plain
// HTTP; the browser loads the page over HTTPS through shipshape's front,
// which passes X-Forwarded-Proto as the cluster's TLS ingress would. Seed
// 002's app trusting the header renders and the rollout stands; the next
// release's page has a script that adds a stylesheet over http:// (which
// the HTTP smoke, reading the HTML, does not see): the browser blocks it
// and the rollout is undone to the release before.
func TestKubeNode_SmokeBrowser(t *testing.T) {
	path, cs := kubeconfig(t)
	node := kubeNode(t, path, cs)
	image := seedAppImage(t)
	t.Cleanup(func() {
		_ = exec.Command("ctr", "-a", node.Containerd, "-n", "k8s.io", "images", "rm", "docker.io/"+image).Run()
	})
	ns := fmt.Sprintf("e2e-browser-%d", time.Now().UnixNano()%1000000)
	t.Cleanup(func() { deleteNamespace(t, cs, ns) })

	// The manifests: the app's Deployment on the real node, trusting the
	// forwarded headers, with its plain page or the one with the script.
	manifests := func(page string) string {
		dir := t.TempDir()
		labels := map[string]string{"app": "quartermaster"}
		spec := corev1.PodSpec{
			TerminationGracePeriodSeconds: new(int64),
			Containers: []corev1.Container{{
				Name: "app", Image: image, ImagePullPolicy: corev1.PullNever,
				Env:   []corev1.EnvVar{{Name: "PAGE", Value: page}, {Name: "PROXY_HEADERS", Value: "true"}},
				Ports: []corev1.ContainerPort{{ContainerPort: 8080}},
				ReadinessProbe: &corev1.Probe{
					ProbeHandler:  corev1.ProbeHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/healthz", Port: intstr.FromInt32(8080)}},
					PeriodSeconds: 1, FailureThreshold: 1,
				},
			}},
		}
		node.onNode(&spec)
		replicas := int32(1)
		d := appsv1.Deployment{
			TypeMeta:   metav1.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
			ObjectMeta: metav1.ObjectMeta{Name: "quartermaster", Labels: labels},
			Spec: appsv1.DeploymentSpec{
				Replicas: &replicas,
				Selector: &metav1.LabelSelector{MatchLabels: labels},
				Template: corev1.PodTemplateSpec{ObjectMeta: metav1.ObjectMeta{Labels: labels}, Spec: spec},
			},
		}
		data, err := yaml.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "deployment.yaml"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	deploy := func(source string) (int, string) {
		code, out, errOut := shipshape(t, "deploy", "--target", "kubernetes", "--kubeconfig", path, "--service", "quartermaster", "-n", ns,
			"--create-namespace", "--source", source, "--load-image", node.Containerd, "--port-forward", "8080", "--health-path", "/healthz",
			"--progress-deadline", "60s", "--force", "--smoke-browser", "https://"+browserHost+"/", image)
		return code, out + errOut
	}
	pageOf := func() string {
		d, err := cs.AppsV1().Deployments(ns).Get(context.Background(), "quartermaster", metav1.GetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		return d.Spec.Template.Spec.Containers[0].Env[0].Value
	}

	code, out := deploy(manifests("plain"))
	if code != 0 || !strings.Contains(out, "browser") || !strings.Contains(out, "through the port-forward") || !strings.Contains(out, "rendered without a problem") {
		t.Fatalf("deploy of the app that trusts X-Forwarded-Proto: exit %d\n%s", code, out)
	}
	t.Logf("the first release:\n%s", out)
	code, out = deploy(manifests("js-mixed"))
	if code != 1 || !strings.Contains(out, "the browser check of https://"+browserHost+"/") ||
		!strings.Contains(out, "mixed-content stylesheet http://"+browserHost+":") || !strings.Contains(out, "undone") {
		t.Fatalf("deploy of a page whose script loads a stylesheet over http://: exit %d, want 1, blocked mixed content, undone\n%s", code, out)
	}
	t.Logf("the release with the script:\n%s", out)
	if got := pageOf(); got != "plain" {
		t.Errorf("after the undo the Deployment's pods have PAGE=%s, want the first release's plain", got)
	}
}
