package build

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os/exec"
	"strings"
)

// Revision is the commit an image comes from.
type Revision struct {
	Full    string // HEAD's hash
	Tag     string // its first 12 hex digits, with -dirty for uncommitted changes
	Version string // git describe
	Source  string // the origin remote as a browsable URL, without credentials
	Dirty   bool
}

// Unversioned is the revision of a build outside git (init --verify).
var Unversioned = Revision{Tag: "unversioned"}

// GitRevision reads HEAD, the work tree state, a describable version and
// the origin remote (credentials stripped) of the repository holding dir.
func GitRevision(ctx context.Context, dir string) (Revision, error) {
	gitOut := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, "git", append([]string{"-C", dir}, args...)...)
		var out, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &stderr
		err := cmd.Run()
		return strings.TrimSpace(out.String()), err
	}
	full, err := gitOut("rev-parse", "HEAD")
	if err != nil || len(full) < 12 {
		return Revision{}, fmt.Errorf("%s is not in a git repository with a commit: build tags images with the commit they come from; run git init and commit first", dir)
	}
	r := Revision{Full: full, Tag: full[:12]}
	if status, err := gitOut("status", "--porcelain", "--untracked-files=no"); err == nil && status != "" {
		r.Dirty = true
		r.Tag += "-dirty"
	}
	r.Version, _ = gitOut("describe", "--tags", "--always", "--dirty")
	if remote, err := gitOut("config", "--get", "remote.origin.url"); err == nil {
		r.Source = SourceURL(remote)
	}
	return r, nil
}

// SourceURL turns a git remote into a browsable https URL without
// credentials: git@github.com:acme/api.git → https://github.com/acme/api.
func SourceURL(remote string) string {
	if strings.HasPrefix(remote, "git@") {
		if host, path, ok := strings.Cut(strings.TrimPrefix(remote, "git@"), ":"); ok {
			remote = "https://" + host + "/" + path
		}
	}
	u, err := url.Parse(remote)
	if err != nil || u.Host == "" {
		return ""
	}
	u.User = nil
	if u.Scheme == "ssh" || u.Scheme == "git" {
		u.Scheme = "https"
	}
	u.Path = strings.TrimSuffix(u.Path, ".git")
	return u.String()
}
