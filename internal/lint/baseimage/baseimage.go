// Package baseimage is what shipshape knows about well-known base images:
// which tags are exact releases, which images are full language images with
// slim variants, which are compiler toolchains, and which ship curl or wget.
package baseimage

import (
	"regexp"
	"strings"

	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

var (
	leadingVersion = regexp.MustCompile(`^v?(\d+(?:\.\d+)*)`)
	// A date in the tag pins a build: noble-20241118, RELEASE.2024-09-16T00-00-00Z.
	dateStamp = regexp.MustCompile(`(^|[^0-9])20\d\d-?[01]\d-?[0-3]\d([^0-9]|$)`)
)

// Images whose exact releases have fewer than three version parts.
var versionParts = map[string]int{
	"debian": 2, "postgres": 2, "rockylinux": 2, "almalinux": 2, "oraclelinux": 2, "centos": 2,
	"fedora": 1, "amazonlinux": 4,
}

// NoVersionTags reports whether the image is one of those images published without version tags: a digest is their
// only exact pin.
func NoVersionTags(img df.Image) bool {
	return img.Distroless()
}

// ExactTag reports whether a tag names one release rather than a moving line:
// javaUpdate is Java 8's own release naming, an exact release and build:
// adoptopenjdk/openjdk8:jdk8u202-b08-alpine-slim, openjdk:8u342-jre.
var javaUpdate = regexp.MustCompile(`^(?:jdk|jre)?\d+u\d+(?:-b\d+)?(?:$|[-_])`)

// 3.12.7-slim-bookworm is exact, 3.12-slim and lts are not.
func ExactTag(img df.Image) bool {
	if img.Digest != "" {
		return true
	}
	if dateStamp.MatchString(img.Tag) || javaUpdate.MatchString(img.Tag) {
		return true
	}
	m := leadingVersion.FindStringSubmatch(img.Tag)
	if m == nil {
		return false
	}
	want := 3
	if n, ok := versionParts[img.Short()]; ok {
		want = n
	}
	return strings.Count(m[1], ".")+1 >= want
}

// FatImages are language images whose default variant carries compilers,
// headers and a full Debian; each has a slim or alpine variant.
var FatImages = map[string]bool{
	"python": true, "node": true, "ruby": true, "php": true, "perl": true, "buildpack-deps": true,
	"openjdk": true, "eclipse-temurin": true, "amazoncorretto": true, "elixir": true, "erlang": true,
}

func SlimVariant(tag string) bool {
	t := strings.ToLower(tag)
	for _, v := range []string{"slim", "alpine", "distroless", "minimal", "chiseled", "jre", "fpm-alpine", "-nonroot"} {
		if strings.Contains(t, v) {
			return true
		}
	}
	return false
}

// toolchains are compiler images that belong in a build stage only.
var toolchains = map[string]bool{
	"golang": true, "rust": true, "gcc": true, "maven": true, "gradle": true, "sdk": true,
	"clojure": true, "swift": true, "haskell": true, "crystal": true, "zig": true,
}

func IsToolchain(img df.Image) bool {
	if img.Short() == "sdk" {
		return strings.Contains(img.Repository, "dotnet")
	}
	if (img.Short() == "openjdk" || img.Short() == "eclipse-temurin") && strings.Contains(img.Tag, "jdk") {
		return true
	}
	return toolchains[img.Short()]
}

// HTTPTools says whether an image ships curl and wget; known is false for
// images we know nothing about.
func HTTPTools(img df.Image) (curl, wget, known bool) {
	short, tag := img.Short(), strings.ToLower(img.Tag)
	switch {
	case img.Scratch() || img.Distroless():
		return false, false, true
	case short == "alpine" || short == "busybox" || strings.Contains(tag, "alpine"):
		return short == "nginx", true, true
	case short == "nginx":
		return true, false, true
	case strings.Contains(tag, "slim") || short == "debian" || short == "ubuntu":
		return false, false, true
	case img.Registry == "" && (FatImages[short] || short == "golang" || short == "rust"):
		return true, true, true
	}
	return false, false, false
}

// StageHas reports whether a tool (curl, wget) is known to exist in a stage,
// or might: images we know nothing about get the benefit of the doubt. A
// package install of the tool, or a COPY of a binary named like it, in the
// stage or the stages it builds on, counts.
func StageHas(st *df.Stage, tool string) bool {
	chain := st.Chain()
	root := chain[len(chain)-1]
	img := root.Image
	if root.Base != nil || !img.Resolved || img.Repository == "" {
		return true
	}
	curl, wget, known := HTTPTools(img)
	if !known || tool == "curl" && curl || tool == "wget" && wget {
		return true
	}
	for _, s := range chain {
		for _, in := range s.Instructions {
			switch in.Keyword {
			case "RUN":
				if in.Script == nil {
					continue
				}
				for _, c := range in.Script.Commands {
					if installsPackage(c, tool) {
						return true
					}
				}
			case "COPY", "ADD":
				for _, src := range in.SourcePaths() {
					if strings.HasSuffix(src, "/"+tool) || src == tool {
						return true
					}
				}
			}
		}
	}
	return false
}

// installsPackage reports whether a command installs the package with apt,
// apk, yum, dnf, microdnf or zypper.
func installsPackage(c *df.Command, pkg string) bool {
	if !c.Is("apt-get", "apt", "apk", "yum", "dnf", "microdnf", "zypper") {
		return false
	}
	if sub := c.Sub(); sub != "install" && sub != "add" && sub != "in" {
		return false
	}
	for _, a := range c.Args {
		name := a
		if i := strings.IndexAny(a, "=<>~"); i > 0 {
			name = a[:i]
		}
		if name == pkg {
			return true
		}
	}
	return false
}
