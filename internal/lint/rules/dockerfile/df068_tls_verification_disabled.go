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
			ID: "DF068", Name: "tls-verification-disabled", Severity: lint.Error,
			Summary: "TLS certificate checks are turned off (curl -k, wget --no-check-certificate, pip --trusted-host, " +
				"NODE_TLS_REJECT_UNAUTHORIZED=0, GIT_SSL_NO_VERIFY, npm strict-ssl false, PYTHONHTTPSVERIFY=0).",
			Rationale:   "Without certificate checks anyone on the network path can replace what the build downloads, and an ENV keeps the app itself accepting forged certificates at run time.",
			Fix:         "Install the right CA certificates (`ca-certificates`, or COPY your corporate CA and run update-ca-certificates) and remove the flag.",
			Differences: "No hadolint rule; covers checkov CKV2_DOCKER_2, 3, 4, 5, 6, 12, 13, 14 and 16 in one rule, in RUN scripts and in ENV/ARG.",
		},
		Command: func(r *lint.Report, c *df.Command) {
			if why := tlsOff(c); why != "" {
				r.AddCommand(c, "%s turns off TLS verification", why)
			}
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			switch in.Keyword {
			case "ENV", "ARG":
				for _, p := range in.Pairs {
					if insecureEnv(p.Key, p.Value) {
						r.Add(in, "%s=%s turns off TLS verification", p.Key, p.Value)
					}
				}
			case "RUN":
				if !mentionsInsecureVar(in.Raw) {
					return
				}
				if m := insecureAssign.FindString(in.Raw); m != "" {
					r.Add(in, "%s turns off TLS verification", m)
				}
			}
		},
	})
}

var insecureAssign = regexp.MustCompile(`\b(NODE_TLS_REJECT_UNAUTHORIZED=["']?0|GIT_SSL_NO_VERIFY=["']?(1|true)|PYTHONHTTPSVERIFY=["']?0|NPM_CONFIG_STRICT_SSL=["']?false)\b`)

// mentionsInsecureVar is a cheap test before the regexp, which is slow on
// every RUN of every file.
func mentionsInsecureVar(s string) bool {
	return strings.Contains(s, "NODE_TLS_REJECT_UNAUTHORIZED") || strings.Contains(s, "GIT_SSL_NO_VERIFY") ||
		strings.Contains(s, "PYTHONHTTPSVERIFY") || strings.Contains(s, "NPM_CONFIG_STRICT_SSL")
}

func insecureEnv(key, value string) bool {
	v := strings.ToLower(strings.Trim(value, `"'`))
	switch strings.ToUpper(key) {
	case "NODE_TLS_REJECT_UNAUTHORIZED", "PYTHONHTTPSVERIFY":
		return v == "0"
	case "GIT_SSL_NO_VERIFY":
		return v != "" && v != "0" && v != "false"
	case "NPM_CONFIG_STRICT_SSL", "YARN_STRICT_SSL":
		return v == "false" || v == "0"
	case "PIP_TRUSTED_HOST":
		return v != ""
	}
	return false
}

// tlsOff names the flag that disables verification in a command, or "".
func tlsOff(c *df.Command) string {
	switch {
	case c.Is("curl") && c.HasOption([]string{"--insecure"}, "k"):
		return "curl -k"
	case c.Is("wget") && c.HasArg("--no-check-certificate"):
		return "wget --no-check-certificate"
	case c.Is("git"):
		for i, a := range c.Args {
			l := strings.ToLower(a)
			if strings.Contains(l, "http.sslverify=false") || (l == "http.sslverify" && i+1 < len(c.Args) && strings.EqualFold(c.Args[i+1], "false")) {
				return "git http.sslVerify=false"
			}
		}
	case c.Is("npm", "yarn", "pnpm"):
		for i, a := range c.Args {
			if a == "--strict-ssl=false" || (a == "strict-ssl" && i+1 < len(c.Args) && c.Args[i+1] == "false") {
				return c.Name + " strict-ssl false"
			}
		}
	}
	if args, ok := pipArgs(c); ok {
		for _, a := range args {
			if a == "--trusted-host" || strings.HasPrefix(a, "--trusted-host=") {
				return "pip --trusted-host"
			}
		}
	}
	return ""
}
