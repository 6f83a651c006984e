package engine

import (
	"archive/tar"
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/client"
)

// A directory mounted into a container that runs as a non-root user keeps
// its own owner: a host directory its host owner, a volume whoever had it
// first. When that owner is not the container's user and the mode does
// not let others write, the app fails on its first write (seed 000's
// StarPunk on Podman: sqlite3's "unable to open database file"). The
// check below reads the owner as the container will see it, before the
// container runs.

// ErrOwnerUnknown: the owner of a mount could not be read here (a remote
// Podman, a volume driver's path); the mount was not judged.
var ErrOwnerUnknown = errors.New("the owner of a mount cannot be read")

// User is whom a container's processes run as.
type User struct {
	Spec   string // the image's USER (or the override) as written
	UID    int
	GID    int
	Groups []int // supplementary groups, from /etc/group
}

// Owner is a mounted directory's owner and permission bits, as the
// container sees them.
type Owner struct {
	UID, GID int
	Mode     fs.FileMode
}

// CanWrite says whether u may create files in a directory owned by o:
// write and search permission for the class u falls in, the owner's, the
// group's (primary or supplementary) or the others'. Root may always.
func (u User) CanWrite(o Owner) bool {
	if u.UID == 0 {
		return true
	}
	perm := o.Mode.Perm()
	switch {
	case u.UID == o.UID:
		return perm&0o300 == 0o300
	case u.inGroup(o.GID):
		return perm&0o030 == 0o030
	default:
		return perm&0o003 == 0o003
	}
}

func (u User) inGroup(gid int) bool {
	if u.GID == gid {
		return true
	}
	for _, g := range u.Groups {
		if g == gid {
			return true
		}
	}
	return false
}

// MountProblem is a writable mount the container's user cannot write.
type MountProblem struct {
	Target   string // where it is mounted in the container
	Source   string // the host directory, or the volume's name
	Volume   bool   // Source names a volume
	HostPath string // the directory on the engine's host (a volume's mount point)
	Owner    Owner
	User     User
}

func (p MountProblem) Error() string {
	what := "the host directory " + p.Source
	if p.Volume {
		what = "the volume " + p.Source
		if p.HostPath != "" {
			what += " (" + p.HostPath + " on the engine's host)"
		}
	}
	path := p.HostPath
	if path == "" {
		path = p.Source
	}
	ids := fmt.Sprintf("%d:%d", p.User.UID, p.User.GID)
	return fmt.Sprintf("%s is %s, owned by %d:%d with mode %04o, but the container runs as uid %d (USER %s) and cannot write there "+
		"(SQLite says \"unable to open database file\"): on Docker or rootful Podman, chown %s %s; "+
		"on rootless Podman, podman unshare chown %s %s, or run with --userns=keep-id:uid=%d,gid=%d so your own files are the app's; "+
		"or mount it read-only if the app only reads it",
		p.Target, what, p.Owner.UID, p.Owner.GID, p.Owner.Mode.Perm(), p.User.UID, p.User.Spec,
		ids, path, ids, path, p.User.UID, p.User.GID)
}

// CheckMounts reads, before image runs, who owns each writable bind mount
// and named volume of mounts as a container of image will see them, and
// returns those its user (user, else the image's USER) cannot write. The
// mounts are prepared as for the real container: a probe container of
// the image with the same mounts is created (Docker copies the image's
// directory into a new volume then) and, on Podman, initialised (when it
// hands a new volume to the container's user), never started, and
// removed. An error wrapping ErrOwnerUnknown means a mount could not be
// judged; the problems found until then are returned with it.
func CheckMounts(ctx context.Context, c *client.Client, image, user string, mounts []mount.Mount) ([]MountProblem, error) {
	var writable []mount.Mount
	for _, m := range mounts {
		if (m.Type == mount.TypeBind || m.Type == mount.TypeVolume) && !m.ReadOnly && m.Source != "" {
			writable = append(writable, m)
		}
	}
	if len(writable) == 0 {
		return nil, nil
	}
	created, err := c.ContainerCreate(ctx, client.ContainerCreateOptions{
		// The image's own command: runc checks it exists when Podman
		// initialises the container, which never runs it.
		Config:     &container.Config{Image: image, User: user, Labels: RunLabels(map[string]string{"dev.shipshape.probe": "mount-owners"})},
		HostConfig: &container.HostConfig{Mounts: writable, NetworkMode: "none"},
	})
	if err != nil {
		return nil, fmt.Errorf("creating a probe container of %s with its mounts: %w", image, err)
	}
	defer func() {
		_, _ = c.ContainerRemove(context.WithoutCancel(ctx), created.ID, client.ContainerRemoveOptions{Force: true})
	}()
	u, err := ResolveUser(ctx, c, created.ID, user, image)
	if err != nil {
		return nil, err
	}
	if u.UID == 0 {
		return nil, nil
	}
	podman := IsPodman(ctx, c)
	var owners func(m mount.Mount) (Owner, string, error)
	if podman {
		owners, err = podmanOwners(ctx, c, created.ID)
	} else {
		owners = func(m mount.Mount) (Owner, string, error) { return dockerOwner(ctx, c, created.ID, m) }
	}
	if err != nil {
		return nil, err
	}
	var problems []MountProblem
	var unknown []error
	for _, m := range writable {
		o, hostPath, err := owners(m)
		if errors.Is(err, ErrOwnerUnknown) {
			unknown = append(unknown, err)
			continue
		}
		if err != nil {
			return problems, err
		}
		if !u.CanWrite(o) {
			problems = append(problems, MountProblem{Target: m.Target, Source: m.Source, Volume: m.Type == mount.TypeVolume, HostPath: hostPath, Owner: o, User: u})
		}
	}
	return problems, errors.Join(unknown...)
}

// dockerOwner reads the owner of the mount's target from Docker's archive
// of the probe container: its first entry is the directory itself, with
// the owner the container sees (a user namespace's mapping applied).
func dockerOwner(ctx context.Context, c *client.Client, id string, m mount.Mount) (Owner, string, error) {
	res, err := c.CopyFromContainer(ctx, id, client.CopyFromContainerOptions{SourcePath: m.Target})
	if err != nil {
		return Owner{}, "", fmt.Errorf("reading the owner of %s: %w", m.Target, err)
	}
	defer res.Content.Close()
	h, err := tar.NewReader(res.Content).Next()
	if err != nil {
		return Owner{}, "", fmt.Errorf("reading the owner of %s: %w", m.Target, err)
	}
	hostPath := m.Source
	if m.Type == mount.TypeVolume {
		hostPath = ""
		if v, err := c.VolumeInspect(ctx, m.Source, client.VolumeInspectOptions{}); err == nil {
			hostPath = v.Volume.Mountpoint
		}
	}
	return Owner{UID: h.Uid, GID: h.Gid, Mode: fs.FileMode(h.Mode).Perm()}, hostPath, nil
}

// podmanOwners initialises the probe container, which prepares its
// volumes as for the app, and returns a reader of each mount's owner from
// the engine's host: Podman's archive shows every file as owned by the
// container's user, whoever owns it. The host's ids are mapped into the
// container's with rootless Podman's mapping. That needs the engine on
// this machine; elsewhere the owner is unknown.
func podmanOwners(ctx context.Context, c *client.Client, id string) (func(mount.Mount) (Owner, string, error), error) {
	resp, err := libpod(ctx, c, "POST", "/containers/"+id+"/init", nil)
	if err != nil {
		return nil, fmt.Errorf("preparing the probe container's mounts: %w", err)
	}
	resp.Body.Close()
	var info struct {
		Host struct {
			IDMappings struct {
				UIDMap []idMap `json:"uidmap"`
				GIDMap []idMap `json:"gidmap"`
			} `json:"idMappings"`
		} `json:"host"`
	}
	if err := libpodJSON(ctx, c, "GET", "/info", &info); err != nil {
		return nil, fmt.Errorf("reading Podman's user namespace: %w", err)
	}
	local := strings.HasPrefix(c.DaemonHost(), "unix://")
	return func(m mount.Mount) (Owner, string, error) {
		hostPath := m.Source
		if m.Type == mount.TypeVolume {
			v, err := c.VolumeInspect(ctx, m.Source, client.VolumeInspectOptions{})
			if err != nil {
				return Owner{}, "", fmt.Errorf("volume %s: %w", m.Source, err)
			}
			hostPath = v.Volume.Mountpoint
		}
		if !local {
			return Owner{}, hostPath, fmt.Errorf("%w: %s is on Podman's host %s, and Podman's API shows every file as the container user's", ErrOwnerUnknown, m.Target, c.DaemonHost())
		}
		st, err := os.Stat(hostPath)
		if err != nil {
			return Owner{}, hostPath, fmt.Errorf("%w: %s (%s): %v", ErrOwnerUnknown, m.Target, hostPath, err)
		}
		sys, ok := st.Sys().(*syscall.Stat_t)
		if !ok {
			return Owner{}, hostPath, fmt.Errorf("%w: %s (%s): no owner in its stat", ErrOwnerUnknown, m.Target, hostPath)
		}
		return Owner{UID: toContainer(info.Host.IDMappings.UIDMap, int(sys.Uid)), GID: toContainer(info.Host.IDMappings.GIDMap, int(sys.Gid)),
			Mode: st.Mode().Perm()}, hostPath, nil
	}, nil
}

// idMap is one range of a user namespace's mapping.
type idMap struct {
	ContainerID int `json:"container_id"`
	HostID      int `json:"host_id"`
	Size        int `json:"size"`
}

// toContainer maps a host id into the namespace; without a mapping
// (rootful) ids are the same, and an id outside it is the overflow id
// 65534, as the kernel shows it.
func toContainer(maps []idMap, host int) int {
	if len(maps) == 0 {
		return host
	}
	for _, m := range maps {
		if host >= m.HostID && host < m.HostID+m.Size {
			return m.ContainerID + host - m.HostID
		}
	}
	return 65534
}

// ResolveUser reads whom a container of image runs as: user (else the
// image's USER) resolved through the container's /etc/passwd and
// /etc/group as the runtime does (a numeric uid absent from passwd gets
// gid 0).
func ResolveUser(ctx context.Context, c *client.Client, id, user, image string) (User, error) {
	if user == "" {
		img, err := c.ImageInspect(ctx, image)
		if err != nil {
			return User{}, fmt.Errorf("image %s: %w", image, err)
		}
		if img.Config != nil {
			user = img.Config.User
		}
	}
	passwd, _ := ReadFile(ctx, c, id, "/etc/passwd")
	group, _ := ReadFile(ctx, c, id, "/etc/group")
	return ParseUser(user, passwd, group)
}

// ParseUser resolves a USER spec (name or uid, optionally :group) with
// the passwd and group files' contents, as runc does.
func ParseUser(spec string, passwd, group []byte) (User, error) {
	u := User{Spec: spec}
	if spec == "" {
		u.Spec = "root"
		return u, nil
	}
	name, grp, hasGroup := strings.Cut(spec, ":")
	var login string
	found := false
	for _, f := range colonLines(passwd, 7) {
		uid, err1 := strconv.Atoi(f[2])
		gid, err2 := strconv.Atoi(f[3])
		if err1 != nil || err2 != nil {
			continue
		}
		if f[0] == name || f[2] == name {
			u.UID, u.GID, login, found = uid, gid, f[0], true
			break
		}
	}
	if !found {
		uid, err := strconv.Atoi(name)
		if err != nil || uid < 0 {
			return u, fmt.Errorf("USER %s: no such user in the image's /etc/passwd", spec)
		}
		u.UID = uid
	}
	groups := colonLines(group, 4)
	if hasGroup {
		gid, err := strconv.Atoi(grp)
		if err != nil {
			gid = -1
			for _, f := range groups {
				if f[0] == grp {
					gid, _ = strconv.Atoi(f[2])
				}
			}
			if gid < 0 {
				return u, fmt.Errorf("USER %s: no such group in the image's /etc/group", spec)
			}
		}
		u.GID = gid
		return u, nil // an explicit group replaces the supplementary groups too
	}
	for _, f := range groups {
		gid, err := strconv.Atoi(f[2])
		if err != nil || login == "" {
			continue
		}
		for _, member := range strings.Split(f[3], ",") {
			if member == login && gid != u.GID {
				u.Groups = append(u.Groups, gid)
			}
		}
	}
	return u, nil
}

// passwdUIDs maps the names in a passwd file to their uids.
func passwdUIDs(passwd []byte) map[string]int {
	out := map[string]int{}
	for _, f := range colonLines(passwd, 7) {
		if uid, err := strconv.Atoi(f[2]); err == nil {
			if _, dup := out[f[0]]; !dup {
				out[f[0]] = uid
			}
		}
	}
	return out
}

// colonLines splits a passwd-style file into lines of at least n fields;
// comments and short lines are skipped.
func colonLines(data []byte, n int) [][]string {
	var out [][]string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 64<<10)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if f := strings.Split(line, ":"); len(f) >= n {
			out = append(out, f)
		}
	}
	return out
}

// maxReadFile bounds a file ReadFile returns.
const maxReadFile = 1 << 20

// ReadFile reads a regular file of a container (created or running) from
// the engine's archive of it; at most 1 MiB of it.
func ReadFile(ctx context.Context, c *client.Client, id, path string) ([]byte, error) {
	res, err := c.CopyFromContainer(ctx, id, client.CopyFromContainerOptions{SourcePath: path})
	if err != nil {
		return nil, err
	}
	defer res.Content.Close()
	tr := tar.NewReader(res.Content)
	h, err := tr.Next()
	if err != nil {
		return nil, err
	}
	if h.Typeflag != tar.TypeReg {
		return nil, fmt.Errorf("%s is not a regular file", path)
	}
	return io.ReadAll(io.LimitReader(tr, maxReadFile))
}
