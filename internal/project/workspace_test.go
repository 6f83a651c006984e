package project

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestWorkspaceEntries: the declarations real repositories write.
func TestWorkspaceEntries(t *testing.T) {
	for _, tc := range []struct {
		name      string
		pnpm, pkg string
		hasPnpm   bool
		want      string // pattern@file:line, "!" before an exclusion
	}{
		// jonwiggins/optio 9a09959: double quotes.
		{"pnpm", "packages:\n  - \"apps/*\"\n  - \"packages/*\"\n", "", true, "apps/*@pnpm-workspace.yaml:2 packages/*@pnpm-workspace.yaml:3"},
		// docmost: single quotes, settings after the list.
		{"pnpm, settings after", "packages:\n  - 'apps/*'\n  - 'packages/*'\npatchedDependencies:\n  scimmy@1.3.5: patches/scimmy@1.3.5.patch\n", "", true,
			"apps/*@pnpm-workspace.yaml:2 packages/*@pnpm-workspace.yaml:3"},
		// vocdoni-app: settings only; package.json's workspaces are not pnpm's.
		{"pnpm, settings only", "overrides:\n  ws@^8: ^8.21.0\n", `{"workspaces": ["x"]}`, true, ""},
		{"pnpm, negation, ./ and /**", "packages:\n  - ./api\n  - 'libs/**'\n  - '!**/test/**'\n  - ../outside\n", "", true,
			"api@pnpm-workspace.yaml:2 libs/**@pnpm-workspace.yaml:3 !**/test/**@pnpm-workspace.yaml:4"},
		// kenyipp: an array over lines.
		{"npm/yarn array", "", "{\n  \"workspaces\": [\n    \"apps/*\",\n    \"packages/*\"\n  ]\n}\n", false, "apps/*@package.json:3 packages/*@package.json:4"},
		{"yarn object", "", "{\"workspaces\": {\"packages\": [\"services/*\"], \"nohoist\": [\"**/rn\"]}}", false, "services/*@package.json:1"},
		{"no workspace", "", `{"name": "x"}`, false, ""},
		// The review's shapes: flow style, a comment, a byte-order mark,
		// braces and **/*; an entry's line is after the workspaces key.
		{"pnpm, flow style", "packages: ['packages/*', \"apps/*\"]\n", "", true, "packages/*@pnpm-workspace.yaml:1 apps/*@pnpm-workspace.yaml:1"},
		{"pnpm, a comment", "\uFEFFpackages:\n  - 'packages/*' # libs\n", "", true, "packages/*@pnpm-workspace.yaml:2"},
		{"braces and **/*", "", "{\n  \"name\": \"api\",\n  \"workspaces\": [\"{apps,packages}/*\", \"tools/**/*\", \"api\"]\n}\n", false,
			"apps/*@package.json:3 packages/*@package.json:3 tools/**@package.json:3 api@package.json:3"},
		{"not JSON", "", "{\"workspaces\": [", false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var pnpm []string
			if tc.pnpm != "" {
				pnpm = strings.Split(tc.pnpm, "\n")
			}
			var got []string
			for _, e := range WorkspaceEntries(pnpm, tc.hasPnpm, strings.Split(tc.pkg, "\n")) {
				s := e.Pattern
				if e.Deep {
					s += "/**"
				}
				s += "@" + e.File + ":" + strconv.Itoa(e.Line)
				if e.Exclude {
					s = "!" + s
				}
				got = append(got, s)
			}
			if strings.Join(got, " ") != tc.want {
				t.Errorf("got %q, want %q", strings.Join(got, " "), tc.want)
			}
		})
	}
}

// TestWorkspaceMembers: directories with a package.json, sorted, a
// negated entry, node_modules, a link and a name COPY cannot take left
// out.
func TestWorkspaceMembers(t *testing.T) {
	root := t.TempDir()
	for _, f := range []string{"apps/web/package.json", "apps/api/package.json", "apps/legacy/package.json", "apps/docs/README.md",
		"packages/shared/package.json", "packages/with space/package.json", "node_modules/x/package.json"} {
		p := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("{}\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink(filepath.Join(root, "apps", "web"), filepath.Join(root, "packages", "linked")); err != nil {
		t.Fatal(err)
	}
	entries := WorkspaceEntries(nil, false, strings.Split(`{"workspaces": ["apps/*", "packages/*", "node_modules/*", "!apps/legacy"]}`, "\n"))
	var got []string
	for _, m := range WorkspaceMembers(root, entries) {
		got = append(got, m.Dir)
	}
	if want := "apps/api apps/web packages/shared"; strings.Join(got, " ") != want {
		t.Errorf("members %q, want %q", strings.Join(got, " "), want)
	}
	// srinu0012/monorepo's pnpm-workspace.yaml (fb5eccd4ae27): "apps/**".
	got = nil
	for _, m := range WorkspaceMembers(root, WorkspaceEntries([]string{"packages:", "  - 'apps/**'", "  - '!apps/legacy'"}, true, nil)) {
		got = append(got, m.Dir)
	}
	if want := "apps/api apps/web"; strings.Join(got, " ") != want {
		t.Errorf("apps/** members %q, want %q", strings.Join(got, " "), want)
	}
	if got, pnpm := NewModel().Workspace(t.TempDir()); got != nil || pnpm {
		t.Errorf("a directory without a workspace has members %v (pnpm-workspace.yaml: %v)", got, pnpm)
	}
}

// FuzzWorkspaceEntries: any declaration gives entries that are relative,
// clean of quotes, with a line of the file they name.
func FuzzWorkspaceEntries(f *testing.F) {
	f.Add("packages:\n  - \"apps/*\"\n  - '!x/**'\n", "{\"workspaces\": [\"a\", \"./b/\"]}", true)
	f.Add("", "{\"workspaces\": {\"packages\": [\"services/*\", \"../up\", \"/abs\", \"\"]}}", false)
	f.Fuzz(func(t *testing.T, pnpm, pkg string, hasPnpm bool) {
		pl, kl := strings.Split(pnpm, "\n"), strings.Split(pkg, "\n")
		for _, e := range WorkspaceEntries(pl, hasPnpm, kl) {
			n := len(pl)
			if e.File == "package.json" {
				n = len(kl)
			}
			if e.Pattern == "" || strings.HasPrefix(e.Pattern, "..") || strings.HasPrefix(e.Pattern, "/") || strings.ContainsAny(e.Pattern[:1], `"'`) ||
				e.Line < 0 || e.Line > n || e.File == "pnpm-workspace.yaml" && e.Line == 0 {
				t.Fatalf("entry %+v", e)
			}
			if !strings.ContainsAny(e.Pattern, "*?[\\") && !e.Matches(e.Pattern) {
				t.Fatalf("entry %+v does not match its own directory", e)
			}
		}
	})
}
