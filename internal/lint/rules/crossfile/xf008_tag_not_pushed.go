package crossfile

import (
	"regexp"
	"sort"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/project"
	"github.com/shipshape/shipshape/internal/source/compose"
	"github.com/shipshape/shipshape/internal/source/dockerfile"
	"github.com/shipshape/shipshape/internal/source/workflow"
)

func init() {
	register(&lint.ComposeRule{
		Meta: lint.Meta{
			ID: "XF008", Name: "image-tag-not-pushed", Severity: lint.Warning, Production: lint.Error,
			Summary: "Compose deploys an image tag that the repository's CI never pushes.",
			Rationale: "CI pushes `app:<git sha>` while compose runs `app:latest` (or `app:main`): the deploy runs whatever that tag last " +
				"pointed at, not the commit CI just built and tested.",
			Fix:         "Deploy the tag CI pushes: `image: ghcr.io/acme/app:${GIT_SHA:?}` with GIT_SHA set by the deploy step.",
			Differences: "Compares the services' image repositories with the tags pushed by workflows in .github, .forgejo or .gitea at or above the project.",
		},
		Service: func(r *lint.Report, p *compose.Project, name string, s types.ServiceConfig) {
			raw, ok := p.Raw("services", name, "image")
			if !ok || strings.Contains(raw, "$") {
				return
			}
			img := dockerfile.ParseImage(raw)
			pushed := pushedTags(r.Model(), p.WorkingDir)
			tags, ok := pushed[repoKey(img)]
			if !ok || img.Digest != "" || isPushed(tags, img.Tag) {
				return
			}
			r.AddPos(p.LocateFirst([]string{"services", name, "image"}), "%s deploys %s, a tag CI never pushes (it pushes %s)", name, raw, tagList(tags))
		},
	})
}

// isPushed reports whether CI pushes the tag; a commit-hash tag counts as
// one of the git-SHA tags CI pushes.
func isPushed(tags map[string]bool, tag string) bool {
	return tags[tag] || tags["<git sha>"] && commitHash.MatchString(tag)
}

var commitHash = regexp.MustCompile(`^(sha-)?[0-9a-f]{7,40}$`)

func repoKey(img dockerfile.Image) string {
	return img.Registry + "/" + img.Repository
}

func tagList(tags map[string]bool) string {
	var out []string
	for t := range tags {
		out = append(out, t)
	}
	sort.Strings(out) // map order would change the message from run to run
	return strings.Join(out, ", ")
}

var (
	pushRef  = regexp.MustCompile(`([a-z0-9.-]+(?::\d+)?/[a-z0-9._/-]+):([^\s"',]+)`)
	shaToken = regexp.MustCompile(`\$\{\{\s*github\.sha\s*\}\}|\$\{?GITHUB_SHA\}?|\$\{?CI_COMMIT_SHA\}?`)
)

// pushedTags reads the workflows at or above dir and returns, per image
// repository, the tags they push; a git SHA tag is recorded as "<git sha>".
func pushedTags(m *project.Model, dir string) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, f := range m.WorkflowsAbove(dir) {
		w := m.Workflow(f)
		if w == nil {
			continue
		}
		for _, job := range w.Jobs() {
			for _, step := range job.Steps {
				text := workflow.Input(step, "tags")
				if !strings.Contains(workflow.Uses(step), "build-push-action") || workflow.Input(step, "push") != "true" {
					text = ""
				}
				if run := workflow.Run(step); strings.Contains(run, "push") {
					text += "\n" + run
				}
				for _, ref := range pushRef.FindAllStringSubmatch(shaToken.ReplaceAllString(text, "GITSHA"), -1) {
					key := repoKey(dockerfile.ParseImage(ref[1] + ":x"))
					if out[key] == nil {
						out[key] = map[string]bool{}
					}
					tag := ref[2]
					if strings.Contains(tag, "GITSHA") {
						tag = "<git sha>"
					}
					out[key][tag] = true
				}
			}
		}
	}
	return out
}
