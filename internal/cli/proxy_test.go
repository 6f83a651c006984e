package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// The automatic TLS flags are refused (exit 2, naming the fix) before
// the proxy listens or asks a CA.
func TestProxy_ACMEFlagsRefused(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--acme-email", "ops@example.com"}, "--acme-email is for automatic TLS: add --acme"},
		{[]string{"--acme-dir", "/tmp/x"}, "--acme-dir is for automatic TLS: add --acme"},
		{[]string{"--acme", "--tls-cert", "c.pem", "--tls-key", "k.pem"}, "leave out --tls-cert"},
		{[]string{"--http-listen", ":80"}, "add --acme or --tls-cert"},
		{[]string{"--acme", "--acme-directory", "http://ca.test/dir"}, "https:// directory URL"},
		{[]string{"--acme", "--https-port", "443"}, "add --http-listen"},
		{[]string{"--acme", "--http-listen", ":80", "--https-port", "70000"}, "want a port"},
	} {
		code, _, stderr := run(t, "", "", append([]string{"proxy"}, c.args...)...)
		if code != 2 || !strings.Contains(stderr, c.want) {
			t.Errorf("proxy %v: exit %d, stderr %q; want 2 and %q", c.args, code, stderr, c.want)
		}
	}
}

func TestProxy_ACMECacheBesideState(t *testing.T) {
	c := newProxyCommand()
	state := filepath.Join(t.TempDir(), "proxy.json")
	if err := c.cmd.Flags().Parse([]string{"--acme", "--state", state}); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.cfg.ACME == nil || c.cfg.ACME.CacheDir != filepath.Join(filepath.Dir(state), "acme") || c.cfg.ACME.Directory != "https://acme-v02.api.letsencrypt.org/directory" {
		t.Errorf("ACME %+v; want Let's Encrypt, the cache beside the state file", c.cfg.ACME)
	}
}
