package bounds

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestInside(t *testing.T) {
	outer := t.TempDir()
	root := filepath.Join(outer, "repo")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "db"), 0o755))
	must(os.WriteFile(filepath.Join(root, "db", "schema.sql"), []byte("create table t();"), 0o644))
	must(os.WriteFile(filepath.Join(outer, "secret"), []byte("x"), 0o644))
	must(os.Symlink("db/schema.sql", filepath.Join(root, "schema.sql")))
	must(os.Symlink("../secret", filepath.Join(root, "leak")))
	must(os.Symlink(root, filepath.Join(outer, "alias"))) // the root itself through a link

	for _, tc := range []struct {
		root, path, rel string
		err             error
	}{
		{root, filepath.Join(root, "db/schema.sql"), "db/schema.sql", nil},
		{root, filepath.Join(root, "schema.sql"), "db/schema.sql", nil}, // a link that stays inside
		{filepath.Join(outer, "alias"), filepath.Join(outer, "alias", "schema.sql"), "db/schema.sql", nil},
		{root, filepath.Join(root, "leak"), "", ErrOutside},
		{root, filepath.Join(root, "..", "secret"), "", ErrOutside},
		{root, "/etc/hostname", "", ErrOutside},
	} {
		_, rel, err := Inside(tc.root, tc.path)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("Inside(%s): err %v, want %v", tc.path, err, tc.err)
			}
			continue
		}
		if err != nil || filepath.ToSlash(rel) != tc.rel {
			t.Errorf("Inside(%s) = %q, %v; want %q", tc.path, rel, err, tc.rel)
		}
	}
	if _, _, err := Inside(root, filepath.Join(root, "absent")); err == nil || errors.Is(err, ErrOutside) {
		t.Errorf("a missing file: err %v, want the lookup's own error", err)
	}
}
