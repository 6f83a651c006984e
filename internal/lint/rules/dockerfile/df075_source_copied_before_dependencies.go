package dockerfile

import (
	"path"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF075", Name: "source-copied-before-dependencies", Severity: lint.Warning,
			Summary: "Dependencies are installed after the whole source tree is copied in.",
			Rationale: "Any change to any source file invalidates the COPY layer, so every build re-downloads and re-installs every dependency: " +
				"minutes per build instead of seconds.",
			Fix:         "Copy the manifests first, install, then copy the rest: `COPY requirements.txt .`, `RUN pip install -r requirements.txt`, `COPY . .`.",
			Differences: "No hadolint rule.",
		},
		File: func(r *lint.Report, f *df.File) {
			for _, st := range f.Stages {
				var fullCopy *df.Instruction
				manifestFirst := false
				for _, in := range st.Instructions {
					switch in.Keyword {
					case "COPY", "ADD":
						if _, from := in.Flag("from"); from {
							continue
						}
						for _, src := range in.SourcePaths() {
							switch {
							case isContextRoot(src) && fullCopy == nil:
								fullCopy = in
							case dependencyManifest(src):
								manifestFirst = manifestFirst || fullCopy == nil
							}
						}
					case "RUN":
						if fullCopy == nil || manifestFirst || in.Script == nil {
							continue
						}
						for _, c := range in.Script.Commands {
							if installsDependencies(c) {
								r.WithFix(dependencyOrderFix(c)).AddCommand(c, "dependencies are installed after COPY of the whole source (line %d); copy the manifests and install first", fullCopy.Line)
								return
							}
						}
					}
				}
			}
		},
	})
}

var manifests = map[string]bool{
	"requirements.txt": true, "pyproject.toml": true, "poetry.lock": true, "uv.lock": true, "pipfile": true, "pipfile.lock": true, "pdm.lock": true,
	"package.json": true, "package-lock.json": true, "yarn.lock": true, "pnpm-lock.yaml": true, "npm-shrinkwrap.json": true, "bun.lockb": true,
	"go.mod": true, "go.sum": true, "cargo.toml": true, "cargo.lock": true, "gemfile": true, "gemfile.lock": true,
	"composer.json": true, "composer.lock": true, "pom.xml": true, "build.gradle": true, "mix.exs": true, "mix.lock": true,
}

func dependencyManifest(src string) bool {
	base := path.Base(src)
	if manifests[lower(base)] {
		return true
	}
	matched, _ := path.Match("requirements*.txt", base)
	return matched
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

// installsDependencies reports whether a command installs the project's
// dependencies from its manifests.
func installsDependencies(c *df.Command) bool {
	if args, ok := pipInstall(c); ok {
		for _, a := range args {
			if a == "-r" || a == "--requirement" || a == "." {
				return true
			}
		}
		return false
	}
	switch c.Name {
	case "npm":
		return (c.Sub() == "ci" || c.Sub() == "install" || c.Sub() == "i") && len(c.Positional()) == 0
	case "yarn", "pnpm", "bun":
		return c.Sub() == "" || c.Sub() == "install"
	case "go":
		return c.Sub() == "mod" && c.HasArg("download")
	case "bundle", "composer", "poetry", "pipenv":
		return c.Sub() == "install"
	case "uv":
		return c.Sub() == "sync"
	case "cargo":
		return c.Sub() == "fetch"
	}
	return false
}
