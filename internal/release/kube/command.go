package kube

import (
	"fmt"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

// releaseJob makes the release command a pre-deploy Job from the app's
// pod template (the new image, its environment, volumes and service
// account): its first container runs command once, without probes, before
// the rollout; a failure stops the deploy with the running release
// unchanged (runJob).
func releaseJob(app *unstructured.Unstructured, command []string) (*unstructured.Unstructured, error) {
	tmpl, found, err := unstructured.NestedMap(app.Object, "spec", "template")
	if err != nil || !found {
		return nil, fmt.Errorf("%s/%s has no pod template to run the release command in", app.GetKind(), app.GetName())
	}
	spec, _ := tmpl["spec"].(map[string]any)
	containers, _ := spec["containers"].([]any)
	if len(containers) == 0 {
		return nil, fmt.Errorf("%s/%s has no container to run the release command in", app.GetKind(), app.GetName())
	}
	first, _ := containers[0].(map[string]any)
	for _, probe := range []string{"readinessProbe", "livenessProbe", "startupProbe", "lifecycle", "ports"} {
		delete(first, probe)
	}
	args := make([]any, len(command))
	for i, a := range command {
		args[i] = a
	}
	first["command"], first["args"] = args, []any{}
	spec["containers"] = []any{first}
	spec["restartPolicy"] = "Never"
	delete(spec, "initContainers") // they prepare the app's pod, not the command's
	if md, ok := tmpl["metadata"].(map[string]any); ok {
		delete(md, "labels") // the Deployment's selector must not count the Job's pod
	}
	job := &unstructured.Unstructured{Object: map[string]any{
		"apiVersion": "batch/v1",
		"kind":       "Job",
		"metadata": map[string]any{
			"name":        app.GetName() + "-release-command",
			"namespace":   app.GetNamespace(),
			"annotations": map[string]any{AnnotationPhase: "pre-deploy"},
		},
		"spec": map[string]any{"backoffLimit": int64(0), "ttlSecondsAfterFinished": int64(3600), "template": tmpl},
	}}
	return job, nil
}
