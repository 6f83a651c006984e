package verify

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/moby/api/types/mount"
)

func TestParseVolume(t *testing.T) {
	dir := t.TempDir()
	cases := []struct {
		spec string
		want mount.Mount
		err  string
	}{
		{"./data:/data", mount.Mount{Type: mount.TypeBind, Source: filepath.Join(dir, "data"), Target: "/data"}, ""},
		{"../up:/up:ro", mount.Mount{Type: mount.TypeBind, Source: filepath.Join(filepath.Dir(dir), "up"), Target: "/up", ReadOnly: true}, ""},
		{"/srv/blog:/data:rw", mount.Mount{Type: mount.TypeBind, Source: "/srv/blog", Target: "/data"}, ""},
		{"blog_data:/data", mount.Mount{Type: mount.TypeVolume, Source: "blog_data", Target: "/data"}, ""},
		{"blog_data:/data:Z", mount.Mount{}, "the mode is ro or rw"},
		{"/data", mount.Mount{}, "use SOURCE:TARGET"},
		{"blog_data:data", mount.Mount{}, "use SOURCE:TARGET"},
		{"a:/b:ro:x", mount.Mount{}, "use SOURCE:TARGET"},
	}
	for _, c := range cases {
		t.Run(c.spec, func(t *testing.T) {
			got, err := ParseVolume(c.spec, dir)
			if c.err != "" {
				if err == nil || !strings.Contains(err.Error(), c.err) {
					t.Fatalf("err = %v, want %q", err, c.err)
				}
				return
			}
			if err != nil || got != c.want {
				t.Fatalf("ParseVolume(%q) = %+v, %v; want %+v", c.spec, got, err, c.want)
			}
		})
	}
}
