package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shipshape/shipshape/internal/engine"
	"github.com/shipshape/shipshape/internal/loadgen"
	"github.com/shipshape/shipshape/internal/release"
	dockerrelease "github.com/shipshape/shipshape/internal/release/docker"
)

// TestDeploy_AddressReuse: shipshape issue 14's defect on the real engine.
// Docker gives a stopped release's address to the next container; the
// proxy kept the connections to the old release under that address, and
// the next release inherited them dead: its switch took seconds, or with
// 40 keep-alive clients it was refused ("did not turn healthy (GET
// /health): context deadline exceeded" under --timeout 10s). Here r1, r2
// and r3 are deployed under 48 keep-alive clients on a network with two
// addresses, so r3 gets r1's. r3's switch must take about as long as r2's
// (a failed probe costs a second: the old defect took 8 s with 16
// clients), and not one request may fail.
func TestDeploy_AddressReuse(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	image := versionedImages(t, dir)
	r1, r2, r3 := image("reuse1", "true"), image("reuse2", "true"), image("reuse3", "true")
	service := "e2e-reuse-" + strings.ReplaceAll(time.Now().Format("150405.000"), ".", "")
	network := twoAddressNetwork(t, service)
	removeReleases(t, service) // registered after the network: removed before it
	addr, sock := startProxy(t, dir)
	c, err := engine.Connect(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	// deploy releases img the way `shipshape deploy --timeout 10s` does and
	// returns how long its switch step took and the address it got.
	deploy := func(img string) (time.Duration, string) {
		t.Helper()
		var took time.Duration
		res, err := dockerrelease.Deploy(ctx, c, dockerrelease.Options{Service: service, Image: img, Network: network,
			Proxy: sock, LockDir: dir, Timeout: 10 * time.Second, Drain: 2 * time.Second, Window: -1},
			func(s release.Step) {
				t.Logf("%s %s %v: %s", img, s.Name, s.Took.Round(time.Millisecond), s.Detail)
				if s.Name == "switch" {
					took = s.Took
				}
			})
		if err != nil {
			t.Fatalf("deploy %s: %v", img, err)
		}
		return took, res.Target
	}

	_, first := deploy(r1)
	stop := keepAliveLoad(t, "http://"+addr+"/", 48)
	took2, _ := deploy(r2) // r1 drains and stops: its address is free
	took3, third := deploy(r3)
	time.Sleep(500 * time.Millisecond) // r3 serves a while
	r := stop()
	t.Logf("r3 at r1's address %s; switch to r2 %v, to r3 %v; traffic: %s; bodies %v; statuses %v",
		third, took2.Round(time.Millisecond), took3.Round(time.Millisecond), r, r.Bodies, r.ByStatus)

	if third != first {
		t.Fatalf("r3 got %s, not r1's %s: no address was reused, the test proves nothing", third, first)
	}
	// Timings on a shared machine are noisy: r3's switch is compared with
	// r2's, under the same load, with room to spare; a failed probe alone
	// costs the probe interval (1 s).
	if limit := 2*time.Second + 3*took2; took3 > limit {
		t.Errorf("the switch to r3 at a reused address took %v, over %v (r2's took %v)", took3, limit, took2)
	}
	if r.Failures != 0 {
		t.Errorf("%d of %d requests failed: %v", r.Failures, r.Requests, r.ByStatus)
	}
	if r.Bodies["reuse1"] == 0 || r.Bodies["reuse2"] == 0 || r.Bodies["reuse3"] == 0 {
		t.Errorf("bodies %v: want reuse1, reuse2 and reuse3 in turn", r.Bodies)
	}
	if body := get(t, "http://"+addr+"/"); body != "reuse3 ok\n" {
		t.Errorf("after the deploys: %q", body)
	}
}

// twoAddressNetwork creates a bridge network named name with two addresses
// for containers (a /30 range inside a /29), removed when the test ends:
// with two releases running, the next one gets the address of the one
// stopped before it.
func twoAddressNetwork(t *testing.T, name string) string {
	t.Helper()
	var err error
	for range 8 {
		// A subnet of its own; another network may hold it already.
		b, c := 200+rand.IntN(50), rand.IntN(256)
		subnet, ipRange := fmt.Sprintf("10.%d.%d.0/29", b, c), fmt.Sprintf("10.%d.%d.4/30", b, c)
		if _, err = try("network", "create", "--driver", "bridge", "--subnet", subnet, "--ip-range", ipRange, name); err == nil {
			t.Cleanup(func() { _, _ = try("network", "rm", name) })
			return name
		}
	}
	t.Fatalf("creating network %s: %v", name, err)
	return ""
}

// keepAliveLoad sends traffic from clients keep-alive clients (bounded in
// time and requests) until the returned stop is called.
func keepAliveLoad(t *testing.T, url string, clients int) (stop func() *loadgen.Result) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan *loadgen.Result, 1)
	go func() {
		r, _ := loadgen.Run(ctx, loadgen.Options{URL: url, Concurrency: clients, Duration: 3 * time.Minute, MaxRequests: 5_000_000})
		done <- r
	}()
	t.Cleanup(cancel)
	time.Sleep(500 * time.Millisecond)
	return func() *loadgen.Result { cancel(); return <-done }
}
