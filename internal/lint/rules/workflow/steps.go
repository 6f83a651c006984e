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
	deployCommand = regexp.MustCompile(`\b(docker[ -]compose\s+.*\bup\b|kubectl\s+(apply|rollout|set\s+image)|helm\s+(upgrade|install)|docker\s+stack\s+deploy|shipshape\s+deploy|kamal\s+deploy|flyctl\s+deploy|ssh\s+.*\b(up|deploy|restart)\b)`)
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
