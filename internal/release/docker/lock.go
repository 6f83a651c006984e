package docker

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"strconv"
	"strings"
	"sync"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/engine"
)

// The deploy lock lives on the engine, not on the machine shipshape runs
// on: two laptops deploying to one host over SSH must exclude each other.
// It is a container named shipshape-lock-KEY, created and never started:
// the engine reserves a container name atomically, so of two deploys
// creating it at once exactly one succeeds, on Docker and Podman alike,
// whether the engine is local, over SSH or over TCP. Its labels say who
// holds it and since when.
//
// Stale locks: a deploy that ends, fails or is interrupted (SIGINT,
// SIGTERM) removes its lock. One that is killed outright, or whose machine
// or connection dies, leaves it; so does one whose engine stopped
// answering before it could remove it. A deploy that finds a lock taken on
// its own machine (same boot and PID namespace) by a process that no longer
// runs, or by its own process in a deploy that has ended, removes it and
// says so. A lock from another machine cannot be
// judged from here: the error names the holder, since when, and the
// command that breaks it once you know that deploy is gone.

const (
	// LabelLock marks a deploy lock container, with what it locks (a
	// service, or project-NAME).
	LabelLock       = LabelApp + ".lock"
	labelLockHolder = LabelLock + ".holder"  // user@machine (pid N)
	labelLockSince  = LabelLock + ".since"   // RFC 3339
	labelLockProc   = LabelLock + ".process" // boot ID, PID namespace, pid, start time
)

// lockName is the lock container's name for key.
func lockName(key string) string { return "shipshape-lock-" + key }

// lock takes the deploy lock of key on the engine. The lock container is
// made from image, which the deploy needs on the host anyway (a container
// cannot be created without one). broke says what stale lock it removed
// first, if any.
func lock(ctx context.Context, c *client.Client, key, image string) (unlock func(), broke string, err error) {
	me := currentProcess()
	name := lockName(key)
	for attempt := 0; ; attempt++ {
		created, err := c.ContainerCreate(ctx, client.ContainerCreateOptions{
			Name: name,
			Config: &container.Config{
				Image:      image,
				Entrypoint: []string{"/shipshape-deploy-lock"}, // never started
				Labels: map[string]string{LabelLock: key, labelLockHolder: me.holder,
					labelLockSince: time.Now().UTC().Format(time.RFC3339), labelLockProc: me.id},
			},
			HostConfig: &container.HostConfig{NetworkMode: "none"},
		})
		if err == nil {
			id := created.ID
			holding.add(id)
			return func() {
				holding.remove(id)
				_, _ = c.ContainerRemove(context.WithoutCancel(ctx), id, client.ContainerRemoveOptions{Force: true})
			}, broke, nil
		}
		// Docker answers 409 for a name in use, Podman 500: ask the engine
		// whether the lock exists rather than reading the error.
		held, ierr := c.ContainerInspect(ctx, name, client.ContainerInspectOptions{})
		switch {
		case cerrdefs.IsNotFound(ierr) && cerrdefs.IsNotFound(err):
			return nil, "", fmt.Errorf("image %s: %v (build it first)", image, err)
		case cerrdefs.IsNotFound(ierr) && attempt < 3:
			continue // its holder removed it meanwhile
		case ierr != nil:
			return nil, "", engineGone(err, "taking the deploy lock of "+key, "")
		}
		labels := map[string]string{}
		if held.Container.Config != nil {
			labels = held.Container.Config.Labels
		}
		h := lockHolder{holder: labels[labelLockHolder], id: labels[labelLockProc], since: labels[labelLockSince], container: held.Container.ID}
		if attempt < 3 && h.gone(me) {
			// Removed by ID: a lock taken since by someone else is another
			// container, and stays.
			if _, rerr := c.ContainerRemove(ctx, held.Container.ID, client.ContainerRemoveOptions{Force: true}); rerr == nil || cerrdefs.IsNotFound(rerr) {
				why := "that process no longer runs"
				if h.id == me.id {
					why = "this process took it in a deploy that has ended"
				}
				broke = fmt.Sprintf("removed the deploy lock of %s that %s took %s: %s", key, h.holder, h.age(), why)
				continue
			}
		}
		return nil, "", &LockedError{Key: key, Holder: h.holder, Since: h.since, Remove: removeCommand(name)}
	}
}

// LockedError is a deploy that found another one holding the lock.
type LockedError struct {
	Key, Holder, Since string
	Remove             string // the command that breaks the lock
}

func (e *LockedError) Error() string {
	holder := e.Holder
	if holder == "" {
		holder = "an unknown deploy"
	}
	since := ""
	if t, err := time.Parse(time.RFC3339, e.Since); err == nil {
		since = fmt.Sprintf(" since %s (%s ago)", e.Since, time.Since(t).Truncate(time.Second))
	}
	return fmt.Sprintf("another deploy of %s is running on this host: %s holds its lock%s. Wait for it to end; if that deploy is gone (killed, or its machine or connection lost), break the lock with: %s",
		e.Key, holder, since, e.Remove)
}

// ErrLocked is what a LockedError is, for errors.Is.
var ErrLocked = errors.New("deploy lock held")

func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// removeCommand is the docker command that removes the lock container on
// the engine this deploy uses.
func removeCommand(name string) string {
	cmd := "docker rm -f " + name
	if host, err := engine.Host(); err == nil && host != "" {
		cmd = "DOCKER_HOST=" + host + " " + cmd
	}
	return cmd
}

// lockHolder is what a lock's labels say of the deploy that took it.
type lockHolder struct {
	holder, id, since string
	container         string // the lock's container ID
}

// holding is the lock containers this process's deploys hold now: one of
// its own locks that is not among them was left by a deploy of this
// process that has ended (its engine had stopped answering).
var holding = heldLocks{ids: map[string]bool{}}

type heldLocks struct {
	sync.Mutex
	ids map[string]bool
}

func (l *heldLocks) add(id string)    { l.Lock(); l.ids[id] = true; l.Unlock() }
func (l *heldLocks) remove(id string) { l.Lock(); delete(l.ids, id); l.Unlock() }
func (l *heldLocks) has(id string) bool {
	l.Lock()
	defer l.Unlock()
	return l.ids[id]
}

func (h lockHolder) age() string {
	t, err := time.Parse(time.RFC3339, h.since)
	if err != nil {
		return "at an unknown time"
	}
	return time.Since(t).Round(time.Second).String() + " ago"
}

// gone is true when h was taken by a process of this machine, as seen
// from this process (the same boot, the same PID namespace), that no
// longer runs, or by this process in a deploy that has ended. Anything
// else (another machine, another container, a system without /proc)
// cannot be judged: false.
func (h lockHolder) gone(me process) bool {
	if me.boot == "" {
		return false
	}
	if h.id == me.id {
		return !holding.has(h.container)
	}
	parts := strings.Split(h.id, "/")
	if len(parts) != 4 || parts[0] != me.boot || parts[1] != me.pidNS {
		return false
	}
	pid, err := strconv.Atoi(parts[2])
	if err != nil || pid <= 0 {
		return false
	}
	start, err := startTime(pid)
	if err != nil {
		return os.IsNotExist(err)
	}
	return start != parts[3] // the pid was reused
}

// process identifies the running process across machines: what a lock
// holds to be judged stale later.
type process struct {
	holder      string // user@machine (pid N), for people
	id          string // boot/pidns/pid/start, for gone
	boot, pidNS string
}

func currentProcess() process {
	pid := os.Getpid()
	hostname, _ := os.Hostname()
	name := "someone"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	p := process{holder: fmt.Sprintf("%s@%s (pid %d)", name, hostname, pid)}
	boot, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	ns, nerr := os.Readlink("/proc/self/ns/pid")
	start, serr := startTime(pid)
	if err != nil || nerr != nil || serr != nil {
		return p // the lock can only be broken by hand
	}
	p.boot, p.pidNS = strings.TrimSpace(string(boot)), ns
	p.id = strings.Join([]string{p.boot, p.pidNS, strconv.Itoa(pid), start}, "/")
	return p
}

// startTime is when pid started, in clock ticks after boot (field 22 of
// /proc/PID/stat): with the pid, it names one process of one boot.
func startTime(pid int) (string, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", err
	}
	// The command name (field 2) is in parentheses and may hold spaces.
	i := strings.LastIndexByte(string(data), ')')
	if i < 0 {
		return "", fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	fields := strings.Fields(string(data[i+1:]))
	if len(fields) < 20 {
		return "", fmt.Errorf("/proc/%d/stat: %d fields", pid, len(fields))
	}
	return fields[19], nil // field 22 counted from the state, field 3
}
