package engine

import (
	"strings"
	"testing"
)

func TestUser_CanWrite(t *testing.T) {
	app := User{Spec: "app", UID: 1000, GID: 1000, Groups: []int{50}}
	cases := []struct {
		name  string
		user  User
		owner Owner
		want  bool
	}{
		{"root writes anything", User{}, Owner{UID: 1, GID: 1, Mode: 0o500}, true},
		{"owned by the user", app, Owner{UID: 1000, GID: 1000, Mode: 0o755}, true},
		{"owned by the user, no write bit", app, Owner{UID: 1000, GID: 1000, Mode: 0o555}, false},
		{"owned by the user, no search bit", app, Owner{UID: 1000, GID: 1000, Mode: 0o655}, false},
		{"root's directory (seed 000)", app, Owner{UID: 0, GID: 0, Mode: 0o755}, false},
		{"group-writable, the primary group", app, Owner{UID: 0, GID: 1000, Mode: 0o775}, true},
		{"group-writable, a supplementary group", app, Owner{UID: 0, GID: 50, Mode: 0o770}, true},
		{"group-writable, not its group", app, Owner{UID: 0, GID: 7, Mode: 0o775}, false},
		{"the owner's bits decide for the owner", app, Owner{UID: 1000, GID: 0, Mode: 0o577}, false},
		{"world-writable", app, Owner{UID: 0, GID: 0, Mode: 0o777}, true},
		{"sticky /tmp-like", app, Owner{UID: 0, GID: 0, Mode: 0o1777}, true},
		{"uid in passwd-less image, gid 0, group-writable root dir (OpenShift)", User{UID: 1001}, Owner{UID: 0, GID: 0, Mode: 0o775}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := c.user.CanWrite(c.owner); got != c.want {
				t.Errorf("CanWrite(%+v) = %v, want %v", c.owner, got, c.want)
			}
		})
	}
}

const passwd = `root:x:0:0:root:/root:/bin/bash
# a comment
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
starpunk:x:1000:1000::/app:/bin/sh
broken:x:notanumber:1::/:/bin/sh
`

const group = `root:x:0:
nonroot:x:65532:
starpunk:x:1000:
data:x:50:starpunk,other
`

func TestParseUser(t *testing.T) {
	cases := []struct {
		spec   string
		uid    int
		gid    int
		groups []int
		err    string
	}{
		{"", 0, 0, nil, ""},
		{"starpunk", 1000, 1000, []int{50}, ""},
		{"1000", 1000, 1000, []int{50}, ""},
		{"65532:65532", 65532, 65532, nil, ""},
		{"nonroot:data", 65532, 50, nil, ""},
		{"4242", 4242, 0, nil, ""}, // not in passwd: gid 0, as runc does
		{"ghost", 0, 0, nil, "no such user"},
		{"starpunk:nogroup", 1000, 0, nil, "no such group"},
	}
	for _, c := range cases {
		t.Run(c.spec, func(t *testing.T) {
			u, err := ParseUser(c.spec, []byte(passwd), []byte(group))
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil || u.UID != c.uid || u.GID != c.gid || len(u.Groups) != len(c.groups) || (len(c.groups) > 0 && u.Groups[0] != c.groups[0]) {
				t.Fatalf("ParseUser(%q) = %+v, %v; want uid %d gid %d groups %v", c.spec, u, err, c.uid, c.gid, c.groups)
			}
		})
	}
}

func TestToContainer_RootlessMapping(t *testing.T) {
	rootless := []idMap{{ContainerID: 0, HostID: 1000, Size: 1}, {ContainerID: 1, HostID: 100000, Size: 65536}}
	for host, want := range map[int]int{1000: 0, 100000: 1, 100999: 1000, 0: 65534, 5: 65534} {
		if got := toContainer(rootless, host); got != want {
			t.Errorf("host %d → %d, want %d", host, got, want)
		}
	}
	if got := toContainer(nil, 1234); got != 1234 {
		t.Errorf("rootful: %d", got)
	}
}

func TestMountProblem_NamesPathUIDAndBothFixes(t *testing.T) {
	p := MountProblem{Target: "/data", Source: "/srv/blog/data", Owner: Owner{UID: 0, GID: 0, Mode: 0o755}, User: User{Spec: "starpunk", UID: 1000, GID: 1000}}
	msg := p.Error()
	for _, want := range []string{"/data is the host directory /srv/blog/data", "owned by 0:0 with mode 0755", "uid 1000 (USER starpunk)",
		"chown 1000:1000 /srv/blog/data", "podman unshare chown 1000:1000 /srv/blog/data", "--userns=keep-id:uid=1000,gid=1000", "unable to open database file"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	v := MountProblem{Target: "/data", Source: "blog_data", Volume: true, HostPath: "/var/lib/docker/volumes/blog_data/_data", User: User{UID: 65532, GID: 65532}}
	if msg := v.Error(); !strings.Contains(msg, "the volume blog_data (/var/lib/docker/volumes/blog_data/_data on the engine's host)") ||
		!strings.Contains(msg, "chown 65532:65532 /var/lib/docker/volumes/blog_data/_data") {
		t.Errorf("volume message: %s", msg)
	}
}
