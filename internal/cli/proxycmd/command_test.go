package proxycmd

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/proxy"
)

func TestCommand_ACMECacheBesideState(t *testing.T) {
	c := New("shipshape proxy", "")
	state := filepath.Join(t.TempDir(), "proxy.json")
	if err := c.Cmd.Flags().Parse([]string{"--acme", "--state", state}); err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.cfg.ACME == nil || c.cfg.ACME.CacheDir != filepath.Join(filepath.Dir(state), "acme") || c.cfg.ACME.Directory != "https://acme-v02.api.letsencrypt.org/directory" {
		t.Errorf("ACME %+v; want Let's Encrypt, the cache beside the state file", c.cfg.ACME)
	}
}

// Mistakes in the command line are exit 2 with a sentence, as in
// shipshape proxy; the word proxy in front is taken, once.
func TestExecute_BadCommandLines(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--no-such-flag"}, "unknown flag: --no-such-flag"},
		{[]string{"proxy", "--tls-key", "k.pem"}, "--tls-cert and --tls-key go together"},
		{[]string{"proxy", "proxy"}, "shipshape-proxy takes no arguments, got proxy"},
		{[]string{"serve"}, "shipshape-proxy takes no arguments, got serve"},
		{[]string{"--token-file", "/nonexistent/token"}, "--token-file: open /nonexistent/token"},
	} {
		var out, errOut bytes.Buffer
		code := Execute(context.Background(), "v", c.args, &out, &errOut)
		if code != 2 || !strings.Contains(errOut.String(), "shipshape: "+c.want) {
			t.Errorf("shipshape-proxy %v: exit %d, stderr %q; want 2 and %q", c.args, code, errOut.String(), c.want)
		}
	}
}

// Run as the proxy's container runs it (the word proxy first), the
// program serves its admin API with the version it was given, saves its
// state, and returns 0 once its context is cancelled, as on SIGTERM.
func TestExecute_ServesAndStopsOnCancel(t *testing.T) {
	dir := t.TempDir()
	sock, state := filepath.Join(dir, "admin.sock"), filepath.Join(dir, "state.json")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var errOut bytes.Buffer
	done := make(chan int, 1)
	go func() {
		done <- Execute(ctx, "v9.9.9-test", []string{"proxy", "--listen", "127.0.0.1:0", "--admin", "unix://" + sock,
			"--state", state, "--access-log=false"}, &bytes.Buffer{}, &errOut)
	}()
	admin := proxy.NewClient(sock)
	deadline := time.Now().Add(10 * time.Second)
	for {
		v, err := admin.Version(ctx)
		if err == nil {
			if v.Version != "v9.9.9-test" || v.PID != os.Getpid() {
				t.Errorf("GET /v1/version: %+v; want v9.9.9-test and this process", v)
			}
			break
		}
		select {
		case code := <-done:
			t.Fatalf("shipshape-proxy ended (exit %d) before it answered: %s", code, errOut.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the admin socket does not answer after 10 s: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if _, err := admin.SetService(ctx, "web", proxy.SetServiceRequest{Routes: []proxy.ServiceRoute{{Host: "shop.test"}}}); err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d after the cancel; want 0\n%s", code, errOut.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("still running 15 s after the cancel")
	}
	data, err := os.ReadFile(state)
	if err != nil || !strings.Contains(string(data), "shop.test") {
		t.Errorf("the state file after the stop: %q, %v; want the route to shop.test", data, err)
	}
}
