package docker

import (
	"context"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/proxy"
)

func TestReplicaName(t *testing.T) {
	for n, want := range map[int]string{1: "shop-20261130-1000001", 2: "shop-20261130-1000001-2", 12: "shop-20261130-1000001-12"} {
		if got := replicaName("shop-20261130-1000001", n); got != want {
			t.Errorf("replica %d: %s, want %s", n, got, want)
		}
	}
}

// The release a service serves is all its targets; a proxy of one target
// per release said only Active.
func TestActiveTargets(t *testing.T) {
	multi := proxy.ServiceState{Active: "http://a:80", Targets: []proxy.TargetState{{URL: "http://a:80"}, {URL: "http://b:80"}}}
	if got := activeTargets(multi); !reflect.DeepEqual(got, []string{"http://a:80", "http://b:80"}) {
		t.Errorf("replicas: %v", got)
	}
	if got := activeTargets(proxy.ServiceState{Active: "http://a:80"}); !reflect.DeepEqual(got, []string{"http://a:80"}) {
		t.Errorf("an earlier proxy: %v", got)
	}
	if got := activeTargets(proxy.ServiceState{}); got != nil {
		t.Errorf("nothing served: %v", got)
	}
}

// Replicas and the canary are checked before anything connects; by
// default the balance is least requests, and the replicas as many as
// serve now (0 until the deploy reads the proxy).
func TestOptions_ReplicasAndCanary(t *testing.T) {
	o := Options{Service: "shop"}
	o.defaults()
	if o.Replicas != 0 || o.Balance != proxy.LeastRequests || o.Validate() != nil {
		t.Errorf("defaults: %d replicas, %q", o.Replicas, o.Balance)
	}
	for _, tc := range []struct {
		o    Options
		want string
	}{
		{Options{Service: "shop", Replicas: -1}, "-1 replicas"},
		{Options{Service: "shop", Replicas: proxy.MaxReplicas + 1}, "65 replicas: from 1 to 64"},
		{Options{Service: "shop", Canary: 100, CanaryFor: time.Minute}, "canary share 100%"},
		{Options{Service: "shop", Canary: 10}, "canary time 0s"},
		{Options{Service: "shop", Canary: 10, CanaryFor: 25 * time.Hour}, "at most 24h0m0s"},
	} {
		if err := tc.o.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.o, err, tc.want)
		}
	}
}

// An aborted canary's error says why, with both releases' figures, and
// what serves.
func TestCanaryError_Says(t *testing.T) {
	err := &CanaryError{Release: "shop-2", Serving: "shop-1 keeps serving", Result: proxy.CanaryResult{
		Reason: "error rate 20.00% of 100 requests", Took: proxy.Duration(1234 * time.Millisecond),
		Canary: proxy.Stats{Requests: 100, Errors: 20, P99: proxy.Duration(3 * time.Millisecond)},
		Stable: proxy.Stats{Requests: 900, P99: proxy.Duration(2 * time.Millisecond)}}}
	want := "the canary of shop-2 was aborted after 1.2s: error rate 20.00% of 100 requests (canary: 100 requests, 20.00% failed, p99 3ms; " +
		"stable: 900 requests, 0.00% failed, p99 2ms); removed it, shop-1 keeps serving"
	if err.Error() != want {
		t.Errorf("%s\nwant\n%s", err, want)
	}
}

// compose's deploy.replicas is the release's replica count; without it,
// the default (one).
func TestFromCompose_Replicas(t *testing.T) {
	dir := t.TempDir()
	for text, want := range map[string]int{
		"name: a\nservices:\n  web:\n    image: a:1\n    deploy:\n      replicas: 3\n": 3,
		"name: a\nservices:\n  web:\n    image: a:1\n":                                 0,
	} {
		path := writeCompose(t, filepath.Join(dir, strconv.Itoa(want)), text)
		_, o, err := FromCompose(context.Background(), []string{path}, "web", "")
		if err != nil {
			t.Fatal(err)
		}
		if o.Replicas != want {
			t.Errorf("%q: %d replicas, want %d", text, o.Replicas, want)
		}
	}
}
