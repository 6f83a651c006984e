package dockerfile

import (
	"regexp"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/lint/credential"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF085", Name: "secret-in-run", Severity: lint.Error,
			Summary: "A RUN writes a literal credential: a token, an API key, a password or an Authorization header in the command text.",
			Rationale: "The RUN's text is stored in the image history (`docker history --no-trunc`) and a file it writes (`echo API_KEY=... > .env`) " +
				"is in a layer: anyone who can pull the image has the credential, and deleting it in a later step does not remove it.",
			Fix: "Mount it for the one RUN that needs it: `RUN --mount=type=secret,id=api_key,env=API_KEY ./fetch.sh`, built with " +
				"`--secret id=api_key,env=API_KEY`; write configuration with credentials at run time, not into the image.",
			Differences: "No hadolint rule (DL3064 covers ENV and ARG, which DF072 judges). Flags a value in a known token format (AWS, GitHub, " +
				"GitLab, Slack, Stripe, OpenAI, npm, Google API keys, private keys), NAME=value with a credential name and a literal value, " +
				"Authorization/token headers, `curl -u user:pass` and URLs with a password. Values read from variables (`$TOKEN`, " +
				"`$(cat /run/secrets/x)`) and placeholders (`changeme`, a value that says it is a dummy or fake) are not reported.",
		},
		Instruction: func(r *lint.Report, in *df.Instruction) {
			if in.Keyword != "RUN" {
				return
			}
			if line, what := secretLine(r.File(), in); line > 0 {
				r.AddAt(in, line, 1, "this RUN writes %s into the image history; use RUN --mount=type=secret", what)
				return
			}
			if in.Script == nil {
				return
			}
			for _, c := range in.Script.Commands {
				if what := secretArg(c); what != "" {
					r.AddAt(in, c.Line, c.Column, "%s %s; the command line is stored in the image history, use RUN --mount=type=secret", c.Name, what)
					return
				}
			}
		},
	})
}

var (
	// NAME=value with a literal value: export, prefixes, echo into .env, --password=...
	secretAssign = regexp.MustCompile(`([A-Za-z_][A-Za-z0-9_]*)=["']?([^\s"'$;&|\\)` + "`" + `]+)`)
	// An HTTP header carrying a credential, as curl -H or wget --header write it.
	secretHeader = regexp.MustCompile(`(?i)\b(authorization|proxy-authorization|private-token|x-api-key|api-key|x-auth-token|x-access-token)\s*:\s*(?:(?:bearer|basic|token|apikey)\s+)?([^\s"']+)`)
	placeholder  = regexp.MustCompile(`(?i)^(changeme|change_?me|changeit|secret|password|passwd|example|dummy|test|none|null|nil|true|false|yes|no|on|off|x+|\*+|[0-9])$|^<|^\{|^%|^your|example|placeholder|redacted|dummy|fake`)
	// npm's .npmrc credential keys.
	npmrcSecret = map[string]bool{"_authToken": true, "_auth": true, "_password": true}
)

// secretLine returns the first source line of a RUN (heredoc bodies
// included) that holds a credential in a known format, a credential-named
// assignment or a credential header, with what it is; 0 when none does.
func secretLine(f *df.File, in *df.Instruction) (int, string) {
	for n := in.Line; n <= in.EndLine; n++ {
		text := f.Line(n)
		if strings.HasPrefix(strings.TrimSpace(text), "#") {
			continue
		}
		if n == in.Line {
			text = withoutFlags(text)
		}
		if credential.LooksSecretValue(text) {
			return n, "a value in a known credential format"
		}
		for _, m := range secretAssign.FindAllStringSubmatch(text, -1) {
			if (credential.LooksSecretName(m[1]) || npmrcSecret[m[1]]) && literalSecret(m[2]) {
				return n, m[1] + "=" + mask(m[2])
			}
		}
		if m := secretHeader.FindStringSubmatch(text); m != nil && literalSecret(m[2]) {
			return n, "an " + m[1] + " header"
		}
	}
	return 0, ""
}

// withoutFlags drops `RUN --mount=type=secret,id=api_key,...` so the mount's
// own key=value options are not taken for assignments.
func withoutFlags(line string) string {
	fields := strings.Fields(line)
	for i := 1; i < len(fields); i++ {
		if !strings.HasPrefix(fields[i], "--") {
			return strings.Join(fields[i:], " ")
		}
	}
	return ""
}

// secretArg reports a credential given as an argument: `curl -u user:pass`,
// `wget --password pass`, or a URL with a password.
func secretArg(c *df.Command) string {
	if c.Is("curl") {
		if v, ok := c.OptionValue("--user"); ok && userPassword(v) {
			return "-u passes a literal password"
		}
		for i, a := range c.Args {
			if a == "-u" && i+1 < len(c.Args) && userPassword(c.Args[i+1]) {
				return "-u passes a literal password"
			}
		}
	}
	if c.Is("wget") {
		for _, o := range []string{"--password", "--http-password", "--ftp-password"} {
			if v, ok := c.OptionValue(o); ok && literalSecret(v) {
				return o + " passes a literal password"
			}
		}
	}
	for _, a := range c.Args {
		if credential.URLHasPassword(a) {
			_, rest, _ := strings.Cut(a, "://")
			userinfo, _, _ := strings.Cut(rest, "@")
			_, pass, _ := strings.Cut(userinfo, ":")
			if literalSecret(pass) {
				return "gets a URL with a password"
			}
		}
	}
	return ""
}

func userPassword(v string) bool {
	_, pass, ok := strings.Cut(v, ":")
	return ok && literalSecret(pass)
}

// literalSecret reports whether a value is written out, not read from a
// variable or a command, and is not a placeholder.
func literalSecret(v string) bool {
	v = strings.Trim(v, `"'`)
	return len(v) >= 4 && !strings.ContainsAny(v, "$*") && !strings.HasPrefix(v, ".") && !placeholder.MatchString(v)
}

// mask keeps the start of a credential so the report names it without
// copying it whole.
func mask(v string) string {
	if len(v) <= 4 {
		return "…"
	}
	return v[:4] + "…"
}
