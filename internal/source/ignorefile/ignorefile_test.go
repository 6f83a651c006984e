package ignorefile

import "testing"

func TestList_Gitignore(t *testing.T) {
	l := Parse("", []byte("# comment\n*.log\n/build/\ndocs/**/gen\n!keep.log\n\\#hash\nsrc/*.tmp\n[ab].txt\n"), Gitignore)
	cases := map[string]bool{
		"a.log": true, "deep/x.log": true, "keep.log": false, "build": true, "sub/build": false,
		"docs/a/b/gen": true, "docs/gen": true, "#hash": true, "src/x.tmp": true, "other/src/x.tmp": false,
		"a.txt": true, "c.txt": false, "main.go": false,
	}
	for path, want := range cases {
		isDir := path == "build" || path == "sub/build"
		if got, _ := l.Match(path, isDir); got != want {
			t.Errorf("%s: ignored = %v, want %v", path, got, want)
		}
	}
}

func TestList_NestedBase(t *testing.T) {
	s := Stack{Parse("", []byte("*.tmp\n"), Gitignore), Parse("svc", []byte("!important.tmp\nout/\n"), Gitignore)}
	if !s.Ignored("svc/a.tmp", false) || s.Ignored("svc/important.tmp", false) || !s.Ignored("svc/out", true) || s.Ignored("out", true) {
		t.Fatal("nested .gitignore not applied the way git does")
	}
}

func TestList_DockerignoreIsAnchored(t *testing.T) {
	l := Parse("", []byte(".env\n./secrets\n*.md\n"), Dockerignore)
	if ig, _ := l.Match(".env", false); !ig {
		t.Error(".env not ignored")
	}
	if ig, _ := l.Match("sub/.env", false); ig {
		t.Error("dockerignore patterns are relative to the context root")
	}
	if ig, _ := l.Match("secrets", true); !ig {
		t.Error("./secrets not ignored")
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("*.log\n!a.log\n/b/\n**/c\n[x-z]\n\\!d\n"), "a/b.log")
	f.Fuzz(func(t *testing.T, data []byte, path string) {
		for _, syntax := range []Syntax{Gitignore, Dockerignore} {
			l := Parse("", data, syntax)
			l.Match(path, false)
			l.Match(path, true)
		}
	})
}
