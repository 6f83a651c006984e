package dockerfile

import (
	"fmt"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/shipshape/shipshape/internal/lint"
	"github.com/shipshape/shipshape/internal/project"
	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

func init() {
	register(&lint.DockerfileRule{
		Meta: lint.Meta{
			ID: "DF086", Name: "workspace-members-not-installed", Severity: lint.Error,
			Summary: "A Node workspace is installed without the members' package.json files, or pnpm without pnpm-workspace.yaml, which the install reads.",
			Rationale: "The root's install installs each member's dependencies from the member's own package.json. Without them Yarn and npm " +
				"install none of the members' dependencies (the app then fails with `Cannot find package 'dotenv'`, which a member declares), " +
				"and pnpm without pnpm-workspace.yaml installs the root alone, or refuses a member's `workspace:^` dependency " +
				"(`Unsupported URL Type \"workspace:\"`); a frozen pnpm install whose lock file records overrides or patches that " +
				"pnpm-workspace.yaml holds stops (`ERR_PNPM_LOCKFILE_CONFIG_MISMATCH`).",
			Fix: "Copy each member's package.json to its place before the install (`COPY api/package.json api/`), and pnpm's " +
				"pnpm-workspace.yaml and patches with the lock file; or copy the whole tree first, or install what `turbo prune --docker` " +
				"or `pnpm fetch` prepares.",
			Differences: "No hadolint rule. The workspace is read from the build context's pnpm-workspace.yaml or package.json `workspaces` " +
				"(an entry expanded one level, `apps/*`, a negated one taking members out). A stage that copies the whole context, a " +
				"directory holding the members, or anything from another stage (a pruned tree) before the install is not judged, " +
				"nor an install that names packages or filters to some. pnpm-workspace.yaml without members is needed only when the lock file records " +
				"what it holds (overrides, patches, catalogs, a member's importer): build settings alone (onlyBuiltDependencies) stop no frozen install.",
		},
		File: func(r *lint.Report, f *df.File) {
			if !f.ContextKnown() {
				return
			}
			var members []project.WorkspaceMember
			pnpmFile, read := false, false
			for _, st := range f.Stages {
				copied := map[string]bool{}
				covered := false // the whole context, or another stage's files
				chain := st.Chain()
				slices.Reverse(chain) // the bases' instructions first
				for _, s := range chain {
					for _, in := range s.Instructions {
						switch in.Keyword {
						case "COPY", "ADD":
							if from, ok := in.Flag("from"); ok {
								// Another stage's files (a pruned tree, an
								// install): not judged. A tool from an image is
								// not the workspace.
								covered = covered || f.StageByName(from) != nil || isStageIndex(from)
								continue
							}
							for _, src := range in.SourcePaths() {
								markCopied(copied, src, &covered)
							}
						case "RUN":
							// A bind mount is the RUN's own.
							here := maps.Clone(copied)
							hereCovered := covered
							for _, m := range in.Mounts() {
								if m.Type == "bind" && m.From == "" {
									markCopied(here, m.Source, &hereCovered)
								}
							}
							if s != st || hereCovered || !here["package.json"] || in.Script == nil {
								continue
							}
							for _, c := range in.Script.Commands {
								if !installsWorkspace(c) {
									continue
								}
								if !read {
									members, pnpmFile = r.Model().Workspace(f.ContextDir)
									// Without members, the file matters only for
									// what the lock file records of it (umami's
									// holds build settings, and its lock file the
									// root alone).
									pnpmFile = pnpmFile && (len(members) > 0 || lockRecordsWorkspaceFile(r.Model(), f.ContextDir))
									read = true
								}
								if msg := workspaceGap(members, pnpmFile, c.Name == "pnpm", here); msg != "" {
									r.AddCommand(c, "%s", msg)
									return
								}
							}
						}
					}
				}
			}
		},
	})
}

// lockRecordsWorkspaceFile reports whether the context's pnpm-lock.yaml
// records what pnpm-workspace.yaml holds: importers other than the root
// (members), overrides, patches, package extensions, a pnpmfile or
// catalogs. A frozen install without the file then stops
// (ERR_PNPM_LOCKFILE_CONFIG_MISMATCH). Without a lock file it is taken
// to.
func lockRecordsWorkspaceFile(m *project.Model, dir string) bool {
	data, err := m.File(path.Join(dir, "pnpm-lock.yaml"))
	if err != nil {
		return true
	}
	importers := false
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimRight(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if line[0] != ' ' {
			importers = line == "importers:"
			for _, key := range []string{"overrides:", "patchedDependencies:", "packageExtensionsChecksum:", "pnpmfileChecksum:", "catalogs:"} {
				if strings.HasPrefix(line, key) {
					return true
				}
			}
			continue
		}
		if importers && strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") && strings.TrimSpace(line) != ".:" && strings.HasSuffix(line, ":") {
			return true // an importer other than the root
		}
	}
	return false
}

// markCopied records a context path a COPY or a bind mount brings in. The
// whole context covers every member; a glob in the context's top
// directory (package*.json) brings the manifests it matches; a glob
// deeper down (packages/*/package.json) flattens what it matches into
// one directory, so it brings no member to its place.
func markCopied(copied map[string]bool, src string, covered *bool) {
	src = path.Clean(strings.TrimPrefix(src, "./"))
	switch {
	case isContextRoot(src) || src == "." || src == "" || strings.Contains(src, "$"):
		*covered = true // the whole context, or a path not known here
	case strings.ContainsAny(src, "*?["):
		if !strings.Contains(src, "/") {
			for _, name := range []string{"package.json", "pnpm-workspace.yaml"} {
				if m, _ := path.Match(src, name); m {
					copied[name] = true
				}
			}
		}
	default:
		copied[src] = true
	}
}

// isStageIndex reports whether a --from value is a stage's number.
func isStageIndex(from string) bool {
	_, err := strconv.Atoi(from)
	return err == nil
}

// installsWorkspace reports whether a command installs a Node package's
// dependencies, the whole workspace's: not an install that names
// packages, filters to some, focuses a workspace or fetches from the lock
// file alone.
func installsWorkspace(c *df.Command) bool {
	if c.Name == "bun" || !installsDependencies(c) && !(c.Name == "pnpm" && c.Sub() == "i") {
		return false
	}
	for _, a := range c.Args {
		if a == "--filter" || strings.HasPrefix(a, "--filter=") || a == "-F" || a == "--workspace" || strings.HasPrefix(a, "--workspace=") ||
			a == "-w" || a == "--ignore-workspace" || a == "focus" {
			return false
		}
	}
	return true
}

// workspaceGap says what of the workspace the install cannot read: the
// members whose package.json the stage has not copied (nor a directory
// holding it), and, for pnpm, pnpm-workspace.yaml, which also holds the
// settings its lock file records (overrides, patches); "" when nothing
// is missing.
func workspaceGap(members []project.WorkspaceMember, pnpmFile, pnpm bool, copied map[string]bool) string {
	held := func(p string) bool {
		for d := p; d != "." && d != "/"; d = path.Dir(d) {
			if copied[d] {
				return true
			}
		}
		return false
	}
	var missing []string
	for _, m := range members {
		if !held(path.Join(m.Dir, "package.json")) {
			missing = append(missing, m.Dir)
		}
	}
	noPnpmFile := pnpm && pnpmFile && !copied["pnpm-workspace.yaml"]
	switch {
	case len(missing) == 0 && !noPnpmFile:
		return ""
	case len(missing) == 0:
		return "pnpm installs without pnpm-workspace.yaml, which the build context holds: its members and the settings the lock file records " +
			"(overrides, patches) are not seen, and a frozen install stops (ERR_PNPM_LOCKFILE_CONFIG_MISMATCH); copy it with the lock file"
	}
	names := missing
	if len(names) > 3 {
		names = append(names[:3:3], fmt.Sprintf("%d more", len(missing)-3))
	}
	also := ""
	if noPnpmFile {
		also = ", nor pnpm-workspace.yaml"
	}
	first := members[0].Entry
	return fmt.Sprintf("the install reads the workspace's members (%s:%d), but this stage has not copied the package.json of %s%s: "+
		"their dependencies are not installed; copy each to its place before the install (COPY %s/package.json %s/)",
		first.File, first.Line, strings.Join(names, ", "), also, missing[0], missing[0])
}
