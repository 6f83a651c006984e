package docker

import (
	"context"
	"strings"
	"testing"
)

// A second deploy of the same service fails at once and says who holds
// the lock; another service deploys alongside.
func TestLock(t *testing.T) {
	dir := t.TempDir()
	unlock, err := lock(dir, "shop")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock(dir, "shop"); err == nil || !strings.Contains(err.Error(), "another deploy of shop is running (pid ") {
		t.Errorf("second lock: %v", err)
	}
	other, err := lock(dir, "blog")
	if err != nil {
		t.Errorf("another service: %v", err)
	} else {
		other()
	}
	unlock()
	again, err := lock(dir, "shop")
	if err != nil {
		t.Fatalf("after unlock: %v", err)
	}
	again()
}

func TestDeploy_BadService(t *testing.T) {
	for _, name := range []string{"", "a b", "a/b"} {
		if _, err := Deploy(context.Background(), nil, Options{Service: name, LockDir: t.TempDir()}, nil); err == nil {
			t.Errorf("service %q accepted", name)
		}
	}
}
