package dockerfile

import (
	"regexp"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF069", Name: "package-signature-disabled", Severity: lint.Error,
			Summary: "Package signature checks are turned off (apt --allow-unauthenticated or [trusted=yes], apk --allow-untrusted, " +
				"yum/dnf --nogpgcheck, rpm --nosignature).",
			Rationale:   "Signatures are what stop a compromised mirror or proxy from installing its own packages into the image.",
			Fix:         "Import the repository's signing key (`signed-by=` for apt, `rpm --import` for rpm) and remove the flag.",
			Differences: "No hadolint rule; covers checkov CKV2_DOCKER_7, 8, 9, 10 and 11.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			var flag string
			switch {
			case c.Is("apt-get", "apt") && c.HasArg("--allow-unauthenticated", "--force-yes", "--allow-insecure-repositories"):
				flag = "apt-get --allow-unauthenticated"
			case c.Is("apk") && c.HasArg("--allow-untrusted"):
				flag = "apk --allow-untrusted"
			case rpmManager(c) != "" && c.HasArg("--nogpgcheck", "--no-gpg-checks"):
				flag = c.Name + " --nogpgcheck"
			case c.Is("rpm") && c.HasArg("--nosignature", "--nodigest"):
				flag = "rpm --nosignature"
			}
			if flag != "" {
				r.AddCommand(c, "%s installs packages without checking their signatures", flag)
			}
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword == "RUN" && (strings.Contains(in.Raw, "trusted=yes") || strings.Contains(in.Raw, "AllowUnauthenticated") || strings.Contains(in.Raw, "gpgcheck")) {
				if m := unsignedRepo.FindString(in.Raw); m != "" {
					r.Add(in, "%s turns off signature checks for a repository", m)
				}
			}
		},
	})
}

var unsignedRepo = regexp.MustCompile(`\[trusted=yes\]|AllowUnauthenticated[= ]+"?(true|1)|gpgcheck=0`)
