package dockerfile

import (
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF047", Name: "pip-unpinned", Severity: lint.Warning,
			Hadolint:  []string{"DL3013"},
			Summary:   "pip install of packages without versions.",
			Rationale: "An unpinned `pip install flask` installs whatever is newest at build time; a rebuild can break the app.",
			Fix:       "Install from a lock or requirements file (`pip install -r requirements.txt`) or pin: `flask==3.0.3`.",
			Differences: "As in hadolint, a command that installs from -r, -c or . is not judged, and local paths, archives and " +
				"VCS URLs with @ count as pinned. Upgrading the installer itself (`pip install --upgrade pip setuptools wheel`) " +
				"is not flagged; `uv pip`, `pip2` and `pipx install` are judged like pip.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			args, ok := pipInstall(c)
			if !ok && c.Is("pipx") && c.Sub() == "install" {
				args, ok = c.Args[slices.Index(c.Args, "install")+1:], true
			}
			if !ok {
				return
			}
			for _, a := range args {
				switch a {
				case "-r", "--requirement", ".", "-c", "--constraint":
					return // installs from files, which carry their own pins
				}
				if strings.HasPrefix(a, "--requirement=") || strings.HasPrefix(a, "--constraint=") {
					return
				}
			}
			var unpinned []string
			for _, req := range pipRequirements(args) {
				name := strings.ToLower(req)
				if pipPinned(req) || name == "pip" || name == "setuptools" || name == "wheel" {
					continue
				}
				unpinned = append(unpinned, req)
			}
			if len(unpinned) > 0 {
				r.AddCommand(c, "pip install of unpinned packages: %s", strings.Join(unpinned, " "))
			}
		},
	})
}
