package dockerfile

import (
	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/lint/baseimage"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF008", Name: "toolchain-in-final-stage", Severity: lint.Warning, Production: lint.Error,
			Summary: "The image that ships contains a compiler toolchain: the final stage is a toolchain image or compiles in a single-stage build.",
			Rationale: "Shipping golang, rust, maven or gcc puts a compiler, the source and build caches in production: " +
				"hundreds of MB, a larger attack surface, and a container that can build exploits in place.",
			Differences: "A single-stage build that removes its build packages in the RUN that compiles (`apk del .build-deps`, " +
				"`apt-get purge -y $buildDeps`) ships no compiler and is not reported.",
			Fix: "Use a multi-stage build: compile in `FROM golang:1.23.4 AS build`, then `COPY --from=build` the binary into a slim or distroless final stage.",
		},
		File: func(r *lint.Report, f *df.File) {
			final := f.FinalStage()
			if final == nil {
				return
			}
			chain := final.Chain()
			if img, ok := baseImage(chain[len(chain)-1]); ok && baseimage.IsToolchain(img) {
				r.Add(final.From, "the final stage is based on the toolchain image %q; compile in a build stage and copy the result out", img.Name)
				return
			}
			if len(f.Stages) > 1 {
				return
			}
			for _, c := range final.Commands() {
				if compiles(c) && !runHas(c, uninstallsPackages) {
					r.AddCommand(c, "`%s` compiles in the only stage, so the toolchain ships with the app; use a multi-stage build", c.Name)
					return
				}
			}
		},
	})
}

func compiles(c *df.Command) bool {
	switch c.Name {
	case "go", "cargo", "dotnet":
		return c.Sub() == "build" || c.Sub() == "publish" || c.Sub() == "install"
	case "mvn", "mvnw", "gradle", "gradlew":
		return true
	case "gcc", "g++", "cc", "clang", "make", "cmake":
		return true
	}
	return false
}

// uninstallsPackages reports whether a command removes installed packages:
// the build dependencies a single-stage build installs, compiles with and
// purges in one RUN (`apk del .build-deps`, `apt-get purge -y $buildDeps`).
func uninstallsPackages(c *df.Command) bool {
	switch {
	case c.Is("apk"):
		return c.Sub() == "del"
	case c.Is("apt-get", "apt"):
		return c.Sub() == "purge" || c.Sub() == "remove" || c.Sub() == "autoremove"
	case c.Is("yum", "dnf", "microdnf", "zypper"):
		return c.Sub() == "remove" || c.Sub() == "erase" || c.Sub() == "autoremove" || c.Sub() == "rm"
	}
	return false
}
