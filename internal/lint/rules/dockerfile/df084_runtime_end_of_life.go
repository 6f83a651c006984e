package dockerfile

import (
	"regexp"
	"strings"
	"time"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/runtimes"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF084", Name: "runtime-end-of-life", Severity: lint.Warning, Production: lint.Error,
			Summary: "FROM uses a Python, Node or Go release that is past its end of life.",
			Rationale: "An end-of-life runtime gets no more security fixes: every flaw found in it from then on stays in the image, " +
				"and libraries drop it one by one, so the upgrade only grows (Node 18 ended 2025-04-30, Python 3.9 2025-10-31).",
			Fix: "Move to a supported release, the ones `shipshape init` pins: Python 3.13 (`python:3.13.15-slim-trixie`), " +
				"Node 24 (`node:24.22.3-bookworm-slim`), the newest Go (`golang:1.27.4-bookworm`); raise the project's declared version with it.",
			Differences: "No hadolint rule. Judged on the day check runs by shipshape's runtime catalog: the official python, node and golang " +
				"images by the version in their tag (node's LTS codenames too) and Google's distroless python3-debianNN and nodejsNN images by the " +
				"release they hold. Go is supported for its two newest releases; Rust is not judged (any stable builds code written for older ones).",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "FROM" || in.Stage == nil {
				return
			}
			img, ok := baseImage(in.Stage)
			if !ok {
				return
			}
			rt, v, ok := imageRuntime(img)
			if !ok {
				return
			}
			c := runtimes.Today()
			rel, ok := c.Line(rt, v)
			if !ok || !c.EOL(rel) {
				return
			}
			def := c.Default(rt).Release
			r.Add(in, "base image %q runs %s %s, past its end of life since %s; move to %s %s (%s, %s)",
				img.Name, rt.Name(), rel.Line, rel.EOL.Format(time.DateOnly), rt.Name(), def.Line, def.Newest, c.Support(def))
		},
	})
}

var (
	tagVersion = regexp.MustCompile(`^v?(\d+(?:\.\d+){0,2})(?:$|[-_])`)
	// Google's distroless images name the release: nodejs22-debian12,
	// python3-debian11 (Debian bullseye's Python 3.9).
	distrolessNode   = regexp.MustCompile(`^nodejs(\d+)(?:-debian\d+)?$`)
	distrolessPython = map[string]string{"python3-debian10": "3.7", "python3-debian11": "3.9", "python3-debian12": "3.11", "python3-debian13": "3.13", "python2.7": "2.7"}
	nodeCodenames    = map[string]string{"argon": "4", "boron": "6", "carbon": "8", "dubnium": "10", "erbium": "12",
		"fermium": "14", "gallium": "16", "hydrogen": "18", "iron": "20", "jod": "22", "krypton": "24"}
	officialRuntimes = map[string]runtimes.Runtime{"python": runtimes.Python, "node": runtimes.Node, "golang": runtimes.Go}
)

// imageRuntime names the runtime release an image holds, when the image
// is one whose tags or names say it: python:3.8-slim is Python 3.8,
// node:hydrogen-alpine Node 18, gcr.io/distroless/nodejs20-debian12 Node
// 20. Images of other publishers (mycorp/node) say nothing shipshape can
// trust.
func imageRuntime(img df.Image) (runtimes.Runtime, string, bool) {
	if img.Registry == "gcr.io" && strings.HasPrefix(img.Repository, "distroless/") {
		name := strings.TrimPrefix(img.Repository, "distroless/")
		if m := distrolessNode.FindStringSubmatch(name); m != nil {
			return runtimes.Node, m[1], true
		}
		if name == "nodejs" && img.Tag != "" { // the old gcr.io/distroless/nodejs:14
			if m := tagVersion.FindStringSubmatch(img.Tag); m != nil {
				return runtimes.Node, m[1], true
			}
		}
		if v, ok := distrolessPython[name]; ok {
			return runtimes.Python, v, true
		}
		return "", "", false
	}
	rt, ok := officialRuntimes[img.Repository]
	if img.Registry != "" || !ok {
		return "", "", false
	}
	tag := strings.ToLower(img.Tag)
	if rt == runtimes.Node {
		if major, ok := nodeCodenames[strings.SplitN(tag, "-", 2)[0]]; ok {
			return rt, major, true
		}
	}
	m := tagVersion.FindStringSubmatch(tag)
	if m == nil {
		return "", "", false
	}
	return rt, m[1], true
}
