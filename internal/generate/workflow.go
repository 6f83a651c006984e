package generate

import (
	"fmt"
	"strings"
)

// Pinned actions: full commit SHAs, the tag in a comment.
const (
	actionCheckout = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2"
	actionTrivy    = "aquasecurity/trivy-action@18f2510ee396bbf400402947b394f2dd8c87dbb0 # 0.29.0"
)

// testCommand runs the project's tests inside its pinned builder image, so
// CI tests with the toolchain the image is built with.
func testCommand(p *Plan) string {
	switch p.Stack.Language {
	case "go":
		return fmt.Sprintf(`docker run --rm -v "$PWD:/src" -w /src %s go test ./...`, goBuilder(p.Stack))
	case "python":
		req := "true"
		if p.Stack.PackageManager != nil && p.Stack.PackageManager.File == "requirements.txt" {
			req = "pip install -r requirements.txt"
		} else if p.Stack.PackageManager != nil && p.Stack.PackageManager.File == "pyproject.toml" {
			req = "pip install ."
		}
		run := "python3 -m unittest discover -v"
		if p.Stack.Tests != nil && p.Stack.Tests.Value == "pytest" {
			run = "pip install pytest && python3 -m pytest -q"
		}
		return fmt.Sprintf(`docker run --rm -v "$PWD:/src" -w /src %s sh -c "python3 -m venv /tmp/venv && . /tmp/venv/bin/activate && %s && %s"`, pythonImage(p.Stack), req, run)
	case "node":
		install, test := "npm ci --no-audit --no-fund", "npm test"
		switch pm := p.packageManager(); {
		case pm == "pnpm":
			install, test = "corepack enable && pnpm install --frozen-lockfile", "pnpm test"
		case pm == "yarn":
			install, test = "corepack enable && yarn install --frozen-lockfile", "yarn test"
		case p.Stack.PackageManager != nil && p.Stack.PackageManager.File == "package.json":
			install = "npm install --no-audit --no-fund"
		}
		if p.Stack.Tests == nil {
			test = "echo 'no test script in package.json'"
		}
		return fmt.Sprintf(`docker run --rm -v "$PWD:/src" -w /src %s sh -c "%s && %s"`, nodeImage(p.Stack), install, test)
	default:
		return fmt.Sprintf(`docker run --rm -v "$PWD:/src" -w /src %s cargo test --locked`, rustBuilder(p.Stack))
	}
}

// branch is the branch a push to which releases: the repository's
// default branch.
func (s *Set) branch() string {
	if s.Branch == "" {
		return "main"
	}
	return s.Branch
}

// ciImage is the registry image CI pushes a service to: --image when it
// names a registry, else ghcr.io/OWNER/REPO (one service) or
// ghcr.io/OWNER/REPO/SERVICE.
func ciImage(set *Set, svc Service) string {
	if strings.Contains(svc.Plan.Image, "/") {
		return svc.Plan.Image
	}
	if len(set.Services) == 1 {
		return "ghcr.io/${{ github.repository }}"
	}
	return "ghcr.io/${{ github.repository }}/" + svc.Name
}

// Workflow writes .github/workflows/container.yml: per service test,
// build, scan and push with the git SHA tag; then deploy, and a smoke test
// that loads a page, not only the health route.
func Workflow(set *Set) File {
	var steps, deploy, rollouts, jobsGone, jobsDone strings.Builder
	multi := len(set.Services) > 1
	for _, svc := range set.Services {
		p := svc.Plan
		image := ciImage(set, svc)
		label, wd := "", ""
		if multi {
			label = " " + svc.Name
			wd = "        working-directory: " + svc.Dir + "\n"
		}
		fmt.Fprintf(&steps, `      - name: test%[1]s
%[2]s        run: %[3]s
      - name: build%[1]s
%[2]s        run: >-
          DOCKER_BUILDKIT=1 docker build
          --build-arg GIT_SHA="${GITHUB_SHA}"
          --build-arg VERSION="${GITHUB_REF_NAME}"
          -t "%[4]s:${GITHUB_SHA}" .
      - name: scan%[1]s
        uses: %[5]s
        with:
          image-ref: %[4]s:${{ github.sha }}
          exit-code: "1"
          severity: CRITICAL,HIGH
          ignore-unfixed: true
      - name: push%[1]s
        if: github.event_name == 'push'
        run: docker push "%[4]s:${GITHUB_SHA}"
`, label, wd, testCommand(p), image, actionTrivy)
		if !set.Helm {
			fmt.Fprintf(&deploy, "      - working-directory: deploy/k8s/overlays/production\n        run: kustomize edit set image \"%s=%s:${GITHUB_SHA}\"\n", p.Image, image)
			fmt.Fprintf(&rollouts, "      - run: kubectl -n %s rollout status deployment/%s --timeout=5m\n", set.Name, set.kubeName(svc))
			if MigrateCommand(p) != nil {
				// A Job's template is immutable: the last release's goes
				// first; the new one must complete before the rollout counts.
				fmt.Fprintf(&jobsGone, "      - run: kubectl -n %s delete job/%s-migrate --ignore-not-found --wait=true\n", set.Name, set.kubeName(svc))
				fmt.Fprintf(&jobsDone, "      - run: kubectl -n %s wait --for=condition=complete job/%s-migrate --timeout=10m\n", set.Name, set.kubeName(svc))
			}
		}
	}
	var deploySteps string
	if set.Helm {
		p := set.Services[0].Plan
		deploySteps = fmt.Sprintf(`      - run: helm upgrade --install %s deploy/helm/%s --namespace %s --create-namespace --set image.repository=%s --set image.tag="${GITHUB_SHA}" --wait --atomic --timeout 5m`,
			p.Name, p.Name, p.Name, ciImage(set, set.Services[0]))
	} else {
		deploySteps = deploy.String() + jobsGone.String() + "      - run: kubectl apply -k deploy/k8s/overlays/production\n" +
			jobsDone.String() + strings.TrimRight(rollouts.String(), "\n")
	}
	content := fmt.Sprintf(`# Generated by shipshape init.
name: container
on:
  push:
    branches: [%s]
  pull_request:
permissions:
  contents: read
concurrency:
  group: container-${{ github.ref }}
  cancel-in-progress: false
jobs:
  image:
    runs-on: ubuntu-24.04
    timeout-minutes: 30
    permissions:
      contents: read
      packages: write
    steps:
      - uses: %s
      - name: log in to the registry
        if: github.event_name == 'push'
        env:
          REGISTRY_TOKEN: ${{ secrets.GITHUB_TOKEN }}
        run: printf '%%s' "$REGISTRY_TOKEN" | docker login ghcr.io -u "${GITHUB_ACTOR}" --password-stdin
%s  deploy:
    needs: image
    if: github.event_name == 'push'
    runs-on: ubuntu-24.04
    timeout-minutes: 15
    environment: production
    steps:
      - uses: %s
%s
      - name: smoke
        env:
          APP_URL: ${{ vars.APP_URL }}
        run: |
          curl -fsS --retry 10 --retry-delay 3 --retry-all-errors "${APP_URL}%s" >/dev/null
          curl -fsS "${APP_URL}/" -o page.html
          test -s page.html
`, set.branch(), actionCheckout, steps.String(), actionCheckout, deploySteps, set.Services[0].Plan.HealthPath)
	return File{Path: ".github/workflows/container.yml", Content: content}
}
