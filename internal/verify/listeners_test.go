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
	f.Add(readProcNet(f, "tcp-beside-db"))
	f.Add([]byte("  sl local\n 0: 0100007F:1F90 0:0 0A 0 0 0 -1\n"))
	f.Fuzz(func(t *testing.T, text []byte) {
		socks, serr := ParseProcNetSockets(text)
		for _, s := range socks {
			if !s.Local.IsValid() || !s.Remote.IsValid() || s.UID < 0 {
				t.Fatalf("invalid socket %+v from %q", s, text)
			}
		}
		ls, err := ParseProcNetTCP(text)
		if (err == nil) != (serr == nil) || len(ls) != len(listening(socks)) {
			t.Fatalf("listeners %v (%v) disagree with sockets %v (%v)", ls, err, socks, serr)
		}
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

func TestParseProcNetSockets_ConnectionToService(t *testing.T) {
	socks, err := ParseProcNetSockets(readProcNet(t, "tcp-beside-db"))
	if err != nil {
		t.Fatal(err)
	}
	if len(socks) != 2 {
		t.Fatalf("%d sockets, want 2: %+v", len(socks), socks)
	}
	conn := socks[1]
	if conn.Local.String() != "192.168.64.3:50062" || conn.Remote.String() != "192.168.64.2:5432" || conn.State != "01" {
		t.Errorf("connection = %+v, want 192.168.64.3:50062 -> 192.168.64.2:5432 established", conn)
	}
	if ls := listening(socks); len(ls) != 1 || ls[0].String() != "127.0.0.11:36995" {
		t.Errorf("listeners = %v, want the engine's DNS server alone", ls)
	}
	db := Service{Alias: "db", Addr: netip.MustParseAddr("192.168.64.2")}
	redis := Service{Alias: "redis", Addr: netip.MustParseAddr("192.168.64.4")}
	if left := unconnected(socks, []Service{db, redis}); len(left) != 1 || left[0] != redis {
		t.Errorf("unconnected = %v, want redis alone", left)
	}
	// A listener's remote side is 0.0.0.0:0, never a service; the DNS
	// server's own address is no connection either.
	dns := Service{Alias: "dns", Addr: netip.MustParseAddr("127.0.0.11")}
	if left := unconnected(socks, []Service{dns}); len(left) != 1 {
		t.Errorf("unconnected = %v, want the listener not counted", left)
	}
}

func TestUnconnected_ClosedConnectionCounts(t *testing.T) {
	// TIME_WAIT (06): the app connected, then closed (a ping at start);
	// tcp6 rows carry IPv4 peers mapped (::ffff:192.168.64.2).
	const header = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	row := "   0: 0000000000000000FFFF00000340A8C0:C38E 0000000000000000FFFF00000240A8C0:1538 06 00000000:00000000 03:00001770 00000000     0        0 0 3 0000000000000000\n"
	socks, err := ParseProcNetSockets([]byte(header + row))
	if err != nil {
		t.Fatal(err)
	}
	db := Service{Alias: "db", Addr: netip.MustParseAddr("192.168.64.2")}
	if left := unconnected(socks, []Service{db}); len(left) != 0 {
		t.Errorf("unconnected = %v, want db connected (TIME_WAIT)", left)
	}
}
