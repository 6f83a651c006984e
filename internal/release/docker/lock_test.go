package docker

import (
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A lock is stale only when its holder was a process of this boot and
// PID namespace that no longer runs; anything else cannot be judged here.
func TestLockHolder_Gone(t *testing.T) {
	me := currentProcess()
	if me.id == "" {
		t.Skip("no /proc here: locks are only broken by hand")
	}
	ended := exec.Command("true")
	if err := ended.Run(); err != nil {
		t.Fatal(err)
	}
	dead := strconv.Itoa(ended.Process.Pid)
	self := strconv.Itoa(os.Getpid())
	start, err := startTime(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	holding.add("held")
	defer holding.remove("held")
	for _, tc := range []struct {
		name, id string
		gone     bool
	}{
		{"this process, in a deploy under way", strings.Join([]string{me.boot, me.pidNS, self, start}, "/"), false},
		{"a process that ended", strings.Join([]string{me.boot, me.pidNS, dead, "1"}, "/"), true},
		{"its pid reused by another process", strings.Join([]string{me.boot, me.pidNS, self, start + "0"}, "/"), true},
		{"another boot or machine", strings.Join([]string{"another-boot", me.pidNS, dead, "1"}, "/"), false},
		{"another PID namespace (a container)", strings.Join([]string{me.boot, "pid:[1]", dead, "1"}, "/"), false},
		{"a machine without /proc", "", false},
		{"garbage", "a/b/c/d", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := (lockHolder{id: tc.id, container: "held"}).gone(me); got != tc.gone {
				t.Errorf("gone = %v, want %v", got, tc.gone)
			}
		})
	}
}

// The refusal says who holds the lock, since when, and how to break it.
func TestLockedError(t *testing.T) {
	t.Setenv("DOCKER_HOST", "ssh://deploy@shop.example.com:2222")
	since := time.Now().Add(-90 * time.Second).UTC().Format(time.RFC3339)
	err := error(&LockedError{Key: "shop", Holder: "ann@laptop (pid 42)", Since: since, Remove: removeCommand(lockName("shop"))})
	for _, want := range []string{"another deploy of shop is running", "ann@laptop (pid 42) holds its lock since " + since, "1m30s ago",
		"break the lock with: DOCKER_HOST=ssh://deploy@shop.example.com:2222 docker rm -f shipshape-lock-shop"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%s\nwant %q in it", err, want)
		}
	}
	if !errors.Is(err, ErrLocked) {
		t.Error("not ErrLocked")
	}
}

// A lock this process took in a deploy that has ended (it could not remove
// it: the engine had stopped answering) is stale; one it holds is not.
func TestLockHolder_GoneOwnEndedDeploy(t *testing.T) {
	me := currentProcess()
	if me.id == "" {
		t.Skip("no /proc here: locks are only broken by hand")
	}
	holding.add("under-way")
	defer holding.remove("under-way")
	if (lockHolder{id: me.id, container: "under-way"}).gone(me) {
		t.Error("a lock of a deploy under way in this process was taken for stale")
	}
	if !(lockHolder{id: me.id, container: "ended"}).gone(me) {
		t.Error("a lock left by an ended deploy of this process was not taken for stale")
	}
}
