package caddy

import (
	"errors"
	"testing"
)

func TestParse_SitesDirectivesAndSnippets(t *testing.T) {
	src := `{
	email admin@example.com
}

(secure) {
	header {
		X-Content-Type-Options nosniff
		-Server
	}
}

# The blog.
blog.example.com, www.blog.example.com {
	import secure
	encode zstd gzip
	# shipshape:ignore PX030 single backend
	reverse_proxy app:8000 {
		health_uri /health
	}
	header /static/* Cache-Control "public, max-age=31536000"
}
`
	f, err := Parse("Caddyfile", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if f.Global == nil || len(f.Sites) != 1 {
		t.Fatalf("global %v, %d sites", f.Global, len(f.Sites))
	}
	site := f.Sites[0]
	if got := site.Addresses(); len(got) != 2 || got[1] != "www.blog.example.com" {
		t.Fatalf("addresses %q", got)
	}
	if site.Comments[0] != "The blog." {
		t.Fatalf("site comments %q", site.Comments)
	}
	rp := site.Find("reverse_proxy")
	if len(rp) != 1 || rp[0].Line != 17 || rp[0].Args[0] != "app:8000" || len(rp[0].Find("health_uri")) != 1 {
		t.Fatalf("reverse_proxy = %+v", rp)
	}
	if c := rp[0].AllComments(); len(c) == 0 || c[0] != "shipshape:ignore PX030 single backend" {
		t.Fatalf("comments %q", c)
	}
	if len(site.Find("header")) != 2 {
		t.Fatalf("the imported snippet's header was not inlined: %+v", site.Block)
	}
	if h := site.Find("header")[1]; h.Args[1] != "Cache-Control" || h.Args[2] != "public, max-age=31536000" {
		t.Fatalf("quoted args %q", h.Args)
	}
}

func TestParse_SingleSiteWithoutBraces(t *testing.T) {
	f, err := Parse("Caddyfile", []byte("localhost:8080\nreverse_proxy {$UPSTREAM:app:8000}\nencode gzip\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Sites) != 1 || len(f.Sites[0].Block) != 2 || f.Sites[0].Block[0].Args[0] != "{$UPSTREAM:app:8000}" {
		t.Fatalf("sites %+v", f.Sites)
	}
}

func TestParse_Errors(t *testing.T) {
	for src, line := range map[string]int{
		"example.com {\n\treverse_proxy app\n": 2,
		"}\n":                                  1,
		"a.com {\n\trespond \"oops\n}\n":       2,
	} {
		_, err := Parse("Caddyfile", []byte(src))
		var pe *ParseError
		if !errors.As(err, &pe) || pe.Line != line {
			t.Errorf("%q: err = %v, want line %d", src, err, line)
		}
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("a.com {\n\treverse_proxy b:1 {\n\t\thealth_uri /h\n\t}\n}\n"))
	f.Add([]byte("(s) {\n\timport s\n}\nx.com {\n\timport s\n}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Parse("Caddyfile", data)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		for _, s := range file.Sites {
			s.Find("reverse_proxy")
			s.AllComments()
		}
	})
}
