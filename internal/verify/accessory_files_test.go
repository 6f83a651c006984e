package verify

import (
	"archive/tar"
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFilesArchive_PutsFilesAtTheirTargets(t *testing.T) {
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "db"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"article.sql": "CREATE TABLE a (id int);\n", "db/seed.sql": "INSERT;\n"} {
		if err := os.WriteFile(filepath.Join(root, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	archive, err := filesArchive(root, []AccessoryFile{
		{Source: filepath.Join(root, "article.sql"), Target: "/docker-entrypoint-initdb.d/init.sql"},
		{Source: filepath.Join(root, "db/seed.sql"), Target: "/docker-entrypoint-initdb.d/seed.sql"},
	})
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(bytes.NewReader(archive))
	var got []string
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(tr)
		got = append(got, h.Name+" "+string(rune('0'+h.Mode>>6&7))+" "+strings.TrimSpace(string(data)))
	}
	want := "docker-entrypoint-initdb.d/ 7 |docker-entrypoint-initdb.d/init.sql 6 CREATE TABLE a (id int);|docker-entrypoint-initdb.d/seed.sql 6 INSERT;"
	if strings.Join(got, "|") != want {
		t.Errorf("archive:\n%s\nwant:\n%s", strings.Join(got, "|"), want)
	}
}

func TestFilesArchive_RefusesWhatIsNotTheRepositorys(t *testing.T) {
	root := t.TempDir()
	outside := filepath.Join(t.TempDir(), "passwd")
	if err := os.WriteFile(outside, []byte("root:x:0:0"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(root, "link.sql")); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(root, "dir.sql"), 0o755); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(root, "big.sql")
	if err := os.WriteFile(big, make([]byte, maxAccessoryBytes+1), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]AccessoryFile{
		"a link out":        {Source: filepath.Join(root, "link.sql"), Target: "/docker-entrypoint-initdb.d/a.sql"},
		"a path through ..": {Source: filepath.Join(root, "..", filepath.Base(filepath.Dir(outside)), "passwd"), Target: "/x.sql"},
		"a directory":       {Source: filepath.Join(root, "dir.sql"), Target: "/docker-entrypoint-initdb.d/d.sql"},
		"over the bound":    {Source: big, Target: "/docker-entrypoint-initdb.d/big.sql"},
		"a relative target": {Source: big, Target: "init.sql"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := filesArchive(root, []AccessoryFile{f}); err == nil {
				t.Fatalf("%s was archived", name)
			} else if strings.HasPrefix(name, "a link") && !errors.Is(err, ErrFileOutside) {
				t.Errorf("err = %v, want ErrFileOutside", err)
			}
		})
	}
}
