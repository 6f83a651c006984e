package verify

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"

	"github.com/moby/moby/client"
)

// Contents is what an image's layers hold, read from `docker save` output.
type Contents struct {
	// Layers in build order, with the bytes of regular files each adds.
	Layers []Layer `json:"layers"`
	// Wasted bytes: files a later layer overwrites or deletes. They are
	// still shipped, in the earlier layer.
	Wasted      int64        `json:"wasted_bytes"`
	WastedFiles []WastedFile `json:"wasted_files,omitempty"` // the largest
	// Setuid lists setuid or setgid files in the final file system.
	Setuid []string `json:"setuid_files,omitempty"`
	// Shells and PackageManagers left in the final file system.
	Shells          []string `json:"shells,omitempty"`
	PackageManagers []string `json:"package_managers,omitempty"`
}

// Layer is one layer of the image.
type Layer struct {
	Size      int64  `json:"size_bytes"`
	Files     int    `json:"files"`
	CreatedBy string `json:"created_by,omitempty"`
}

// WastedFile is a file shipped in one layer and replaced or removed later.
type WastedFile struct {
	Path  string `json:"path"`
	Size  int64  `json:"size_bytes"`
	Layer int    `json:"layer"`
}

var (
	shells          = []string{"bin/sh", "bin/bash", "bin/dash", "bin/ash", "bin/busybox", "usr/bin/bash", "usr/bin/sh", "usr/bin/dash"}
	packageManagers = []string{"usr/bin/apt-get", "usr/bin/apt", "usr/bin/dpkg", "sbin/apk", "usr/bin/yum", "usr/bin/dnf",
		"usr/bin/rpm", "usr/bin/pip", "usr/bin/pip3", "usr/local/bin/pip", "usr/local/bin/pip3", "usr/bin/npm", "usr/local/bin/npm"}
)

// maxEntries bounds what one image may make us hold in memory.
const maxEntries = 2_000_000

type entry struct {
	name  string
	size  int64
	mode  int64
	isReg bool
	isDir bool
}

// ReadSave reads a `docker save` archive (the classic layout, or the OCI
// layout newer engines write; both carry manifest.json). The archive is read
// twice, so r must be seekable or a fresh reader each call of open.
func ReadSave(open func() (io.Reader, error)) (*Contents, error) {
	// Pass 1: the manifest (at the end of the archive in the classic layout).
	var layerPaths []string
	err := eachEntry(open, func(h *tar.Header, r io.Reader) (bool, error) {
		if path.Clean(h.Name) != "manifest.json" {
			return false, nil
		}
		var m []struct{ Layers []string }
		if err := json.NewDecoder(io.LimitReader(r, 16<<20)).Decode(&m); err != nil {
			return true, fmt.Errorf("image archive manifest.json: %w", err)
		}
		if len(m) != 1 {
			return true, fmt.Errorf("image archive manifest.json lists %d images, want 1", len(m))
		}
		layerPaths = m[0].Layers
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	if layerPaths == nil {
		return nil, errors.New("image archive has no manifest.json")
	}
	index := map[string][]int{} // a layer may repeat (identical layers)
	for i, p := range layerPaths {
		index[path.Clean(p)] = append(index[path.Clean(p)], i)
	}

	// Pass 2: every layer's entries, in whatever order the archive has them.
	layers := make([][]entry, len(layerPaths))
	seen := make([]bool, len(layerPaths))
	total := 0
	err = eachEntry(open, func(h *tar.Header, r io.Reader) (bool, error) {
		at, ok := index[path.Clean(h.Name)]
		if !ok || h.Typeflag != tar.TypeReg {
			return false, nil
		}
		entries, err := readLayer(r, maxEntries-total)
		if err != nil {
			return true, fmt.Errorf("layer %s: %w", h.Name, err)
		}
		total += len(entries)
		for _, i := range at {
			layers[i], seen[i] = entries, true
		}
		return false, nil
	})
	if err != nil {
		return nil, err
	}
	for i, ok := range seen {
		if !ok {
			return nil, fmt.Errorf("image archive lacks layer %s named in its manifest", layerPaths[i])
		}
	}
	return analyse(layers), nil
}

// eachEntry calls fn for every entry of the archive open returns, until fn
// says stop or fails.
func eachEntry(open func() (io.Reader, error), fn func(h *tar.Header, r io.Reader) (stop bool, err error)) error {
	r, err := open()
	if err != nil {
		return err
	}
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("reading the image archive: %w", err)
		}
		if stop, err := fn(h, tr); stop || err != nil {
			return err
		}
	}
}

// readLayer lists a layer tar's entries (plain or gzip-compressed).
func readLayer(r io.Reader, budget int) ([]entry, error) {
	br := bufio.NewReader(r)
	var src io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, err
		}
		defer gz.Close()
		src = gz
	}
	tr := tar.NewReader(src)
	var out []entry
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		if len(out) >= budget {
			return nil, errors.New("too many files to analyse")
		}
		name := strings.TrimPrefix(path.Clean("/"+h.Name), "/")
		if name == "" {
			continue
		}
		out = append(out, entry{name: name, size: h.Size, mode: h.Mode, isReg: h.Typeflag == tar.TypeReg, isDir: h.Typeflag == tar.TypeDir})
	}
}

// analyse applies the layers in order, as the engine's overlay does, and
// counts what later layers hide.
func analyse(layers [][]entry) *Contents {
	type file struct {
		entry
		layer int
	}
	view := map[string]file{}
	c := &Contents{}
	var wasted []WastedFile
	hide := func(f file) {
		if f.isReg && f.size > 0 {
			c.Wasted += f.size
			wasted = append(wasted, WastedFile{Path: "/" + f.name, Size: f.size, Layer: f.layer})
		}
	}
	removeTree := func(dir string, self bool) {
		if f, ok := view[dir]; ok && self {
			hide(f)
			delete(view, dir)
			if !f.isDir {
				return // a file: nothing below it, no need to scan the view
			}
		}
		prefix := dir + "/"
		for p, f := range view {
			if strings.HasPrefix(p, prefix) {
				hide(f)
				delete(view, p)
			}
		}
	}
	for i, entries := range layers {
		l := Layer{}
		for _, e := range entries {
			dir, base := path.Split(e.name)
			dir = strings.TrimSuffix(dir, "/")
			switch {
			case base == ".wh..wh..opq":
				removeTree(dir, false)
			case strings.HasPrefix(base, ".wh."):
				removeTree(path.Join(dir, strings.TrimPrefix(base, ".wh.")), true)
			default:
				if old, ok := view[e.name]; ok {
					hide(old)
				}
				view[e.name] = file{e, i}
				if e.isReg {
					l.Size += e.size
					l.Files++
				}
			}
		}
		c.Layers = append(c.Layers, l)
	}
	sort.Slice(wasted, func(i, j int) bool { return wasted[i].Size > wasted[j].Size })
	if len(wasted) > 10 {
		wasted = wasted[:10]
	}
	c.WastedFiles = wasted
	for p, f := range view {
		if f.isReg && f.mode&(0o4000|0o2000) != 0 {
			c.Setuid = append(c.Setuid, "/"+p)
		}
	}
	sort.Strings(c.Setuid)
	for _, p := range shells {
		if _, ok := view[p]; ok {
			c.Shells = append(c.Shells, "/"+p)
		}
	}
	for _, p := range packageManagers {
		if _, ok := view[p]; ok {
			c.PackageManagers = append(c.PackageManagers, "/"+p)
		}
	}
	return c
}

// saveImage saves the image from the engine into a temporary file once,
// for every check that reads its layers; open rewinds it, done removes it.
func saveImage(ctx context.Context, c *client.Client, ref string) (open func() (io.Reader, error), done func(), err error) {
	tmp, err := os.CreateTemp("", "shipshape-verify-*.tar")
	if err != nil {
		return nil, nil, err
	}
	done = func() { tmp.Close(); os.Remove(tmp.Name()) }
	saved, err := c.ImageSave(ctx, []string{ref})
	if err == nil {
		_, err = io.Copy(tmp, saved)
		saved.Close()
	}
	if err != nil {
		done()
		return nil, nil, fmt.Errorf("saving %s from the engine: %v", ref, err)
	}
	open = func() (io.Reader, error) {
		_, err := tmp.Seek(0, io.SeekStart)
		return tmp, err
	}
	return open, done, nil
}

// inspectContents reads the saved image's layers and adds the content
// checks to r.
func inspectContents(ref string, open func() (io.Reader, error), r *Report) error {
	contents, err := ReadSave(open)
	if err != nil {
		return fmt.Errorf("%s: %v", ref, err)
	}
	// Each layer's instruction from the image config's history (the
	// entries that made a layer), as the secrets check names them.
	if origins, err := readOrigins(open); err == nil && len(origins) == len(contents.Layers) {
		for i := range contents.Layers {
			contents.Layers[i].CreatedBy = origins[i].createdBy
		}
	}
	r.Contents = contents

	largest := append([]Layer(nil), contents.Layers...)
	sort.SliceStable(largest, func(i, j int) bool { return largest[i].Size > largest[j].Size })
	var top []string
	for _, l := range largest[:min(3, len(largest))] {
		by := abbreviate(l.CreatedBy, 60)
		if by == "" {
			by = "(imported base)"
		}
		top = append(top, fmt.Sprintf("%s %s", human(l.Size), by))
	}
	r.add("layers", true, "%d layers; largest: %s", len(contents.Layers), strings.Join(top, "; "))
	wasted := "no bytes hidden by later layers"
	if contents.Wasted > 0 {
		wasted = fmt.Sprintf("%s shipped but overwritten or deleted in later layers (largest: %s)", human(contents.Wasted), contents.WastedFiles[0].Path)
	}
	r.warn("wasted-bytes", contents.Wasted < 1<<20, "%s", wasted)
	r.warn("setuid-files", len(contents.Setuid) == 0, "%s", listOr(contents.Setuid, "none"))
	r.warn("shell", len(contents.Shells) == 0, "%s", listOr(contents.Shells, "none"))
	r.warn("package-manager", len(contents.PackageManagers) == 0, "%s", listOr(contents.PackageManagers, "none"))
	return nil
}

func abbreviate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func listOr(items []string, none string) string {
	if len(items) == 0 {
		return none
	}
	if len(items) > 8 {
		return strings.Join(items[:8], ", ") + fmt.Sprintf(" and %d more", len(items)-8)
	}
	return strings.Join(items, ", ")
}
