package bounds

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestUpward_StopsAtTheRepositoryRootOrTheLevels(t *testing.T) {
	outer := t.TempDir()
	repo := filepath.Join(outer, "repo")
	deep := filepath.Join(repo, "a", "b")
	if err := os.MkdirAll(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	visited := func(levels int, stopAt string) []string {
		var out []string
		Upward(deep, levels, func(d string) bool {
			out = append(out, d)
			return d == stopAt
		})
		return out
	}
	all := []string{deep, filepath.Join(repo, "a"), repo}
	if got := visited(0, ""); !slices.Equal(got, all) {
		t.Errorf("no limit: %v, want %v (the repository root visited, nothing above it)", got, all)
	}
	if got := visited(2, ""); !slices.Equal(got, all[:2]) {
		t.Errorf("two levels: %v, want %v", got, all[:2])
	}
	if got := visited(0, all[1]); !slices.Equal(got, all[:2]) {
		t.Errorf("visit said stop: %v, want %v", got, all[:2])
	}
}
