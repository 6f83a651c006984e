package dockerfile

import "strings"

// Image is a base image reference after build-arg resolution.
type Image struct {
	// Written is the reference as it appears in the FROM line.
	Written string
	// Name is the resolved reference.
	Name string
	// Resolved is false when a variable in the reference has no known value;
	// rules then cannot judge the tag and stay silent.
	Resolved bool
	// Registry is the registry host, "" for Docker Hub.
	Registry string
	// Repository is the path without registry, e.g. "library/python" becomes "python".
	Repository string
	Tag        string
	Digest     string
}

// ParseImage splits a resolved image reference into its parts.
func ParseImage(ref string) Image {
	img := Image{Written: ref, Name: ref, Resolved: true}
	rest := ref
	if i := strings.IndexByte(rest, '@'); i >= 0 {
		img.Digest = rest[i+1:]
		rest = rest[:i]
	}
	if i := strings.IndexByte(rest, '/'); i >= 0 {
		first := rest[:i]
		if strings.ContainsAny(first, ".:") || first == "localhost" {
			img.Registry = first
			rest = rest[i+1:]
		}
	}
	if i := strings.LastIndexByte(rest, ':'); i >= 0 && !strings.Contains(rest[i:], "/") {
		img.Tag = rest[i+1:]
		rest = rest[:i]
	}
	rest = strings.TrimPrefix(rest, "library/")
	img.Repository = strings.ToLower(rest)
	if img.Registry == "docker.io" || img.Registry == "index.docker.io" || img.Registry == "registry-1.docker.io" {
		img.Registry = ""
	}
	return img
}

// Scratch reports whether the image is the empty `scratch` image.
func (i Image) Scratch() bool { return i.Registry == "" && i.Repository == "scratch" }

// Short returns the last path element of the repository: "python" for
// "docker.io/library/python", "static-debian12" for distroless.
func (i Image) Short() string {
	if j := strings.LastIndexByte(i.Repository, '/'); j >= 0 {
		return i.Repository[j+1:]
	}
	return i.Repository
}

// Distroless reports whether the image is one of Google's distroless or
// Chainguard's minimal images, which ship no shell or package manager.
func (i Image) Distroless() bool {
	return strings.Contains(i.Repository, "distroless") || strings.HasPrefix(i.Repository, "chainguard/") || strings.Contains(i.Registry, "chainguard")
}
