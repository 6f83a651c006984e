package verify

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"path"
	"regexp"
	"strings"
)

// A secretRule recognises one kind of secret from a file's path and its
// first bytes. Rules are tried in order and a file reports its first hit
// only: the file has to go either way, and one line per file keeps the
// report readable.
type secretRule struct {
	id, what string
	// file, when set, limits the rule to the files it accepts (the path
	// without its leading slash, and the base name).
	file func(name, base string) bool
	// find returns what matched, redacted (never the secret itself), or ""
	// for no hit.
	find func(head []byte) string
	// byName makes the file's name alone a hit when find has none (the
	// content is binary, too large, or not what find looks for).
	byName bool
}

var secretRules = []secretRule{
	{id: "ssh-private-key-file", what: "SSH private key file", file: baseIn("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk"),
		find: privateKey, byName: true},
	{id: "env-file", what: ".env file with secrets", file: isEnvFile, find: envSecret},
	{id: "npm-credentials", what: "npm registry token (.npmrc)", file: baseIn(".npmrc"),
		find: assignment(regexp.MustCompile(`(?m)^[ \t]*(?:\S*:)?(_authToken|_auth|_password)[ \t]*=[ \t]*(\S+)`))},
	{id: "pypi-credentials", what: "PyPI password (.pypirc)", file: baseIn(".pypirc"),
		find: assignment(regexp.MustCompile(`(?mi)^[ \t]*(password)[ \t]*[:=][ \t]*(\S+)`))},
	{id: "pip-credentials", what: "pip index URL with a password", file: baseIn("pip.conf", "pip.ini"),
		find: urlCredentials},
	{id: "netrc-credentials", what: "netrc password", file: baseIn(".netrc", "_netrc"),
		find: assignment(regexp.MustCompile(`(?m)\b(password)[ \t]+(\S+)`))},
	{id: "docker-credentials", what: "Docker registry credentials", file: isDockerConfig,
		find: assignment(regexp.MustCompile(`"(auth|identitytoken)"\s*:\s*"([^"]{8,})"`))},
	{id: "private-key", what: "private key", find: privateKey},
	{id: "aws-access-key", what: "AWS access key with its secret", find: awsKey},
	{id: "github-token", what: "GitHub token", find: tokens(
		token{"ghp_", `^ghp_[A-Za-z0-9]{36}`}, token{"gho_", `^gho_[A-Za-z0-9]{36}`}, token{"ghu_", `^ghu_[A-Za-z0-9]{36}`},
		token{"ghs_", `^ghs_[A-Za-z0-9]{36}`}, token{"ghr_", `^ghr_[A-Za-z0-9]{36}`}, token{"github_pat_", `^github_pat_[A-Za-z0-9_]{82}`})},
	{id: "slack-token", what: "Slack token or webhook", find: tokens(
		token{"xoxb-", `^xoxb-[0-9]{6,}-[0-9A-Za-z-]{8,}`}, token{"xoxp-", `^xoxp-[0-9]{6,}-[0-9A-Za-z-]{8,}`},
		token{"xoxa-", `^xoxa-[0-9]{1,2}-[0-9A-Za-z-]{8,}`}, token{"xoxr-", `^xoxr-[0-9A-Za-z-]{16,}`},
		token{"hooks.slack.com/services/", `^hooks\.slack\.com/services/T[A-Z0-9]{6,}/B[A-Z0-9]{6,}/[A-Za-z0-9]{16,}`})},
	{id: "stripe-key", what: "Stripe live secret key", find: tokens(
		token{"sk_live_", `^sk_live_[0-9A-Za-z]{24,}`}, token{"rk_live_", `^rk_live_[0-9A-Za-z]{24,}`})},
	{id: "google-api-key", what: "Google API key", find: tokens(token{"AIza", `^AIza[0-9A-Za-z_\-]{35}`})},
}

// gitSecret is the rule for a .git directory, found from the files in it
// rather than from one file; it is a rule like the others in the report.
var gitSecret = secretRule{id: "git-directory", what: "git directory (the repository's history)"}

func baseIn(names ...string) func(string, string) bool {
	return func(_, base string) bool {
		for _, n := range names {
			if base == n {
				return true
			}
		}
		return false
	}
}

func isDockerConfig(name, base string) bool {
	return base == ".dockercfg" || (base == "config.json" && path.Base(path.Dir(name)) == ".docker")
}

// isEnvFile accepts .env and .env.production, not the templates a
// repository documents its variables with.
func isEnvFile(_, base string) bool {
	if base == ".env" {
		return true
	}
	suffix, ok := strings.CutPrefix(base, ".env.")
	if !ok {
		return false
	}
	switch strings.ToLower(suffix) {
	case "example", "sample", "template", "tmpl", "tpl", "dist", "default", "defaults", "schema":
		return false
	}
	return true
}

var (
	envLine = regexp.MustCompile(`(?m)^[ \t]*(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*(.*)$`)
	// secretName is a variable name that says it holds a secret.
	secretName = regexp.MustCompile(`(?i)(secret|passw(or)?d|pwd|token|api_?key|private_?key|access_?key|credential)`)
	// inURL is user:password@ in a URL.
	inURL = regexp.MustCompile(`[a-z][a-z0-9+.-]*://[^/\s:@'"]+:([^/\s@'"]+)@`)
)

// envSecret finds an assignment of a non-placeholder value to a secret
// name, or a URL with a password in it (DATABASE_URL).
func envSecret(head []byte) string {
	for _, m := range envLine.FindAllSubmatch(head, 200) {
		name, value := string(m[1]), unquote(string(m[2]))
		if m := inURL.FindStringSubmatch(value); m != nil && !placeholder(m[1]) {
			return name + "=…://…:…@…"
		}
		if secretName.MatchString(name) && !placeholder(value) {
			return name + "=…"
		}
	}
	return ""
}

// unquote strips quotes and a trailing comment from a .env value.
func unquote(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') {
		if end := strings.IndexByte(v[1:], v[0]); end >= 0 {
			return v[1 : 1+end]
		}
	}
	if i := strings.Index(v, " #"); i >= 0 {
		v = v[:i]
	}
	return strings.TrimSpace(v)
}

// placeholder tells values that are not secrets: empty, a reference to
// another variable, a flag or a number, or words templates use.
func placeholder(v string) bool {
	v = strings.ToLower(strings.TrimSpace(v))
	if v == "" || strings.HasPrefix(v, "$") || strings.HasPrefix(v, "<") || strings.HasPrefix(v, "%(") || strings.HasPrefix(v, "{{") {
		return true
	}
	if strings.Trim(v, "0123456789") == "" || strings.Trim(v, "x*.") == "" {
		return true
	}
	switch v {
	case "true", "false", "yes", "no", "on", "off", "null", "none", "nil", "changeme", "change-me", "change_me",
		"secret", "password", "token", "todo", "tbd", "dummy", "placeholder", "example", "redacted":
		return true
	}
	for _, p := range []string{"your", "changeme", "change-me", "change_me", "replace", "example", "placeholder"} {
		if strings.Contains(v, p) {
			return true
		}
	}
	return false
}

// assignment makes a finder from a pattern whose groups are the key and
// its value; a placeholder value is not a hit.
func assignment(re *regexp.Regexp) func([]byte) string {
	return func(head []byte) string {
		for _, m := range re.FindAllSubmatch(head, 50) {
			if !placeholder(unquote(string(m[2]))) {
				return string(m[1]) + "=…"
			}
		}
		return ""
	}
}

func urlCredentials(head []byte) string {
	for _, m := range inURL.FindAllSubmatch(head, 50) {
		if !placeholder(string(m[1])) {
			return "…://…:…@…"
		}
	}
	return ""
}

var (
	pemHeader = regexp.MustCompile(`^-----BEGIN ((?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----`)
	// pemBody is what follows a real key's header: armour headers
	// (Proc-Type, Version), line breaks (or \n escapes in JSON and source
	// strings), then base64. A source file that names the header as a
	// constant has no body after it.
	pemBody = regexp.MustCompile(`^(?:\s|\\[nr]|["'+,]|[A-Za-z-]+: [^\r\n]*)*[A-Za-z0-9+/]{40}`)
)

// privateKey finds a PEM private key block with a body; the header, which
// says only the kind of key, is what the report shows.
func privateKey(head []byte) string {
	if found := pemPrivateKey(head); found != "" {
		return found
	}
	// A key kept base64-encoded in a variable, as viper's app.env keeps
	// wpcodevo/golang-gorm-postgres's ACCESS_TOKEN_PRIVATE_KEY: base64 of
	// "-----BEGIN" begins "LS0tLS1CRUdJTi".
	found := ""
	eachIndex(head, []byte("LS0tLS1CRUdJTi"), func(at int) bool {
		end := at
		for end < len(head) && end-at < 8192 && isBase64(head[end]) {
			end++
		}
		run := head[at : at+(end-at)/4*4]
		decoded := make([]byte, base64.StdEncoding.DecodedLen(len(run)))
		n, err := base64.StdEncoding.Decode(decoded, run)
		if err != nil && n == 0 {
			return true
		}
		if k := pemPrivateKey(decoded[:n]); k != "" {
			found = "base64 of " + k
			return false
		}
		return true
	})
	return found
}

func isBase64(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '='
}

// pemPrivateKey is a PEM private key's header where head holds one with a body.
func pemPrivateKey(head []byte) string {
	found := ""
	eachIndex(head, []byte("-----BEGIN "), func(at int) bool {
		m := pemHeader.FindSubmatch(head[at:min(len(head), at+64)])
		if m == nil {
			return true
		}
		rest := head[at+len(m[0]) : min(len(head), at+len(m[0])+512)]
		if pemBody.Match(rest) {
			found = string(m[0])
			return false
		}
		return true
	})
	return found
}

var (
	awsKeyID = regexp.MustCompile(`^(?:AKIA|ASIA)[A-Z0-9]{16}`)
	// awsSecret is 40 characters of base64 without padding.
	awsSecret = regexp.MustCompile(`[A-Za-z0-9/+]{40,}`)
)

// awsKey finds an access key ID with a secret access key nearby: an ID
// alone (in documentation, in an IAM policy) is not usable, and AWS's own
// documented example pair is not a secret.
func awsKey(head []byte) string {
	found := ""
	for _, prefix := range []string{"AKIA", "ASIA"} {
		eachIndex(head, []byte(prefix), func(at int) bool {
			id := awsKeyID.Find(head[at:min(len(head), at+20)])
			if id == nil || !tokenBoundary(head, at, len(id)) || bytes.Contains(id, []byte("EXAMPLE")) {
				return true
			}
			window := head[max(0, at-1024):min(len(head), at+1024)]
			for _, s := range awsSecret.FindAll(window, 20) {
				if len(s) == 40 && mixedCase(s) && random(s) && !bytes.Contains(s, []byte("EXAMPLE")) {
					found = prefix + "… (and a secret access key)"
					return false
				}
			}
			return true
		})
		if found != "" {
			break
		}
	}
	return found
}

// mixedCase tells random base64 from words and hex digests.
func mixedCase(s []byte) bool {
	var upper, lower bool
	for _, c := range s {
		upper = upper || ('A' <= c && c <= 'Z')
		lower = lower || ('a' <= c && c <= 'z')
	}
	return upper && lower
}

// random tells a generated credential from a placeholder (ghp_xxxx…,
// xoxb-0000…): real ones use many distinct characters.
func random(s []byte) bool {
	var seen [256]bool
	n := 0
	for _, c := range s {
		if !seen[c] {
			seen[c] = true
			n++
		}
	}
	return n >= 10
}

// token is a credential with a well-known prefix.
type token struct {
	prefix, pattern string
}

func tokens(ts ...token) func([]byte) string {
	type compiled struct {
		prefix []byte
		re     *regexp.Regexp
	}
	var cs []compiled
	for _, t := range ts {
		cs = append(cs, compiled{[]byte(t.prefix), regexp.MustCompile(t.pattern)})
	}
	return func(head []byte) string {
		found := ""
		for _, c := range cs {
			eachIndex(head, c.prefix, func(at int) bool {
				m := c.re.Find(head[at:min(len(head), at+256)])
				if m != nil && tokenBoundary(head, at, len(m)) && random(m[len(c.prefix):]) {
					found = fmt.Sprintf("%s… (%d characters)", c.prefix, len(m))
					return false
				}
				return true
			})
			if found != "" {
				return found
			}
		}
		return ""
	}
}

// tokenBoundary tells a token from the middle of a longer string (base64
// data, a hash) that happens to contain its prefix.
func tokenBoundary(head []byte, at, n int) bool {
	word := func(c byte) bool {
		return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	if at > 0 && word(head[at-1]) {
		return false
	}
	return at+n >= len(head) || !word(head[at+n])
}

// maxOccurrences bounds the work on a file full of one keyword.
const maxOccurrences = 64

// eachIndex calls fn at each occurrence of sep in s, until fn returns
// false or maxOccurrences were tried.
func eachIndex(s, sep []byte, fn func(at int) bool) {
	from := 0
	for n := 0; n < maxOccurrences; n++ {
		i := bytes.Index(s[from:], sep)
		if i < 0 || !fn(from+i) {
			return
		}
		from += i + len(sep)
	}
}

// isBinary tells files whose content rules would be noise: a NUL byte in
// the first 8,000 bytes, git's test.
func isBinary(head []byte) bool {
	return bytes.IndexByte(head[:min(len(head), 8000)], 0) >= 0
}

// packageTrees are the directories installed packages live in: a test or
// example directory inside one holds the package's fixtures (test keys,
// sample tokens), and its documents show sample keys (http-signature's
// http_signing.md in node_modules has an RSA key): not the app's secrets.
// Go's module cache is pkg/mod, Python's standard library lib/python3.x
// (its test suite carries keys).
var (
	packageTrees = []string{"site-packages", "dist-packages", "node_modules", "vendor", "gems", "pkg/mod", "lib/python2.*", "lib/python3.*"}
	fixtureDirs  = []string{"test", "tests", "testing", "testdata", "__tests__", "spec", "specs", "fixture", "fixtures",
		"example", "examples", "demo", "docs", "doc"}
	docExtensions = []string{".md", ".markdown", ".rst", ".adoc", ".txt", ".html"}
	// systemTrees are written by the distribution's packages and the
	// language toolchains, never by the app: documentation and examples
	// (/usr/share/doc), headers, system libraries, Go's own sources and
	// their test data.
	systemTrees = []string{"usr/share/", "usr/include/", "usr/lib/", "usr/local/go/"}
)

// unscanned tells paths verify does not look into: systemTrees, and the
// fixtures and documents of packageTrees. The app's own tests and
// examples are scanned: if they are in the image, so are their keys.
func unscanned(name string) bool {
	for _, t := range systemTrees {
		if strings.HasPrefix(name, t) {
			return true
		}
	}
	parts := strings.Split(name, "/")
	inTree := false
	for i, dir := range parts[:len(parts)-1] {
		if inTree && in(dir, fixtureDirs) {
			return true
		}
		inTree = inTree || isPackageTree(parts[:i+1])
	}
	return inTree && (in(path.Ext(name), docExtensions) || declaration(name))
}

// declaration reports whether a file is TypeScript's declarations, which
// describe a package's types to the compiler and never run: their doc
// comments' examples are documentation (@octokit/openapi-types 25.1.0's
// types.d.ts carries GitHub's sample RSA key as an @example).
func declaration(name string) bool {
	return strings.HasSuffix(name, ".d.ts") || strings.HasSuffix(name, ".d.mts") || strings.HasSuffix(name, ".d.cts")
}

// isPackageTree tells whether the directory made of parts ends in one of
// packageTrees (path.Match, component by component).
func isPackageTree(parts []string) bool {
	for _, t := range packageTrees {
		want := strings.Split(t, "/")
		if len(parts) < len(want) {
			continue
		}
		got, match := parts[len(parts)-len(want):], true
		for k := range want {
			ok, _ := path.Match(want[k], got[k])
			match = match && ok
		}
		if match {
			return true
		}
	}
	return false
}

func in(s string, list []string) bool {
	for _, l := range list {
		if s == l {
			return true
		}
	}
	return false
}

// npmPackageOf is the npm package whose installed files hold name
// ("xmlrpc" for app/node_modules/xmlrpc/tmp/server.key, a test key
// xmlrpc 1.3.2 publishes, which uptime-kuma's image carries; "@scope/a",
// pnpm's store too), "" where name is no such file: the app's own, or a
// build's cache in node_modules (.cache, .vite), which can hold what the
// build was given. Such a file is public in the registry, whatever it
// holds: reported, not failed.
func npmPackageOf(name string) string {
	parts := strings.Split(name, "/")
	last := -1
	for i, p := range parts[:len(parts)-1] {
		if p == "node_modules" {
			last = i
		}
	}
	if last < 0 || last+2 >= len(parts) || strings.HasPrefix(parts[last+1], ".") {
		return ""
	}
	if strings.HasPrefix(parts[last+1], "@") {
		if last+3 >= len(parts) {
			return ""
		}
		return parts[last+1] + "/" + parts[last+2]
	}
	return parts[last+1]
}

// knownKeys are secrets verify reports without failing, with the reason.
var knownKeys = map[string]string{
	// Debian's ssl-cert package generates this self-signed key when it is
	// installed (postgresql pulls it in): no client trusts its
	// certificate, but every container of the image shares it.
	"etc/ssl/private/ssl-cert-snakeoil.key": "Debian's ssl-cert snakeoil key, self-signed and generated at install; delete it in the RUN that installs ssl-cert if nothing serves TLS with it",
}
