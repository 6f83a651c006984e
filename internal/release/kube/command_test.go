package kube

import (
	"encoding/json"
	"reflect"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"sigs.k8s.io/yaml"
)

func TestReleaseJob(t *testing.T) {
	var app unstructured.Unstructured
	if err := yaml.Unmarshal([]byte(`apiVersion: apps/v1
kind: Deployment
metadata: {name: shop, namespace: prod}
spec:
  selector: {matchLabels: {app: shop}}
  template:
    metadata: {labels: {app: shop}}
    spec:
      serviceAccountName: shop
      initContainers: [{name: wait, image: busybox}]
      containers:
        - name: app
          image: shop:v2
          args: [serve]
          envFrom: [{secretRef: {name: shop}}]
          ports: [{containerPort: 8000}]
          readinessProbe: {httpGet: {path: /healthz, port: 8000}}
          volumeMounts: [{name: data, mountPath: /data}]
        - name: sidecar
          image: proxy:1
      volumes: [{name: data, persistentVolumeClaim: {claimName: shop}}]
`), &app.Object); err != nil {
		t.Fatal(err)
	}
	u, err := releaseJob(&app, []string{"alembic", "upgrade", "head"})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(u.Object)
	var job batchv1.Job
	if err := json.Unmarshal(data, &job); err != nil {
		t.Fatal(err)
	}
	if job.Name != "shop-release-command" || job.Annotations[AnnotationPhase] != "pre-deploy" || *job.Spec.BackoffLimit != 0 {
		t.Errorf("job %s, annotations %v", job.Name, job.Annotations)
	}
	pod := job.Spec.Template.Spec
	if len(pod.Containers) != 1 || len(pod.InitContainers) != 0 || pod.RestartPolicy != "Never" || pod.ServiceAccountName != "shop" {
		t.Fatalf("pod spec: %+v", pod)
	}
	c := pod.Containers[0]
	if c.Image != "shop:v2" || !reflect.DeepEqual(c.Command, []string{"alembic", "upgrade", "head"}) || len(c.Args) != 0 ||
		c.ReadinessProbe != nil || len(c.Ports) != 0 || len(c.EnvFrom) != 1 || len(c.VolumeMounts) != 1 {
		t.Errorf("container: %+v", c)
	}
	if len(job.Spec.Template.Labels) != 0 {
		t.Errorf("the job's pod carries the app's labels %v: the Deployment's selector would count it", job.Spec.Template.Labels)
	}
	if probes, _, _ := unstructured.NestedSlice(app.Object, "spec", "template", "spec", "containers"); probes[0].(map[string]any)["readinessProbe"] == nil {
		t.Error("making the job changed the Deployment")
	}
}
