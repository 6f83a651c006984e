package verify

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func readProcNet(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "procnet", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestParseProcNetTCP_RealText(t *testing.T) {
	cases := []struct {
		file string
		want []string
	}{
		// Established connections (state 01) are left out.
		{"tcp", []string{"127.0.0.1:5000", "0.0.0.0:9090"}},
		{"tcp6", []string{"[::]:8080", "[::1]:7000"}},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			ls, err := ParseProcNetTCP(readProcNet(t, c.file))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, l := range ls {
				got = append(got, l.String())
				if l.UID != 0 {
					t.Errorf("%s: uid %d, want 0", l, l.UID)
				}
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("listeners = %q, want %q", got, c.want)
			}
		})
	}
}

func TestParseProcNetTCP_AddressForms(t *testing.T) {
	const header = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	cases := []struct {
		row      string
		addr     string
		port     int
		loopback bool
	}{
		{"   0: 0000000000000000FFFF00000100007F:1388 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000 10001 0 1 1 0 100 0 0 10 0", "127.0.0.1", 5000, true},
		{"   0: 0000000000000000FFFF00000302010A:0050 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000 10001 0 1 1 0 100 0 0 10 0", "10.1.2.3", 80, false},
		{"   0: 0000000000000000000000000000000000000000:0050 x 0A", "", 0, false},
	}
	for _, c := range cases {
		ls, err := ParseProcNetTCP([]byte(header + c.row + "\n"))
		if c.addr == "" {
			if !errors.Is(err, ErrProcNet) {
				t.Errorf("%q: err = %v, want ErrProcNet", c.row, err)
			}
			continue
		}
		if err != nil || len(ls) != 1 {
			t.Fatalf("%q: %v, %v", c.row, ls, err)
		}
		if ls[0].Addr != netip.MustParseAddr(c.addr) || ls[0].Port != c.port || ls[0].Loopback() != c.loopback || ls[0].UID != 10001 {
			t.Errorf("%q = %+v, want %s:%d loopback=%v uid 10001", c.row, ls[0], c.addr, c.port, c.loopback)
		}
	}
}

func TestParseProcNetTCP_RejectsOtherText(t *testing.T) {
	for _, text := range []string{"", "cat: /proc/net/tcp: No such file or directory\n", "  sl  local_address\n   0: zz:1F90 00000000:0000 0A 0 0 0 0 0\n"} {
		if _, err := ParseProcNetTCP([]byte(text)); !errors.Is(err, ErrProcNet) {
			t.Errorf("%q: err = %v, want ErrProcNet", text, err)
		}
	}
	// A header and nothing else: no sockets at all, which is an answer.
	ls, err := ParseProcNetTCP([]byte("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"))
	if err != nil || len(ls) != 0 {
		t.Errorf("header only: %v, %v", ls, err)
	}
}

func TestListenPorts(t *testing.T) {
	tcp, _ := ParseProcNetTCP(readProcNet(t, "tcp"))
	tcp6, _ := ParseProcNetTCP(readProcNet(t, "tcp6"))
	ls := append(tcp, tcp6...)
	if got := listenPorts(ls); !slices.Equal(got, []int{5000, 7000, 8080, 9090}) {
		t.Errorf("listenPorts = %v", got)
	}
	for port, want := range map[int]bool{5000: false, 7000: false, 8080: true, 9090: true, 1: false} {
		if reachable(ls, port) != want {
			t.Errorf("reachable(%d) = %v, want %v", port, !want, want)
		}
	}
}

func FuzzParseProcNetTCP(f *testing.F) {
	f.Add(readProcNet(f, "tcp"))
	f.Add(readProcNet(f, "tcp6"))
	f.Add([]byte("  sl local\n 0: 0100007F:1F90 0:0 0A 0 0 0 -1\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		ls, err := ParseProcNetTCP(text)
		if err != nil {
			if !errors.Is(err, ErrProcNet) {
				t.Fatalf("error %v does not wrap ErrProcNet", err)
			}
			return
		}
		for _, l := range ls {
			if !l.Addr.IsValid() || l.Port < 0 || l.Port > 65535 || l.UID < 0 {
				t.Fatalf("invalid listener %+v from %q", l, text)
			}
		}
	})
}
