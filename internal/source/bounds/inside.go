package bounds

import (
	"errors"
	"path/filepath"
	"strings"
)

// ErrOutside is wrapped by Inside's error for a path whose real location
// is outside the root.
var ErrOutside = errors.New("not a file inside the repository")

// Inside resolves the symbolic links of path and of root and reports
// where path really is, absolute and relative to root. A repository's
// link that points out of it (to /etc/passwd, to ../secrets) gives
// ErrOutside, so nothing outside the user's repository is read or copied
// on its say.
func Inside(root, path string) (real, rel string, err error) {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", "", err
	}
	real, err = filepath.EvalSymlinks(path)
	if err != nil {
		return "", "", err
	}
	rel, err = filepath.Rel(realRoot, real)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", "", ErrOutside
	}
	return real, rel, nil
}
