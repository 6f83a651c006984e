package dockerfile

import (
	"strings"
)

// What rules know about credentials.

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
