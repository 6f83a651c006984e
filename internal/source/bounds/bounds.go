// Package bounds holds the limits that keep hostile input (a huge file, a
// YAML document whose aliases nest) from exhausting the memory or time of
// the loaders in internal/source and of `check`, and reads files within them.
package bounds

import (
	"fmt"
	"io"
	"os"
)

// MaxFileSize bounds what is read of one file. The largest real
// configuration files are bundles of CRDs of a few MiB; checking a 16 MiB
// manifest of 220,000 keys takes about 3 s of CPU and 310 MiB.
const MaxFileSize = 16 << 20

// ErrTooLarge is wrapped by the error for a file over MaxFileSize.
var ErrTooLarge = fmt.Errorf("larger than the %d MiB limit", MaxFileSize>>20)

// ReadFile reads a file of at most MaxFileSize bytes. The size is checked
// on what is read, not only on what stat says, so a file that grows or a
// device that never ends is bounded too.
func ReadFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() && info.Size() > MaxFileSize {
		return nil, fmt.Errorf("file is %d MiB, %w", info.Size()>>20, ErrTooLarge)
	}
	return Read(f)
}

// Read reads r to its end, or fails once more than MaxFileSize bytes came.
func Read(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("input is %w", ErrTooLarge)
	}
	return data, nil
}
