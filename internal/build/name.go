package build

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
)

var (
	nameRe = regexp.MustCompile(`^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$`)
	tagRe  = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$`)
	// nameJunk is what a directory name may hold that an image name may not.
	nameJunk = regexp.MustCompile(`[^a-z0-9._-]+`)
)

// ImageName is name when it is a valid image name, or, when name is
// empty, the directory's name made into one.
func ImageName(name, dir string) (string, error) {
	if name != "" {
		if !nameRe.MatchString(strings.TrimPrefix(name, registryPrefix(name))) {
			return "", fmt.Errorf("--name %q is not a valid image name (lower case letters, digits, . _ - and / between parts)", name)
		}
		return name, nil
	}
	n := strings.ToLower(filepath.Base(dir))
	n = nameJunk.ReplaceAllString(n, "-")
	n = strings.Trim(n, "._-")
	if n == "" || !nameRe.MatchString(n) {
		return "", fmt.Errorf("cannot make an image name from %q: pass --name", filepath.Base(dir))
	}
	return n, nil
}

// ValidTag says whether t can follow NAME: in an image reference.
func ValidTag(t string) bool { return tagRe.MatchString(t) }

// registryPrefix is the "host[:port]/" in front of a name, if any.
func registryPrefix(name string) string {
	host, _, ok := strings.Cut(name, "/")
	if ok && (strings.ContainsAny(host, ".:") || host == "localhost") {
		return host + "/"
	}
	return ""
}
