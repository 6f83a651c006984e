package workflow

import (
	"regexp"
	"strings"

	"github.com/rhysd/actionlint"

	wf "github.com/shipshape/shipshape/internal/source/workflow"
)

// What rules know about CI steps.

func builds(s *actionlint.Step) bool {
	uses := wf.Uses(s)
	return strings.HasPrefix(uses, "docker/build-push-action@") || dockerCommand.MatchString(wf.Run(s))
}

func pushes(s *actionlint.Step) bool {
	uses := wf.Uses(s)
	if strings.HasPrefix(uses, "docker/build-push-action@") {
		return wf.Input(s, "push") == "true"
	}
	return dockerPush.MatchString(wf.Run(s))
}

var (
	dockerCommand = regexp.MustCompile(`\b(docker|podman|buildah)\s+(buildx\s+)?(build|push)\b`)
	dockerPush    = regexp.MustCompile(`\b(docker|podman|buildah)\s+(buildx\s+build\s+.*--push|push)\b`)
	deployCommand = regexp.MustCompile(`\b(docker[ -]compose\s+.*\bup\b|kubectl\s+(apply|rollout\s+(restart|undo)|set\s+image)|helm\s+(upgrade|install)|docker\s+stack\s+deploy|shipshape\s+deploy|kamal\s+deploy|flyctl\s+deploy|ssh\s+.*\b(up|deploy|restart)\b)`)
	scanTool      = regexp.MustCompile(`(?i)\b(trivy|grype|snyk|docker\s+scout|anchore|clair|dockle|shipshape\s+verify)\b`)
	httpCheck     = regexp.MustCompile(`\b(curl|wget|http|shipshape\s+smoke)\b[^\n]*`)
	healthPath    = regexp.MustCompile(`/(health|healthz|healthcheck|ready|readyz|livez|ping|status)\b`)
)

func deploys(s *actionlint.Step) bool {
	return deployCommand.MatchString(wf.Run(s)) || strings.Contains(strings.ToLower(wf.Uses(s)), "deploy")
}

func scans(s *actionlint.Step) bool {
	return scanTool.MatchString(wf.Uses(s)) || scanTool.MatchString(wf.Run(s))
}

// smokeRequests returns the HTTP requests a step makes, one per line.
func smokeRequests(s *actionlint.Step) []string {
	return httpCheck.FindAllString(wf.Run(s), -1)
}

// stepsInOrder returns every step of the workflow with its job, by line.
func stepsInOrder(w *wf.Workflow) []*actionlint.Step {
	var out []*actionlint.Step
	for _, j := range w.Jobs() {
		out = append(out, j.Steps...)
	}
	return out
}

// throwaway reports whether step i of job j deploys to a target that lives
// only as long as the job: a Kubernetes cluster an earlier step of the job
// created (kind, k3d, minikube), or the Docker engine of a GitHub-hosted
// runner when nothing points compose at another host.
func throwaway(j *actionlint.Job, i int) bool {
	s := j.Steps[i]
	run := wf.Run(s)
	if kubeCommand.MatchString(run) || strings.Contains(strings.ToLower(wf.Uses(s)), "helm") {
		for _, earlier := range j.Steps[:i] {
			if localCluster.MatchString(wf.Uses(earlier)) || localClusterCommand.MatchString(wf.Run(earlier)) {
				return true
			}
		}
		return false
	}
	return localCompose.MatchString(run) && !remoteEngine.MatchString(run) && !envSetsDockerHost(j, s) && hostedRunner(j)
}

func envSetsDockerHost(j *actionlint.Job, s *actionlint.Step) bool {
	for _, env := range []*actionlint.Env{s.Env, j.Env} {
		if env == nil {
			continue
		}
		for name := range env.Vars {
			if strings.EqualFold(name, "DOCKER_HOST") || strings.EqualFold(name, "DOCKER_CONTEXT") {
				return true
			}
		}
	}
	return false
}

// hostedRunner reports whether a job runs on a machine GitHub creates for
// the job and throws away after it.
func hostedRunner(j *actionlint.Job) bool {
	if j.RunsOn == nil || len(j.RunsOn.Labels) == 0 {
		return false
	}
	for _, l := range j.RunsOn.Labels {
		if !hostedLabel.MatchString(l.Value) {
			return false
		}
	}
	return true
}

var (
	kubeCommand         = regexp.MustCompile(`\b(kubectl|helm|skaffold)\b`)
	localCluster        = regexp.MustCompile(`(?i)(kind-action|setup-kind|k3d-action|setup-k3d|setup-k3s|setup-minikube|minikube-action|microk8s)`)
	localClusterCommand = regexp.MustCompile(`\b(kind\s+create\s+cluster|k3d\s+cluster\s+create|minikube\s+start|ctlptl\s+create\s+cluster)\b`)
	localCompose        = regexp.MustCompile(`\bdocker[ -]compose\s+.*\bup\b`)
	remoteEngine        = regexp.MustCompile(`\b(ssh|DOCKER_HOST|--context|-H\s)`)
	hostedLabel         = regexp.MustCompile(`^(ubuntu|windows|macos)-`)
)
