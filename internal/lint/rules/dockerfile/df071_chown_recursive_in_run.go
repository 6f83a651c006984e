package dockerfile

import (
	"path"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF071", Name: "chown-recursive-in-run", Severity: lint.Info, Production: lint.Warning,
			Summary: "A RUN changes ownership recursively (`chown -R`) of files an earlier instruction put in the image.",
			Rationale: "chown rewrites every file into a new layer: the files are stored twice and the image grows by their full size " +
				"(seed 004's `chown -R appuser /app`).",
			Fix: "Set ownership while copying: `COPY --chown=10001:10001 . /app`, or chown in the RUN that downloads or unpacks the files. " +
				"Chowning what the same RUN creates (a new directory, a home made by useradd) is fine and not reported.",
			Differences: "No hadolint rule. Only paths the Dockerfile itself filled earlier (COPY, ADD, or a RUN writing there) are judged; " +
				"the base image's own files are not known.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !c.Is("chown") || !c.HasOption([]string{"--recursive"}, "R") || !ships(r.File(), c.Instruction) {
				return
			}
			filled := filledBefore(c.Instruction)
			for _, t := range c.Positional("--reference", "--from") {
				target, ok := c.Instruction.Expand(t)
				if !ok || !path.IsAbs(target) {
					continue
				}
				if by := overlapping(filled, path.Clean(target)); by != nil {
					r.AddCommand(c, "chown -R %s copies the files line %d put there into a new layer; set the owner where they are written (COPY --chown)", t, by.Line)
					return
				}
			}
		},
	})
}

// filledPath is a path an instruction wrote files to.
type filledPath struct {
	Path string
	Line int
}

// filledBefore returns the absolute paths the instructions before in, in its
// stage and the stages it builds on, wrote files to: COPY and ADD
// destinations, and the path arguments of RUN commands that write content
// (tar -C, git clone, wget -O, an installer's --destdir). Commands that only
// make empty entries or change metadata (mkdir, touch, chmod, useradd, ...)
// are left out: chowning those costs nothing.
func filledBefore(in *df.Instruction) []filledPath {
	var out []filledPath
	chain := in.Stage.Chain()
	for i := len(chain) - 1; i >= 0; i-- {
		workdir := "/"
		for _, prev := range chain[i].Instructions {
			if prev == in {
				return out
			}
			switch prev.Keyword {
			case "WORKDIR":
				if len(prev.Args) > 0 {
					dir, _ := prev.Expand(prev.Args[0])
					workdir = path.Join(workdir, dir)
				}
			case "COPY", "ADD":
				dest, ok := prev.Expand(prev.Destination())
				if !ok || dest == "" {
					continue
				}
				if !path.IsAbs(dest) {
					dest = path.Join(workdir, dest)
				}
				out = append(out, filledPath{path.Clean(dest), prev.Line})
			case "RUN":
				if prev.Script == nil {
					continue
				}
				for _, c := range prev.Script.Commands {
					if c.Is(metadataOnly...) || c.Is("install") && c.HasOption([]string{"--directory"}, "d") {
						continue
					}
					for _, a := range c.Args {
						if p, ok := prev.Expand(a); ok && path.IsAbs(p) && !strings.ContainsAny(p, "*?[") {
							out = append(out, filledPath{path.Clean(p), prev.Line})
						}
					}
				}
			}
		}
	}
	return out
}

// metadataOnly are commands that create empty entries, change metadata or
// delete: the files they leave cost nothing to chown again.
var metadataOnly = []string{"mkdir", "touch", "chown", "chmod", "chgrp", "rm", "rmdir", "ln",
	"useradd", "adduser", "groupadd", "addgroup", "usermod", "groupmod", "echo", "printf", "test", "[", "cd", "export"}

// overlapping returns the first filled path at or under target, or above it
// (a directory copied whole holds target's files), or nil. The root
// directory only counts as the target itself: `COPY rootfs/ /` says nothing
// about which directories it fills.
func overlapping(filled []filledPath, target string) *filledPath {
	for i, f := range filled {
		if f.Path == target || strings.HasPrefix(f.Path, strings.TrimSuffix(target, "/")+"/") ||
			f.Path != "/" && strings.HasPrefix(target, f.Path+"/") {
			return &filled[i]
		}
	}
	return nil
}
