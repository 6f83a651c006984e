package dockerfile

import (
	"regexp"
	"strings"
)

// What rules know about credentials.

var (
	secretName = regexp.MustCompile(`(?i)(^|_)(PASSWORD|PASSWD|PWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|SECRET_?KEY|CREDENTIALS?|AUTH_?KEY|CLIENT_SECRET)($|_)`)
	// Names that mention a secret but hold something else: where it is, how long it lives.
	secretNameNot = regexp.MustCompile(`(?i)_(FILE|PATH|DIR|URL|URI|ENDPOINT|HOST|PORT|LENGTH|LEN|HEADER|NAME|TTL|TIMEOUT|EXPIRY|EXPIRE|EXPIRES|TYPE|ID|USER|USERNAME|ENABLED|REQUIRED)$`)
	secretValue   = regexp.MustCompile(`AKIA[0-9A-Z]{16}|ASIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|glpat-[A-Za-z0-9_-]{20}|xox[baprs]-[A-Za-z0-9-]{10,}|sk_live_[A-Za-z0-9]{16,}|sk-[A-Za-z0-9]{32,}|-----BEGIN [A-Z ]*PRIVATE KEY-----|npm_[A-Za-z0-9]{36}`)
)

// looksSecretName reports whether a variable name suggests a credential.
func looksSecretName(name string) bool {
	return secretName.MatchString(name) && !secretNameNot.MatchString(name)
}

// looksSecretValue reports whether a value has the shape of a known token format.
func looksSecretValue(v string) bool {
	return secretValue.MatchString(v)
}

// secretFile reports whether a path names a file that holds credentials.
func secretFile(p string) bool {
	base := strings.ToLower(p)
	if i := strings.LastIndexByte(base, '/'); i >= 0 {
		base = base[i+1:]
	}
	switch {
	case base == ".env" || strings.HasPrefix(base, ".env.") && !exampleSuffix(base):
		return true
	case strings.HasPrefix(base, "id_rsa") || strings.HasPrefix(base, "id_ed25519") || strings.HasPrefix(base, "id_ecdsa") || strings.HasPrefix(base, "id_dsa"):
		return !strings.HasSuffix(base, ".pub")
	case strings.HasSuffix(base, ".pem") || strings.HasSuffix(base, ".key") || strings.HasSuffix(base, ".p12") || strings.HasSuffix(base, ".pfx"):
		return true
	}
	switch base {
	case ".npmrc", ".pypirc", ".netrc", ".git-credentials", "credentials.json", "credentials", ".dockercfg", "config.json.secret", "kubeconfig", ".htpasswd":
		return true
	}
	return false
}

func exampleSuffix(base string) bool {
	for _, s := range []string{".example", ".sample", ".template", ".dist", ".defaults", ".tmpl"} {
		if strings.HasSuffix(base, s) {
			return true
		}
	}
	return false
}
