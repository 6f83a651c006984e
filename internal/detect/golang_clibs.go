package detect

import (
	"regexp"
	"slices"
	"strings"
)

// goCLibraries are the Go packages that link a C library of the system
// through cgo (their #cgo pkg-config lines), by import path, and the
// library's name: the build needs its development files and the runtime
// the library itself (generate's cLibraryPackages names Debian's
// packages). Each is what a real service imports: h2non/imaginary and
// resizr (bimg), NezuChan/image-proxy (govips), otiai10/ocrserver
// (gosseract). A package not here that links a library the builder lacks
// fails the build with pkg-config's "Package X was not found", which
// init --verify names.
var goCLibraries = []struct {
	pkg *regexp.Regexp
	lib string
}{
	{regexp.MustCompile(`^github\.com/h2non/bimg$`), "libvips"},
	{regexp.MustCompile(`^github\.com/davidbyttow/govips(?:/v2)?/vips$`), "libvips"},
	{regexp.MustCompile(`^github\.com/otiai10/gosseract(?:/v2)?$`), "tesseract"},
}

// goCLibs are the system C libraries the program's own packages link
// through the Go packages they import (goCLibraries), one each, in the
// order first imported: each one's Evidence is that import.
func (r *repo) goCLibs(program func(string) bool) []Evidence {
	var libs []Evidence
	for _, f := range r.codeFiles() {
		if !strings.HasSuffix(f, ".go") || strings.HasSuffix(f, "_test.go") || !r.goBuildsOnLinux(f) || !program(f) {
			continue
		}
		for i, line := range r.read(f) {
			m := goImportPath.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			for _, c := range goCLibraries {
				if !c.pkg.MatchString(m[1]) || slices.ContainsFunc(libs, func(e Evidence) bool { return e.Value == c.lib }) {
					continue
				}
				libs = append(libs, Evidence{Value: c.lib, File: f, Line: i + 1,
					Why: m[1] + " links the C library " + c.lib + " through cgo: its development files at build, the library at run time"})
			}
		}
	}
	return libs
}
