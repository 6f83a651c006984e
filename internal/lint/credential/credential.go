// Package credential recognises credentials by name and by value, for the
// rules of every area that look for secrets written where they leak.
package credential

import (
	"regexp"
	"strings"
)

var (
	// PASS only at the end: DB_PASS, AUTH_PASS (not PASS_THROUGH).
	secretName = regexp.MustCompile(`(?i)(^|_)(PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|SECRET_?KEY|CREDENTIALS?|AUTH_?KEY|CLIENT_SECRET|(?:JWT|SESSION|SIGN|SIGNING|ENCRYPTION|APP|COOKIE|HMAC|MASTER)_?KEY|SALT)($|_)|(^|_)PASS$`)
	// Names that mention a secret but hold something else: where it is,
	// how long it lives, how it is written (fastapi-realworld's
	// JWT_TOKEN_PREFIX, the "Token" before one in a header).
	secretNameNot = regexp.MustCompile(`(?i)_(FILE|PATH|DIR|URL|URI|ENDPOINT|HOST|PORT|LENGTH|LEN|HEADER|NAME|TTL|TIMEOUT|EXPIRY|EXPIRE|EXPIRES|SECONDS|MINUTES|HOURS|DAYS|AGE|ALGORITHM|TYPE|ID|USER|USERNAME|ENABLED|REQUIRED|PREFIX|SCHEME)$`)
	// In the S3 convention the access key is the key's ID (AWS_ACCESS_KEY,
	// MINIO_ACCESS_KEY beside a *_SECRET_KEY); Sysdig's ACCESS_KEY is a secret.
	s3KeyID = regexp.MustCompile(`(?i)(^|_)(AWS|MINIO|S3|R2|B2|SPACES|OSS|COS|OBJECT_STORAGE)_ACCESS_?KEY$`)
	// Switches named after a password: MYSQL_RANDOM_ROOT_PASSWORD=yes asks for one to be generated.
	secretSwitch = regexp.MustCompile(`(?i)(^|_)(RANDOM|ALLOW_EMPTY|GENERATE)_(ROOT_)?(PASSWORD|PASSWD)$`)
	// The shell's working directory (kenyipp's logger reads
	// process.env.PWD || process.cwd()), and a password's rule, not a
	// password (Gokapi's MIN_LENGTH_PASSWORD).
	notSecret   = regexp.MustCompile(`^(?:OLD)?PWD$|(?i)(?:^|_)(?:MIN|MAX)_(?:LENGTH|LEN)_`)
	secretValue = regexp.MustCompile(`AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|glpat-[A-Za-z0-9_-]{20}|xox[baprs]-[A-Za-z0-9-]{10,}|sk_live_[A-Za-z0-9]{16,}|sk-[A-Za-z0-9]{32,}|sk-(?:proj|ant|svcacct)-[A-Za-z0-9_-]{20,}|AIza[0-9A-Za-z_-]{35}|-----BEGIN [A-Z ]*PRIVATE KEY-----|npm_[A-Za-z0-9]{36}`)
)

// LooksSecretName reports whether a variable name suggests a credential.
func LooksSecretName(name string) bool {
	return secretName.MatchString(name) && !secretNameNot.MatchString(name) && !secretSwitch.MatchString(name) && !s3KeyID.MatchString(name) &&
		!notSecret.MatchString(name)
}

// LooksSecretValue reports whether a value has the shape of a known token format.
func LooksSecretValue(v string) bool {
	return secretValue.MatchString(v)
}

// URLHasPassword reports whether a connection URL carries a literal password:
// postgresql://user:secret@db/app.
func URLHasPassword(v string) bool {
	scheme, rest, ok := strings.Cut(v, "://")
	if !ok || scheme == "" {
		return false
	}
	userinfo, _, ok := strings.Cut(rest, "@")
	if !ok {
		return false
	}
	_, pass, ok := strings.Cut(userinfo, ":")
	return ok && pass != "" && !strings.ContainsAny(pass, "/")
}

// npmrcCredential is a line of an .npmrc that holds a registry credential
// (_authToken, _auth, _password, a user name, a client key or
// certificate, inline or by file) or takes a
// value from a variable, which npm refuses to install without where it is
// unset ("Failed to replace env in config").
var npmrcCredential = regexp.MustCompile(`(?i)^\s*(?:[^=\s]*:)?\s*(_authToken|_auth|_password|username|certfile|keyfile|key|cert)\s*=|\$\{`)

// NpmrcCredential returns the first line (1-based) of an .npmrc's lines
// that holds a registry credential, and its key; 0 where none does. Its
// other lines are settings (legacy-peer-deps=true, shamefully-hoist).
func NpmrcCredential(lines []string) (int, string) {
	for i, line := range lines {
		t := strings.TrimSpace(line)
		if t == "" || t[0] == '#' || t[0] == ';' {
			continue
		}
		key, value, _ := strings.Cut(t, "=")
		// A registry's URL with its password in it, too.
		if npmrcCredential.MatchString(t) || URLHasPassword(strings.Trim(strings.TrimSpace(value), `"'`)) {
			return i + 1, strings.TrimSpace(key)
		}
	}
	return 0, ""
}
