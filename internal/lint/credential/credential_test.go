package credential

import (
	"strings"
	"testing"
)

// TestLooksSecretName: names seen in real repositories (the init corpus's
// code and example env files), the ones that hold a secret and the ones
// that only say something about one.
func TestLooksSecretName(t *testing.T) {
	for name, want := range map[string]bool{
		"SECRET_KEY":                  true, // Django, fastapi/full-stack-fastapi-template
		"OAUTH2_CLIENT_SECRET":        true, // miniflux
		"ACCESS_SECRET":               true, // Massad/gin-boilerplate
		"AUTH_PASS":                   true, // sosedoff/pgweb
		"DB_PASS":                     true, // Massad/gin-boilerplate
		"MEDIA_PROXY_PRIVATE_KEY":     true, // miniflux
		"JWT_KEY":                     true,
		"APP_KEY":                     true, // Laravel
		"PASSWORD_SALT":               true,
		"SIGN_KEY":                    true, // umputun/secrets: its compose says "important! change it"
		"COOKIE_KEY":                  true,
		"HMAC_KEY":                    true,
		"SIGN_KEY_FILE":               false,
		"ADMIN_PASSWORD_FILE":         false, // miniflux: where the password is
		"ACCESS_TOKEN_EXPIRE_MINUTES": false, // fastapi/full-stack-fastapi-template
		"AUTH_LOGIN_TOKEN_LENGTH":     false, // dhax/go-base
		"JWT_ALGORITHM":               false,
		"JWT_TOKEN_PREFIX":            false, // nsidnev/fastapi-realworld-example-app: "Token", a header's word
		"AUTH_TOKEN_SCHEME":           false,
		"PASS_THROUGH":                false,
		"MYSQL_RANDOM_ROOT_PASSWORD":  false,
		"AWS_ACCESS_KEY":              false,
		"PORT":                        false,
		"PWD":                         false, // the shell's working directory (kenyipp's logger)
		"OLDPWD":                      false,
		"DB_PWD":                      true,
		"MIN_LENGTH_PASSWORD":         false, // Forceu/Gokapi: a rule, not a password
		"MIN_PASSWORD_LENGTH":         false,
		"GOKAPI_MIN_LENGTH_PASSWORD":  false, // with its caarlos0/env prefix
	} {
		if got := LooksSecretName(name); got != want {
			t.Errorf("LooksSecretName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestNpmrcCredential(t *testing.T) {
	for _, c := range []struct {
		file string
		line int
		key  string
	}{
		{"legacy-peer-deps=true\nmin-release-age=14\n", 0, ""}, // uptime-kuma's
		{"shamefully-hoist=true\nstrict-peer-dependencies=false\n", 0, ""},
		{"engine-strict=true\n@acme:registry=https://npm.pkg.github.com\n", 0, ""},
		{"; _authToken=x in a comment\n# _auth=y\nignore-scripts=true\n", 0, ""},
		{"legacy-peer-deps=true\n//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n", 2, "//registry.npmjs.org/:_authToken"},
		{"_auth = dXNlcjpwYXNz\n", 1, "_auth"},
		{"//npm.example.com/:_password=cGFzcw==\n", 1, "//npm.example.com/:_password"},
		{"registry=${REGISTRY_URL}\n", 1, "registry"},
	} {
		line, key := NpmrcCredential(strings.Split(c.file, "\n"))
		if line != c.line || key != c.key {
			t.Errorf("NpmrcCredential(%q) = %d, %q; want %d, %q", c.file, line, key, c.line, c.key)
		}
	}
}
