package verify

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func find(name, content string) (Secret, bool) {
	return findSecret(name, int64(len(content)), strings.NewReader(content), make([]byte, secretHead))
}

// TestFindSecret_Fires: one case per kind of secret, as it is usually
// written.
func TestFindSecret_Fires(t *testing.T) {
	upper := strings.ToUpper
	for _, c := range []struct{ name, content, rule, match string }{
		{"app/id_rsa", "anything", "ssh-private-key-file", "file name"},
		{"root/.ssh/id_ed25519", pemKey("OPENSSH PRIVATE KEY"), "ssh-private-key-file", "-----BEGIN OPENSSH PRIVATE KEY-----"},
		{"app/tls/server.key", pemKey("PRIVATE KEY"), "private-key", "-----BEGIN PRIVATE KEY-----"},
		{"app/tls/server.pem", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" + pemKey("EC PRIVATE KEY"), "private-key", "-----BEGIN EC PRIVATE KEY-----"},
		{"app/signing.asc", "-----BEGIN PGP PRIVATE KEY BLOCK-----\nVersion: GnuPG v2\n\nlQOYBF" + randomText(20, 60) + "\n", "private-key", "-----BEGIN PGP PRIVATE KEY BLOCK-----"},
		{"app/legacy.key", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,AB12\n\n" + randomText(21, 64) + "\n", "private-key", "-----BEGIN RSA PRIVATE KEY-----"},
		{"app/service-account.json", `{"type": "service_account", "private_key": "-----BEGIN PRIVATE KEY-----\nMIIEv` + randomText(22, 60) + `\n-----END PRIVATE KEY-----\n"}`, "private-key", "-----BEGIN PRIVATE KEY-----"},
		{"app/settings.py", "KEY = (\n    \"-----BEGIN RSA PRIVATE KEY-----\\n\"\n    \"MIIEow" + randomText(23, 60) + "\"\n)", "private-key", "-----BEGIN RSA PRIVATE KEY-----"},
		{"app/app.env", "PORT=8000\nACCESS_TOKEN_PRIVATE_KEY=" + base64.StdEncoding.EncodeToString([]byte(pemKey("RSA PRIVATE KEY"))) + "\n", "private-key", "base64 of -----BEGIN RSA PRIVATE KEY-----"},
		{"app/.env", "DEBUG=1\nexport DJANGO_SECRET_KEY='" + randomText(24, 40) + "'\n", "env-file", "DJANGO_SECRET_KEY=…"},
		{"app/.env.production", "DATABASE_URL=postgres://app:" + randomText(25, 16) + "@db:5432/app\n", "env-file", "DATABASE_URL=…://…:…@…"},
		{"app/.env.local", "API_KEY=\"" + randomText(26, 32) + "\" # from the dashboard\n", "env-file", "API_KEY=…"},
		{"root/.npmrc", "//registry.npmjs.org/:_authToken=npm_" + randomText(27, 36) + "\n", "npm-credentials", "_authToken=…"},
		{"home/app/.npmrc", "_auth = " + randomText(28, 20) + "\n", "npm-credentials", "_auth=…"},
		{"root/.pypirc", "[pypi]\nusername = __token__\npassword = pypi-" + randomText(29, 50) + "\n", "pypi-credentials", "password=…"},
		{"etc/pip.conf", "[global]\nindex-url = https://ci:" + randomText(30, 16) + "@pypi.corp.internal/simple\n", "pip-credentials", "…://…:…@…"},
		{"root/.netrc", "machine github.com\n  login ci\n  password " + randomText(31, 20) + "\n", "netrc-credentials", "password=…"},
		{"root/.docker/config.json", `{"auths":{"ghcr.io":{"auth":"` + randomText(32, 24) + `"}}}`, "docker-credentials", "auth=…"},
		{"app/deploy.sh", "export AWS_ACCESS_KEY_ID=AKIA" + upper(randomText(33, 16)) + "\nexport AWS_SECRET_ACCESS_KEY=" + awsSecretFor(34) + "\n", "aws-access-key", "AKIA… (and a secret access key)"},
		{"app/creds.json", `{"AccessKeyId": "ASIA` + upper(randomText(35, 16)) + `", "SecretAccessKey": "` + awsSecretFor(36) + `"}`, "aws-access-key", "ASIA… (and a secret access key)"},
		{"app/main.js", "const gh = 'ghp_" + randomText(37, 36) + "';", "github-token", "ghp_… (40 characters)"},
		{"app/ci.yml", "token: github_pat_" + randomText(38, 22) + "_" + randomText(39, 59) + "\n", "github-token", "github_pat_… (93 characters)"},
		{"app/bot.py", "SLACK = 'xoxb-123456789012-1234567890123-" + randomText(40, 24) + "'", "slack-token", "xoxb-… (56 characters)"},
		{"app/pay.rb", "Stripe.api_key = 'sk_live_" + randomText(41, 24) + "'", "stripe-key", "sk_live_… (32 characters)"},
		{"app/maps.go", `const key = "AIza` + randomText(42, 35) + `"`, "google-api-key", "AIza… (39 characters)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s, ok := find(c.name, c.content)
			if !ok || s.Rule != c.rule || s.Match != c.match || s.Path != "/"+c.name {
				t.Errorf("got %+v (hit %v), want rule %s match %q", s, ok, c.rule, c.match)
			}
		})
	}
}

// TestFindSecret_DoesNotFire: what looks like a secret and is not.
func TestFindSecret_DoesNotFire(t *testing.T) {
	for _, c := range []struct{ why, name, content string }{
		{"a public key", "app/id_rsa.pub", "ssh-rsa AAAAB3Nza" + randomText(50, 60)},
		{"an empty key file", "app/id_rsa", ""},
		{"a public key in base64 (viper's app.env)", "app/app.env", "ACCESS_TOKEN_PUBLIC_KEY=" + base64.StdEncoding.EncodeToString([]byte("-----BEGIN PUBLIC KEY-----\nMFwwDQYJ"+randomText(57, 60)+"\n-----END PUBLIC KEY-----\n")) + "\n"},
		{"a certificate", "app/ca.pem", "-----BEGIN CERTIFICATE-----\nMIIB" + randomText(51, 60) + "\n-----END CERTIFICATE-----\n"},
		{"an AWS key ID alone", "app/policy.json", `{"Principal": "AKIA` + strings.ToUpper(randomText(52, 16)) + `", "sha1": "` + strings.Repeat("ab12", 10) + `"}`},
		{"a token prefix inside a longer string", "app/bundle.js", "x=ghp_" + randomText(53, 36) + "a" + " ;yghp_" + randomText(54, 36)},
		{"a short token", "app/a.js", "'ghp_abc'"},
		{"a template .env", "app/.env.example", "SECRET_KEY=" + randomText(55, 40) + "\n"},
		{"a binary", "app/server", "\x7fELF\x00\x00" + pemKey("PRIVATE KEY")},
		{"a Slack token made of words", "app/docs.txt", "xoxb-your-token-here"},
		{"a test Stripe key", "app/pay.js", "sk_test_" + randomText(56, 24)},
		{"a git directory's neighbour", "app/.gitignore", ".env\n"},
		{"a Docker config without auths", "root/.docker/config.json", `{"credsStore": "desktop"}`},
		{"an npmrc token from the environment", "app/.npmrc", "//registry.npmjs.org/:_authToken=${NPM_TOKEN}\n"},
	} {
		t.Run(c.why, func(t *testing.T) {
			if s, ok := find(c.name, c.content); ok {
				t.Errorf("%s: hit %+v", c.name, s)
			}
		})
	}
}

// TestFindSecret_NoFireFixtures: files written the way real projects
// write them (testdata/secrets/nofire), each as the app's own file.
func TestFindSecret_NoFireFixtures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "secrets", "nofire", "*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if s, ok := find("app/"+filepath.Base(f), string(data)); ok {
				t.Errorf("hit %+v", s)
			}
		})
	}
}

// TestFindSecret_LargeFile: content past maxSecretFile is not read; the
// name rules still apply.
func TestFindSecret_LargeFile(t *testing.T) {
	key := pemKey("PRIVATE KEY")
	if _, ok := findSecret("app/big.pem", maxSecretFile+1, strings.NewReader(key), make([]byte, secretHead)); ok {
		t.Error("content of a file over the limit was read")
	}
	if s, ok := findSecret("app/id_rsa", maxSecretFile+1, strings.NewReader(key), make([]byte, secretHead)); !ok || s.Rule != "ssh-private-key-file" {
		t.Errorf("name rule: %+v %v", s, ok)
	}
	// Only the head is read: a key after secretHead bytes is not found.
	late := strings.Repeat("a\n", secretHead/2) + key
	if _, ok := find("app/late.pem", late); ok {
		t.Error("read past the head")
	}
}

func TestUnscanned(t *testing.T) {
	for name, want := range map[string]bool{
		"usr/share/doc/x/key.pem":                          true,
		"usr/lib/ssl/private/x":                            true,
		"usr/local/lib/node_modules/npm/test/fixture.pem":  true,
		"usr/local/lib/python3.11/site-packages/a/tests/k": true,
		"usr/local/lib/python3.11/site-packages/a/k.pem":   false,
		"usr/local/lib/python3.11/test/keycert.pem":        true,
		"app/node_modules/a/README.md":                     true,
		"app/README.md":                                    false,
		"app/tests/key.pem":                                false,
		"app/node_modules/a/lib/test.pem":                  false,
		"go/pkg/mod/x/testdata/k":                          true,
		"app/mod/test/k":                                   false,
		"etc/ssl/private/ssl-cert-snakeoil.key":            false,
		"app/lib/pythonista/tests/k":                       false,
		"opt/venv/lib/python3.12/site-packages/a/doc/k":    true,
		// xilosada/prompt2prod's image: GitHub's sample key in a doc comment.
		"app/node_modules/.pnpm/@octokit+openapi-types@25.1.0/node_modules/@octokit/openapi-types/types.d.ts": true,
		"app/node_modules/a/index.d.mts": true,
		"app/node_modules/a/index.js":    false,
		"app/src/types.d.ts":             false,
	} {
		if got := unscanned(name); got != want {
			t.Errorf("unscanned(%q) = %v, want %v", name, got, want)
		}
	}
}

func FuzzFindSecret(f *testing.F) {
	f.Add("app/.env", []byte("SECRET=abc\nexport TOKEN='x' # c\n"))
	f.Add("app/k.pem", []byte("-----BEGIN RSA PRIVATE KEY-----\n"+strings.Repeat("A", 64)))
	f.Add("app/a.js", []byte("AKIAAAAAAAAAAAAAAAAA ghp_ xoxb- AIza sk_live_ hooks.slack.com/services/"))
	f.Add("root/.npmrc", []byte("_authToken="))
	f.Add("app/app.env", []byte("KEY=LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVktLS0tLQpNSUlCUEFJQkFBSkJB==x\nLS0tLS1CRUdJTi"))
	f.Fuzz(func(t *testing.T, name string, content []byte) {
		s, ok := findSecret(name, int64(len(content)), bytes.NewReader(content), make([]byte, 4096))
		if ok && (s.Rule == "" || s.Match == "") {
			t.Fatalf("hit without rule or match: %+v", s)
		}
	})
}

// louislam/uptime-kuma's image carries node_modules/xmlrpc/tmp/server.key,
// a test key the xmlrpc package publishes: every image of an app that
// depends on it failed verify. A package's own files are public in the
// registry; a build's cache in node_modules, and the app's own files, are
// not.
func TestNpmPackageOf(t *testing.T) {
	for name, want := range map[string]string{
		"app/node_modules/xmlrpc/tmp/server.key":                                        "xmlrpc",
		"app/node_modules/@scope/a/keys/k.pem":                                          "@scope/a",
		"app/node_modules/.pnpm/x@1.0.0/node_modules/x/test.key":                        "x",
		"app/node_modules/.pnpm/@s+y@2.0.0/node_modules/@s/y/k.pem":                     "@s/y",
		"app/node_modules/.cache/babel-loader/1.json":                                   "",
		"app/node_modules/.vite/deps/k.js":                                              "",
		"app/node_modules/@scope":                                                       "",
		"app/node_modules/k.pem":                                                        "",
		"app/server/k.pem":                                                              "",
		"app/packages/api/node_modules/.bin/x":                                          "",
		"usr/local/lib/node_modules/npm/node_modules/node-gyp/test/fixtures/server.key": "node-gyp",
	} {
		if got := npmPackageOf(name); got != want {
			t.Errorf("npmPackageOf(%q) = %q, want %q", name, got, want)
		}
	}
}
