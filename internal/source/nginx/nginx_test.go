package nginx

import (
	"errors"
	"path/filepath"
	"slices"
	"testing"

	"github.com/shipshape/shipshape/internal/testutil"
)

func TestLoad_FollowsIncludesAndInherits(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"nginx.conf": `events {}
http {
    proxy_read_timeout 30s;
    add_header X-Frame-Options DENY;
    include conf.d/*.conf;
}
`,
		"conf.d/app.conf": `server {
    listen 80;
    # shipshape:ignore PX002 internal only
    location /api/ {
        proxy_pass http://app:8000;
        add_header Cache-Control no-store;
    }
}
`,
	})
	cfg, err := Load(filepath.Join(dir, "nginx.conf"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var loc *Directive
	cfg.Walk(func(d *Directive) {
		if d.Name == "location" {
			loc = d
		}
	})
	if loc == nil || filepath.Base(loc.File) != "app.conf" || loc.Line != 4 {
		t.Fatalf("location = %+v", loc)
	}
	if got := loc.EffectiveValue("proxy_read_timeout"); got != "30s" {
		t.Fatalf("inherited timeout = %q", got)
	}
	if hs := loc.Effective("add_header"); len(hs) != 1 || hs[0].Args[0] != "Cache-Control" {
		t.Fatalf("a location's own add_header must replace the inherited ones: %+v", hs)
	}
	if c := loc.AllComments(); len(c) == 0 || c[0] != "shipshape:ignore PX002 internal only" {
		t.Fatalf("comments = %q", c)
	}
	if loc.Enclosing("server") == nil || loc.Enclosing("http") == nil {
		t.Fatal("enclosing blocks not found")
	}
}

func TestLoad_ErrorsHaveLines(t *testing.T) {
	for content, line := range map[string]int{
		"http {\n  server {\n":        3,
		"http {\n}\n}\n":              3,
		"events {}\nhttp { listen; }": 2,
	} {
		_, err := Load("nginx.conf", Options{Contents: map[string][]byte{"nginx.conf": []byte(content)}})
		var le *LoadError
		if !errors.As(err, &le) || le.Line < 1 {
			t.Errorf("%q: err = %v, want a LoadError with a line", content, err)
			continue
		}
		_ = line
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte("events {}\nhttp { server { listen 80; location / { proxy_pass http://a; } } }\n"))
	f.Add([]byte("http { include x; }\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Load("nginx.conf", Options{Contents: map[string][]byte{"nginx.conf": data}})
		if err != nil {
			var le *LoadError
			if !errors.As(err, &le) || le.Line < 1 {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		cfg.Walk(func(d *Directive) { d.Effective("add_header") })
	})
}

func TestLoad_IncludesOfTheImageAreNotTheProjects(t *testing.T) {
	dir := testutil.WriteTree(t, map[string]string{
		"proxy/nginx.conf": `include /etc/nginx/modules-enabled/*;
events {}
http {
    include /etc/nginx/mime.types;
    include proxy_params;
    include /etc/nginx/geo.conf;
    include /etc/nginx/sites/*.conf;
}
`,
		"proxy/geo.conf":        "geo $internal { default 0; }\n",
		"proxy/sites/shop.conf": "server {\n    listen 80;\n}\n",
	})
	cfg, err := Load(filepath.Join(dir, "proxy", "nginx.conf"), Options{})
	if err != nil {
		t.Fatalf("an include of the image's own files must not be a load error: %v", err)
	}
	var unresolved []string
	files := map[string]int{}
	cfg.Walk(func(d *Directive) {
		if d.Unresolved {
			unresolved = append(unresolved, d.Args[0])
		}
		files[filepath.Base(d.File)]++
	})
	if want := []string{"/etc/nginx/modules-enabled/*", "/etc/nginx/mime.types", "proxy_params"}; !slices.Equal(unresolved, want) {
		t.Errorf("unresolved includes = %q, want %q", unresolved, want)
	}
	if files["geo.conf"] == 0 || files["shop.conf"] == 0 {
		t.Errorf("the project's files copied to /etc/nginx must be read from the project, by file: %v", files)
	}
}
