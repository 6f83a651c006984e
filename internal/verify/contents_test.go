package verify

import (
	"archive/tar"
	"bytes"
	"fmt"
	"io"
	"reflect"
	"testing"
)

type file struct {
	name string
	size int
	mode int64
	link string
}

func layerTar(t testing.TB, files ...file) []byte {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, f := range files {
		h := &tar.Header{Name: f.name, Mode: f.mode | 0o644, Size: int64(f.size), Typeflag: tar.TypeReg}
		if f.link != "" {
			h.Typeflag, h.Linkname, h.Size = tar.TypeSymlink, f.link, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(make([]byte, h.Size)); err != nil {
			t.Fatal(err)
		}
	}
	tw.Close()
	return b.Bytes()
}

// saveTar builds a classic `docker save` archive: layers first, manifest last.
func saveTar(t testing.TB, layers ...[]byte) []byte {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	manifest := `[{"Config":"c.json","RepoTags":["x:1"],"Layers":[`
	for i, l := range layers {
		name := string(rune('a'+i)) + "/layer.tar"
		if i > 0 {
			manifest += ","
		}
		manifest += `"` + name + `"`
		tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(l)), Typeflag: tar.TypeReg})
		tw.Write(l)
	}
	manifest += `]}]`
	tw.WriteHeader(&tar.Header{Name: "manifest.json", Mode: 0o644, Size: int64(len(manifest)), Typeflag: tar.TypeReg})
	tw.Write([]byte(manifest))
	tw.Close()
	return b.Bytes()
}

func read(data []byte) (*Contents, error) {
	return ReadSave(func() (io.Reader, error) { return bytes.NewReader(data), nil })
}

func TestReadSave_WastedSetuidShells(t *testing.T) {
	base := layerTar(t,
		file{name: "bin/sh", link: "dash"}, file{name: "bin/dash", size: 100},
		file{name: "usr/bin/apt-get", size: 50}, file{name: "usr/bin/passwd", size: 30, mode: 0o4000},
		file{name: "usr/bin/chage", size: 20, mode: 0o2000})
	build := layerTar(t, file{name: "var/cache/apt/big.deb", size: 5000}, file{name: "var/cache/apt/small.deb", size: 10},
		file{name: "app/server", size: 700})
	cleanup := layerTar(t, file{name: "var/cache/apt/.wh..wh..opq"}, file{name: "app/server", size: 800},
		file{name: "usr/bin/.wh.chage"})
	c, err := read(saveTar(t, base, build, cleanup))
	if err != nil {
		t.Fatal(err)
	}
	if got := []int64{c.Layers[0].Size, c.Layers[1].Size, c.Layers[2].Size}; !reflect.DeepEqual(got, []int64{200, 5710, 800}) {
		t.Errorf("layer sizes %v", got)
	}
	if c.Wasted != 5000+10+700+20 {
		t.Errorf("wasted %d", c.Wasted)
	}
	if c.WastedFiles[0].Path != "/var/cache/apt/big.deb" || c.WastedFiles[0].Layer != 1 {
		t.Errorf("largest wasted %+v", c.WastedFiles[0])
	}
	if !reflect.DeepEqual(c.Setuid, []string{"/usr/bin/passwd"}) {
		t.Errorf("setuid %v (chage was deleted)", c.Setuid)
	}
	if !reflect.DeepEqual(c.Shells, []string{"/bin/sh", "/bin/dash"}) || !reflect.DeepEqual(c.PackageManagers, []string{"/usr/bin/apt-get"}) {
		t.Errorf("shells %v, package managers %v", c.Shells, c.PackageManagers)
	}
}

func TestReadSave_Distroless(t *testing.T) {
	c, err := read(saveTar(t, layerTar(t, file{name: "etc/passwd", size: 10}), layerTar(t, file{name: "api", size: 7000})))
	if err != nil {
		t.Fatal(err)
	}
	if c.Wasted != 0 || c.Shells != nil || c.PackageManagers != nil || c.Setuid != nil || len(c.Layers) != 2 {
		t.Errorf("%+v", c)
	}
}

func TestReadSave_Errors(t *testing.T) {
	var noManifest bytes.Buffer
	tar.NewWriter(&noManifest).Close()
	for name, data := range map[string][]byte{
		"not a tar":     []byte("hello"),
		"no manifest":   noManifest.Bytes(),
		"missing layer": saveTar(t)[:0],
	} {
		if _, err := read(data); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// A manifest naming a layer the archive lacks.
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	m := `[{"Layers":["x/layer.tar"]}]`
	tw.WriteHeader(&tar.Header{Name: "manifest.json", Mode: 0o644, Size: int64(len(m)), Typeflag: tar.TypeReg})
	tw.Write([]byte(m))
	tw.Close()
	if _, err := read(b.Bytes()); err == nil {
		t.Error("absent layer: no error")
	}
}

func FuzzReadSave(f *testing.F) {
	f.Add(saveTar(f, layerTar(f, file{name: "bin/sh", size: 3}), layerTar(f, file{name: ".wh.bin"}, file{name: "a/.wh..wh..opq"})))
	f.Add([]byte("not a tar"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := read(data)
		if err == nil && c == nil {
			t.Fatal("nil contents without an error")
		}
	})
}

// BenchmarkReadSave_ManyWhiteouts: a layer that deletes 5,000 of 30,000
// files one by one (what `apt-get purge` writes) must not rescan the whole
// file system per deleted file.
func BenchmarkReadSave_ManyWhiteouts(b *testing.B) {
	var base, purge []file
	for i := 0; i < 30000; i++ {
		base = append(base, file{name: fmt.Sprintf("usr/share/doc/p%d/f%d", i/10, i), size: 100})
	}
	for i := 0; i < 5000; i++ {
		purge = append(purge, file{name: fmt.Sprintf("usr/share/doc/p%d/.wh.f%d", i/10, i)})
	}
	data := saveTar(b, layerTar(b, base...), layerTar(b, purge...))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, err := read(data)
		if err != nil || c.Wasted != 5000*100 {
			b.Fatal(err, c.Wasted)
		}
	}
}
