// Package atomicfile writes a file so that readers see the old content or
// the new, never half of it, and a failed write leaves the old file.
package atomicfile

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
)

// Write calls write with a buffered writer on a temporary file beside
// path, syncs it, gives it perm and renames it over path. A path that is a
// link is followed, so the link stays and its target is replaced. A path
// that is not a regular file (/dev/null, a FIFO, /dev/stdout) is written
// in place: renaming over it would replace the device with a file, for
// every program on the machine.
func Write(path string, perm os.FileMode, write func(io.Writer) error) error {
	if target, err := filepath.EvalSymlinks(path); err == nil {
		path = target
		if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
			return writeInPlace(path, write)
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	bw := bufio.NewWriterSize(tmp, 64<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), perm)
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// writeInPlace writes to a path that is not a regular file.
func writeInPlace(path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
