package engine

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/moby/moby/client"
)

// What a run makes for itself only (verify's container of the app, the
// databases started beside it and their network, a diagnosis sidecar, a
// probe) it removes when it ends, even on Ctrl-C. A run killed outright
// (SIGKILL, the OOM killer, a CI job's timeout) cannot: its databases
// stay up, holding memory, for good. Each such container and network
// carries LabelRun, which process on which host made it, and the next
// run removes those whose process is gone (Orphans, RemoveOrphans).

// LabelRun is the label of what a run made for itself: RunID's value.
const LabelRun = "dev.shipshape.run"

// bootID is this boot's id ("" where /proc cannot say), read once: every
// run id this process makes or judges compares with it.
var bootID = func() string {
	b, err := os.ReadFile("/proc/sys/kernel/random/boot_id")
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(b))
}()

// RunID names this process: host, boot, pid and the process's start time
// (so a pid the kernel reused is not taken for it). Empty where /proc
// cannot say (not Linux): nothing is labelled or swept there.
var RunID = func() string {
	host, _ := os.Hostname()
	id, ok := processID(os.Getpid())
	if !ok || host == "" || strings.Contains(host, " ") {
		return ""
	}
	return host + " " + id
}()

// RunLabels is labels with LabelRun added (a new map), for what a run
// makes for itself; labels unchanged where RunID is empty.
func RunLabels(labels map[string]string) map[string]string {
	out := make(map[string]string, len(labels)+1)
	for k, v := range labels {
		out[k] = v
	}
	if RunID != "" {
		out[LabelRun] = RunID
	}
	return out
}

// processID is "boot pid start" for a process of this host, read from
// /proc; false if the process does not exist.
func processID(pid int) (string, bool) {
	if bootID == "" {
		return "", false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return "", false
	}
	// The command name, in parentheses, may hold spaces: the fields
	// count from the last ')'. starttime is field 22; after ')' come
	// field 3 (state) onwards.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return "", false
	}
	fields := strings.Fields(string(stat[i+1:]))
	if len(fields) < 20 {
		return "", false
	}
	return bootID + " " + strconv.Itoa(pid) + " " + fields[19], true
}

// orphaned says whether the run id names a process of this host that is
// gone: another boot, or no process with that pid and start time. What
// another host's run made (an engine two machines use) is never its.
func orphaned(id string) bool {
	host, rest, ok := strings.Cut(id, " ")
	if !ok || RunID == "" || !strings.HasPrefix(RunID, host+" ") {
		return false
	}
	f := strings.Fields(rest)
	if len(f) != 3 {
		return false
	}
	if bootID != f[0] {
		return true
	}
	pid, err := strconv.Atoi(f[1])
	if err != nil || pid <= 0 {
		return false
	}
	now, alive := processID(pid)
	return !alive || now != rest
}

// An Orphan is a container or network a killed run left.
type Orphan struct {
	Kind, ID, Name string // Kind: "container" or "network"
	Image          string // a container's
}

func (o Orphan) String() string {
	if o.Image != "" {
		return fmt.Sprintf("%s %s (%s)", o.Kind, o.Name, o.Image)
	}
	return fmt.Sprintf("%s %s", o.Kind, o.Name)
}

// Orphans lists what runs of this host that are gone left on the engine,
// containers first, each kind by name.
func Orphans(ctx context.Context, c *client.Client) ([]Orphan, error) {
	if RunID == "" {
		return nil, nil
	}
	filter := make(client.Filters).Add("label", LabelRun)
	cs, err := c.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: filter})
	if err != nil {
		return nil, err
	}
	var out []Orphan
	for _, ct := range cs.Items {
		if orphaned(ct.Labels[LabelRun]) {
			name := strings.TrimPrefix(firstOr(ct.Names, ct.ID), "/")
			out = append(out, Orphan{Kind: "container", ID: ct.ID, Name: name, Image: ct.Image})
		}
	}
	ns, err := c.NetworkList(ctx, client.NetworkListOptions{Filters: filter})
	if err != nil {
		return nil, err
	}
	var nets []Orphan
	for _, n := range ns.Items {
		if orphaned(n.Labels[LabelRun]) {
			nets = append(nets, Orphan{Kind: "network", ID: n.ID, Name: n.Name})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	sort.Slice(nets, func(i, j int) bool { return nets[i].Name < nets[j].Name })
	return append(out, nets...), nil
}

func firstOr(names []string, id string) string {
	if len(names) > 0 {
		return names[0]
	}
	return id
}

// RemoveOrphans removes what Orphans lists (containers with their
// anonymous volumes, then networks) and returns what it removed; an
// error is the first removal that failed, after trying the rest.
func RemoveOrphans(ctx context.Context, c *client.Client) ([]Orphan, error) {
	list, err := Orphans(ctx, c)
	if err != nil {
		return nil, err
	}
	var removed []Orphan
	var first error
	for _, o := range list {
		if o.Kind == "container" {
			_, err = c.ContainerRemove(ctx, o.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true})
		} else {
			_, err = c.NetworkRemove(ctx, o.ID, client.NetworkRemoveOptions{})
		}
		if err != nil {
			if first == nil {
				first = fmt.Errorf("removing the %s: %v", o, err)
			}
			continue
		}
		removed = append(removed, o)
	}
	return removed, first
}
