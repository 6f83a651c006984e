package buildinfo

import "runtime/debug"

// Version returns linked, the version a build set with -ldflags "-X
// ...=v1.2.3", when there is one; else the module version of `go install
// ...@v1.2.3`, or the VCS revision of a local build; else "devel".
func Version(linked string) string {
	if linked != "" {
		return linked
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "devel-" + s.Value[:12]
		}
	}
	return "devel"
}
