package dockerfile

import (
	"strings"

	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

// What rules know about package managers and the tools a RUN calls.

// isAptInstall is `apt-get install`, as hadolint's apt rules see it;
// `apt` itself is DF044's business.
func isAptInstall(c *df.Command) bool {
	return c.Is("apt-get") && c.Sub() == "install"
}

// installsPackages returns the packages an apt, apt-get, apk or yum-style
// install names, and whether the command is such an install.
func installsPackages(c *df.Command) ([]string, bool) {
	switch {
	case c.Is("apt-get", "apt") && c.Sub() == "install":
		return aptPackages(c), true
	case isApkAdd(c):
		return apkPackages(c), true
	case rpmInstall(c):
		return c.Positional(), true
	}
	return nil, false
}

// aptValued are apt-get options that take a value.
var aptValued = []string{"-o", "-t", "-c", "--option", "--target-release", "--config-file", "--default-release"}

func aptPackages(c *df.Command) []string {
	return c.Positional(aptValued...)
}

func isApkAdd(c *df.Command) bool {
	return c.Is("apk") && c.Sub() == "add"
}

func apkPackages(c *df.Command) []string {
	return c.Positional("-X", "--repository", "-t", "--virtual", "-p", "--root", "--repositories-file", "--keys-dir", "--arch", "--cache-dir")
}

// pipArgs returns the arguments after `pip`, for pip, pip2, pip3 and
// `python -m pip`.
func pipArgs(c *df.Command) ([]string, bool) {
	if c.Is("pip", "pip2", "pip3") || strings.HasPrefix(c.Name, "pip3.") || strings.HasPrefix(c.Name, "pip2.") {
		return c.Args, true
	}
	if c.Is("python", "python2", "python3") || strings.HasPrefix(c.Name, "python3.") || strings.HasPrefix(c.Name, "python2.") {
		for i := 0; i+1 < len(c.Args); i++ {
			if c.Args[i] == "-m" && c.Args[i+1] == "pip" {
				return c.Args[i+2:], true
			}
		}
	}
	if c.Is("uv") && len(c.Args) > 0 && c.Args[0] == "pip" {
		return c.Args[1:], true
	}
	return nil, false
}

// pipInstall returns the arguments of a `pip install`, or false.
func pipInstall(c *df.Command) ([]string, bool) {
	args, ok := pipArgs(c)
	if !ok {
		return nil, false
	}
	for i, a := range args {
		if strings.HasPrefix(a, "-") {
			continue
		}
		if a == "install" {
			return args[i+1:], true
		}
		return nil, false
	}
	return nil, false
}

var pipValued = map[string]bool{"-r": true, "--requirement": true, "-c": true, "--constraint": true, "-e": true, "--editable": true,
	"-i": true, "--index-url": true, "--extra-index-url": true, "-f": true, "--find-links": true, "--target": true, "-t": true,
	"--prefix": true, "--root": true, "--trusted-host": true, "--platform": true, "--python-version": true, "--implementation": true,
	"--abi": true, "--src": true, "--upgrade-strategy": true, "--progress-bar": true, "--cache-dir": true, "--log": true,
	"--proxy": true, "--retries": true, "--timeout": true, "--exists-action": true, "--cert": true, "--client-cert": true,
	"--only-binary": true, "--no-binary": true, "--python": true, "--root-user-action": true, "--report": true,
	"-C": true, "--config-settings": true, "--global-option": true, "--index": true}

// pipRequirements returns the requirement specifiers given on the command line.
func pipRequirements(args []string) []string {
	var out []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			if pipValued[a] {
				i++
			}
			continue
		}
		out = append(out, a)
	}
	return out
}

var versionSymbols = []string{"==", ">=", "<=", "~=", "!=", ">", "<"}

var vcsPrefixes = []string{"git+", "git:", "hg+", "svn+", "svn:", "bzr+"}

// pipPinned follows hadolint's DL3013: a version specifier, a VCS URL with
// @ref, a wheel or sdist, or a (non-VCS) path.
func pipPinned(req string) bool {
	for _, s := range versionSymbols {
		if strings.Contains(req, s) {
			return true
		}
	}
	for _, p := range vcsPrefixes {
		if strings.HasPrefix(req, p) {
			return strings.Contains(req[len(p):], "@")
		}
	}
	return strings.HasSuffix(req, ".whl") || strings.HasSuffix(req, ".tar.gz") || strings.Contains(req, "/") || strings.HasPrefix(req, "$")
}

// isPathLike is a local path, archive, URL or VCS reference, which carries its
// own version.
func isPathLike(s string) bool {
	return s == "." || strings.HasPrefix(s, "./") || strings.HasPrefix(s, "/") || strings.HasPrefix(s, "../") ||
		strings.Contains(s, "://") || strings.HasPrefix(s, "git+") || strings.HasPrefix(s, "$") ||
		strings.HasSuffix(s, ".whl") || strings.HasSuffix(s, ".tar.gz") || strings.HasSuffix(s, ".tgz") ||
		strings.HasSuffix(s, ".zip") || strings.HasSuffix(s, ".deb") || strings.HasSuffix(s, ".rpm")
}

// rpmManager returns the name of a yum-style package manager command.
func rpmManager(c *df.Command) string {
	if c.Is("yum", "dnf", "microdnf", "zypper", "tdnf") {
		return c.Name
	}
	return ""
}

func rpmInstall(c *df.Command) bool {
	if rpmManager(c) == "" {
		return false
	}
	switch c.Sub() {
	case "install", "in", "groupinstall", "localinstall":
		return true
	}
	return rpmModuleInstall(c)
}

// rpmModuleInstall is `dnf module install stream`, which installs the
// stream's packages.
func rpmModuleInstall(c *df.Command) bool {
	pos := c.Positional()
	return rpmManager(c) != "" && c.Sub() == "module" && len(pos) > 0 && pos[0] == "install"
}

// rpmFetches reports whether a yum-style command downloads packages into
// its cache: installs, and upgrades and reinstalls too.
func rpmFetches(c *df.Command) bool {
	if rpmInstall(c) {
		return true
	}
	if rpmManager(c) == "" {
		return false
	}
	switch c.Sub() {
	case "upgrade", "up", "update", "upgrade-minimal", "up-min", "update-minimal", "reinstall", "rei", "distro-sync", "dist-upgrade", "dup":
		return true
	}
	return false
}

// sameRun returns the commands of the RUN a command belongs to.
func sameRun(c *df.Command) []*df.Command {
	if c.Instruction == nil || c.Instruction.Script == nil {
		return nil
	}
	return c.Instruction.Script.Commands
}

// runHas reports whether the command's RUN also runs a command matching fn.
func runHas(c *df.Command, fn func(*df.Command) bool) bool {
	for _, o := range sameRun(c) {
		if fn(o) {
			return true
		}
	}
	return false
}

// runHasAfter reports whether the command's RUN runs a command matching fn
// after it: a clean-up before the install cleans nothing.
func runHasAfter(c *df.Command, fn func(*df.Command) bool) bool {
	after := false
	for _, o := range sameRun(c) {
		if after && fn(o) {
			return true
		}
		after = after || o == c
	}
	return false
}

// removes reports whether the command deletes a path under dir.
func removes(c *df.Command, dir string) bool {
	if !c.Is("rm") {
		return false
	}
	for _, a := range c.Args {
		if strings.HasPrefix(a, "-") {
			continue
		}
		if strings.HasPrefix(strings.TrimSuffix(a, "*"), strings.TrimSuffix(dir, "/")) {
			return true
		}
	}
	return false
}

// packageName strips a version pin: curl=7.88.1-10 → curl.
func packageName(p string) string {
	if i := strings.IndexAny(p, "=<>~"); i > 0 {
		return p[:i]
	}
	return p
}

// ships reports whether an instruction's stage ends up in the final image:
// the final stage or one it builds on. Leftover caches elsewhere never ship.
func ships(f *df.File, in *df.Instruction) bool {
	final := f.FinalStage()
	if final == nil || in == nil || in.Stage == nil {
		return false
	}
	for _, st := range final.Chain() {
		if st == in.Stage {
			return true
		}
	}
	return false
}

// envSet reports whether an ENV (or ARG) with the name is in force at in.
func envSet(in *df.Instruction, name string) bool {
	v, ok := in.Lookup(name)
	return ok && truthy(v)
}

// truthy is how pip and most tools read a boolean variable.
func truthy(v string) bool {
	switch strings.ToLower(v) {
	case "", "0", "false", "off", "no":
		return false
	}
	return true
}

// baseImage returns the stage's image when it is a real image (not scratch,
// not an earlier stage) whose name is known.
func baseImage(st *df.Stage) (df.Image, bool) {
	if st.Base != nil || !st.Image.Resolved || st.Image.Scratch() || st.Image.Repository == "" {
		return df.Image{}, false
	}
	return st.Image, true
}
