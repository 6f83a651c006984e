package runtimes

import (
	"strconv"
	"strings"
)

// version is a release number of up to three parts. Parts that were not
// written are wildcards for matching (3.12 matches 3.12.7) and zero for
// ordering; n says how many were written.
type version struct {
	major, minor, patch int
	n                   int
}

// parseVersion reads "3", "3.12", "3.12.7" (a leading v or go is
// dropped). Parts past the third, and pre-release or build suffixes, are
// errors: no catalog entry has them.
func parseVersion(s string) (version, bool) {
	s = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "v"), "go")
	if s == "" {
		return version{}, false
	}
	parts := strings.Split(s, ".")
	if len(parts) > 3 {
		return version{}, false
	}
	var v version
	for i, p := range parts {
		if p == "" || len(p) > 9 || strings.TrimLeft(p, "0123456789") != "" {
			return version{}, false
		}
		n, err := strconv.Atoi(p)
		if err != nil {
			return version{}, false
		}
		switch i {
		case 0:
			v.major = n
		case 1:
			v.minor = n
		case 2:
			v.patch = n
		}
	}
	v.n = len(parts)
	return v, true
}

func mustVersion(s string) version {
	v, ok := parseVersion(s)
	if !ok || v.n != 3 {
		panic("runtimes: bad version in the catalog: " + s)
	}
	return v
}

func (v version) String() string {
	switch v.n {
	case 1:
		return strconv.Itoa(v.major)
	case 2:
		return strconv.Itoa(v.major) + "." + strconv.Itoa(v.minor)
	}
	return strconv.Itoa(v.major) + "." + strconv.Itoa(v.minor) + "." + strconv.Itoa(v.patch)
}

// compare orders versions by their parts, unwritten parts counting as 0.
func (v version) compare(w version) int {
	for _, d := range [3]int{v.major - w.major, v.minor - w.minor, v.patch - w.patch} {
		if d != 0 {
			if d < 0 {
				return -1
			}
			return 1
		}
	}
	return 0
}

// hasPrefix reports whether v lies in the line p names: 3.12.7 is in 3.12
// and in 3, not in 3.1.
func (v version) hasPrefix(p version) bool {
	if v.major != p.major {
		return false
	}
	if p.n >= 2 && v.minor != p.minor {
		return false
	}
	return p.n < 3 || v.patch == p.patch
}

// bump returns the first version after the line p names: 3.12 → 3.13.0,
// 18 → 19.0.0, 1.2.3 → 1.2.4.
func (p version) bump() version {
	switch p.n {
	case 1:
		return version{major: p.major + 1, n: 3}
	case 2:
		return version{major: p.major, minor: p.minor + 1, n: 3}
	}
	return version{major: p.major, minor: p.minor, patch: p.patch + 1, n: 3}
}

// Older reports whether release a comes before release b ("3.10.2" before
// "3.10.12"); an unreadable version is older than any other.
func Older(a, b string) bool {
	v, okA := parseVersion(a)
	w, okB := parseVersion(b)
	if !okA || !okB {
		return !okA && okB
	}
	return v.compare(w) < 0
}
