package docker

import (
	"context"
	"testing"
)

func TestDeploy_BadService(t *testing.T) {
	for _, name := range []string{"", "a b", "a/b"} {
		if _, err := Deploy(context.Background(), nil, Options{Service: name}, nil); err == nil {
			t.Errorf("service %q accepted", name)
		}
	}
}
