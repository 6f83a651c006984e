package credential

import "testing"

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
		"ADMIN_PASSWORD_FILE":         false, // miniflux: where the password is
		"ACCESS_TOKEN_EXPIRE_MINUTES": false, // fastapi/full-stack-fastapi-template
		"AUTH_LOGIN_TOKEN_LENGTH":     false, // dhax/go-base
		"JWT_ALGORITHM":               false,
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
