package dockerfile

import (
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF080", Name: "build-packages-in-final-stage", ProductionOnly: true, Production: lint.Warning,
			Summary: "The final image installs build-only packages (compilers, make, -dev headers) and keeps them.",
			Rationale: "Compilers and headers are only needed to build wheels and native modules; shipped, they add size and give " +
				"an attacker a toolchain inside the container (seed 004: \"you're shipping build tools\").",
			Fix: "Build in a separate stage and copy the result (a virtualenv, node_modules, a binary) into the final stage; " +
				"install only the runtime libraries there (libpq5, not libpq-dev).",
			Differences: "A RUN that removes the packages again (`apk del .build-deps`, `apt-get purge`) is accepted.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if !ships(r.File(), c.Instruction) {
				return
			}
			pkgs, ok := installsPackages(c)
			if !ok {
				return
			}
			var build []string
			for _, p := range pkgs {
				if buildPackage(packageName(p)) {
					build = append(build, packageName(p))
				}
			}
			if len(build) == 0 {
				return
			}
			if runHas(c, func(o *df.Command) bool {
				s := o.Sub()
				return o.Is("apt-get", "apt") && (s == "purge" || s == "remove" || s == "autoremove") || o.Is("apk") && s == "del" ||
					rpmManager(o) != "" && (s == "remove" || s == "erase" || s == "autoremove")
			}) {
				return
			}
			r.AddCommand(c, "the final image keeps build-only packages: %s", strings.Join(build, " "))
		},
	})
}

func buildPackage(name string) bool {
	switch name {
	case "build-essential", "build-base", "gcc", "g++", "make", "cmake", "autoconf", "automake", "libtool", "pkg-config", "pkgconf",
		"musl-dev", "linux-headers", "cargo", "rustc", "golang", "gcc-c++", "clang":
		return true
	}
	return strings.HasSuffix(name, "-dev") || strings.HasSuffix(name, "-devel")
}
