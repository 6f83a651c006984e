package proxy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/crypto/acme/autocert"

	"github.com/shipshape/shipshape/internal/atomicfile"
)

// maxCacheEntry bounds what is read back from the certificate cache: an
// account key or a certificate chain with its key is a few KiB.
const maxCacheEntry = 1 << 20

// certCache is the directory that keeps the ACME account key and the
// certificates. autocert's DirCache also renames a temporary file into
// place, but never syncs it: after a power loss the renamed file can be
// empty, and the proxy would have to ask the CA again (at Let's Encrypt,
// against its rate limits). atomicfile syncs before the rename, so a
// reader sees the old certificate or the new one, whole, mode 0600.
type certCache struct {
	dir string
	// stored is called after an entry was written, with what it replaced
	// (nil: nothing).
	stored func(key string, old, data []byte)
}

var _ autocert.Cache = (*certCache)(nil)

// ErrCacheDirOpen is a certificate cache that others may read: it holds
// private keys.
var ErrCacheDirOpen = errors.New("readable by group or others")

// newCertCache creates dir (0700) when missing and refuses one that group
// or others may enter: the account key and the certificates' keys are in it.
func newCertCache(dir string) (*certCache, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the ACME cache %s: %w", dir, err)
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("the ACME cache %s is not a directory", dir)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("the ACME cache %s is %w (mode %04o): it holds private keys; chmod 700 %s, or give --acme-dir a new directory",
			dir, ErrCacheDirOpen, st.Mode().Perm(), dir)
	}
	return &certCache{dir: dir}, nil
}

// path maps a key to its file. autocert's keys are host names, tokens
// and fixed names with a "+suffix"; a key that could leave the directory,
// or name one of atomicfile's temporary files, is refused.
func (c *certCache) path(key string) (string, error) {
	if key == "" || strings.HasPrefix(key, ".") || strings.ContainsAny(key, "/\\\x00") {
		return "", fmt.Errorf("acme cache: refusing the key %q", key)
	}
	return filepath.Join(c.dir, key), nil
}

// Get returns the entry key, or autocert.ErrCacheMiss.
func (c *certCache) Get(ctx context.Context, key string) ([]byte, error) {
	path, err := c.path(key)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	data, err := readBounded(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, autocert.ErrCacheMiss
	}
	return data, err
}

func readBounded(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCacheEntry+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxCacheEntry {
		return nil, fmt.Errorf("%s: larger than %d bytes, not a certificate or key; remove it and the proxy asks for a new one", path, maxCacheEntry)
	}
	return data, nil
}

// Put replaces the entry key, atomically, mode 0600.
func (c *certCache) Put(ctx context.Context, key string, data []byte) error {
	path, err := c.path(key)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	old, _ := readBounded(path)
	err = atomicfile.Write(path, 0o600, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	if err != nil {
		return fmt.Errorf("acme cache: writing %s: %w", path, err)
	}
	if c.stored != nil {
		c.stored(key, old, data)
	}
	return nil
}

// Delete removes the entry key; a missing one is no error.
func (c *certCache) Delete(ctx context.Context, key string) error {
	path, err := c.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}
