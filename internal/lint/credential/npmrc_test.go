package credential

import "testing"

// .npmrc forms that carry a credential but that NpmrcCredential calls
// settings: a registry URL with a password (the same package's
// URLHasPassword knows the shape), and npm's inline client key.
// detect then COPYs the file with the manifests (and does not put it in
// .dockerignore), and DF073 no longer fires on `COPY .npmrc`.
func TestNpmrcCredentialMissedForms(t *testing.T) {
	for _, line := range []string{
		"registry=https://ci-bot:s3cr3tPassw0rd@npm.internal.example.com/",
		"@acme:registry=https://deploy:hunter2@npm.acme.example/",
		`key="-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC...\n-----END PRIVATE KEY-----"`,
		`//npm.acme.example/:key="-----BEGIN PRIVATE KEY-----\nMIIE...\n-----END PRIVATE KEY-----"`,
	} {
		if n, _ := NpmrcCredential([]string{line}); n == 0 {
			t.Errorf("NpmrcCredential(%q) = 0: a credential taken for a setting", line)
		}
	}
}
