package verify

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path"
	"strings"

	"github.com/moby/moby/client"

	"github.com/shipshape/shipshape/internal/source/bounds"
)

// An AccessoryFile is a file of the repository an accessory gets: Source
// on this machine, Target an absolute path in the accessory's container.
type AccessoryFile struct {
	Source string
	Target string
}

// Bounds on the files an accessory gets: a repository's set-up scripts,
// not its data.
const (
	maxAccessoryFiles = 64
	maxAccessoryBytes = 64 << 20
)

// ErrFileOutside is a file an accessory was to get from outside the
// repository (a path through .., an absolute path, a link out).
var ErrFileOutside = bounds.ErrOutside

// copyFiles copies files into the created (not yet started) container id,
// read-only to everyone but root, as compose's :ro mounts would show them.
// It copies through the engine's API rather than binding host paths, so
// it works with an engine on another machine too.
func copyFiles(ctx context.Context, c *client.Client, id, root string, files []AccessoryFile) error {
	if len(files) == 0 {
		return nil
	}
	archive, err := filesArchive(root, files)
	if err != nil {
		return err
	}
	_, err = c.CopyToContainer(ctx, id, client.CopyToContainerOptions{DestinationPath: "/", Content: bytes.NewReader(archive)})
	return err
}

// filesArchive is a tar of files at their targets (relative to /), with
// the directories they need; every source must be a regular file whose
// real path is inside root, and all of them within the bounds.
func filesArchive(root string, files []AccessoryFile) ([]byte, error) {
	if len(files) > maxAccessoryFiles {
		return nil, fmt.Errorf("%d files: at most %d", len(files), maxAccessoryFiles)
	}
	if _, err := os.Stat(root); err != nil {
		return nil, fmt.Errorf("the repository %s: %v", root, err)
	}
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	made := map[string]bool{}
	var total int64
	for _, f := range files {
		target := path.Clean(f.Target)
		if !path.IsAbs(target) || target == "/" {
			return nil, fmt.Errorf("%s: the target %q is not an absolute file path", f.Source, f.Target)
		}
		data, err := readInside(root, f.Source, maxAccessoryBytes-total)
		if err != nil {
			return nil, err
		}
		total += int64(len(data))
		rel := strings.TrimPrefix(target, "/")
		for _, d := range parents(rel) {
			if !made[d] {
				made[d] = true
				if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d + "/", Mode: 0o755}); err != nil {
					return nil, err
				}
			}
		}
		if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: rel, Mode: 0o644, Size: int64(len(data))}); err != nil {
			return nil, err
		}
		if _, err := tw.Write(data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// parents are the directories above a relative path, outermost first.
func parents(rel string) []string {
	var out []string
	for d := path.Dir(rel); d != "."; d = path.Dir(d) {
		out = append([]string{d}, out...)
	}
	return out
}

// readInside reads source, which must be a regular file whose real path
// is inside root, of at most limit bytes.
func readInside(root, source string, limit int64) ([]byte, error) {
	real, _, err := bounds.Inside(root, source)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	fh, err := os.Open(real)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file", source)
	}
	data, err := io.ReadAll(io.LimitReader(fh, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", source, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: the files together exceed %d MiB, init's bound for set-up files", source, maxAccessoryBytes>>20)
	}
	return data, nil
}
