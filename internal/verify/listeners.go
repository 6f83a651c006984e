package verify

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Listener is a TCP socket in the LISTEN state: what a process in the
// container really bound, whatever the image's EXPOSE says.
type Listener struct {
	Addr netip.Addr `json:"address"`
	Port int        `json:"port"`
	// UID owns the socket: the user the listening process runs as.
	UID int `json:"uid"`
}

// Loopback reports whether only the container itself can reach the
// socket: nothing published or proxied ever will.
func (l Listener) Loopback() bool { return l.Addr.IsLoopback() }

func (l Listener) String() string {
	return netip.AddrPortFrom(l.Addr, uint16(l.Port)).String()
}

// ErrProcNet is returned for text that is not /proc/net/tcp or tcp6.
var ErrProcNet = errors.New("not /proc/net/tcp text")

// tcpListen is the kernel's TCP_LISTEN state as /proc/net/tcp prints it.
const tcpListen = "0A"

// A Socket is one line of /proc/net/tcp or tcp6: a TCP socket of the
// container's network namespace, listening, connected or closing.
type Socket struct {
	Local  netip.AddrPort
	Remote netip.AddrPort
	// State is the kernel's state in hex: 01 established, 06 TIME_WAIT,
	// 0A listen.
	State string
	UID   int
}

// ParseProcNetTCP reads the LISTEN sockets from the text of
// /proc/net/tcp or /proc/net/tcp6.
func ParseProcNetTCP(text []byte) ([]Listener, error) {
	socks, err := ParseProcNetSockets(text)
	if err != nil {
		return nil, err
	}
	return listening(socks), nil
}

func listening(socks []Socket) []Listener {
	var out []Listener
	for _, s := range socks {
		if s.State == tcpListen {
			out = append(out, Listener{Addr: s.Local.Addr(), Port: int(s.Local.Port()), UID: s.UID})
		}
	}
	return out
}

// ParseProcNetSockets reads every socket from the text of /proc/net/tcp
// or /proc/net/tcp6 (the address width tells them apart). The kernel
// prints each 32-bit word of an address in host byte order; this assumes
// a little-endian host (amd64, arm64), as every engine shipshape targets
// is. The port is printed big-endian, whatever the host.
func ParseProcNetSockets(text []byte) ([]Socket, error) {
	var out []Socket
	sc := bufio.NewScanner(bytes.NewReader(text))
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	header := true
	for n := 1; sc.Scan(); n++ {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		if header {
			header = false
			if fields[0] != "sl" {
				return nil, fmt.Errorf("%w: line 1 is not the sl local_address ... header", ErrProcNet)
			}
			continue
		}
		// sl local_address rem_address st tx:rx tr:when retrnsmt uid ...
		if len(fields) < 8 || !strings.HasSuffix(fields[0], ":") {
			return nil, fmt.Errorf("%w: line %d has %d fields", ErrProcNet, n, len(fields))
		}
		local, err := parseHexAddrPort(fields[1])
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrProcNet, n, err)
		}
		remote, err := parseHexAddrPort(fields[2])
		if err != nil {
			return nil, fmt.Errorf("%w: line %d: %v", ErrProcNet, n, err)
		}
		uid, err := strconv.Atoi(fields[7])
		if err != nil || uid < 0 {
			return nil, fmt.Errorf("%w: line %d: uid %q", ErrProcNet, n, fields[7])
		}
		out = append(out, Socket{Local: local, Remote: remote, State: fields[3], UID: uid})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrProcNet, err)
	}
	if header {
		return nil, fmt.Errorf("%w: empty", ErrProcNet)
	}
	return out, nil
}

// parseHexAddrPort reads "0100007F:1F90" or a 32-digit IPv6 address
// followed by ":PORT".
func parseHexAddrPort(s string) (netip.AddrPort, error) {
	a, p, ok := strings.Cut(s, ":")
	if !ok || len(p) != 4 {
		return netip.AddrPort{}, fmt.Errorf("address %q is not HEX:PORT", s)
	}
	port, err := strconv.ParseUint(p, 16, 16)
	if err != nil {
		return netip.AddrPort{}, fmt.Errorf("port %q: %v", p, err)
	}
	raw, err := hex.DecodeString(a)
	if err != nil || (len(raw) != 4 && len(raw) != 16) {
		return netip.AddrPort{}, fmt.Errorf("address %q is neither 8 nor 32 hex digits", a)
	}
	// Each 32-bit word is in host (little-endian) order: reverse its bytes.
	var b [16]byte
	for i := 0; i < len(raw); i += 4 {
		binary.BigEndian.PutUint32(b[i:], binary.LittleEndian.Uint32(raw[i:]))
	}
	var addr netip.Addr
	if len(raw) == 4 {
		addr = netip.AddrFrom4([4]byte(b[:4]))
	} else {
		addr = netip.AddrFrom16(b).Unmap()
	}
	return netip.AddrPortFrom(addr, uint16(port)), nil
}

// listenPorts are the distinct ports of ls, in ascending order.
func listenPorts(ls []Listener) []int {
	var ports []int
	for _, l := range ls {
		if !slices.Contains(ports, l.Port) {
			ports = append(ports, l.Port)
		}
	}
	slices.Sort(ports)
	return ports
}

// reachable reports whether something outside the container can connect
// to port: a listener on it that is not bound to loopback only.
func reachable(ls []Listener, port int) bool {
	for _, l := range ls {
		if l.Port == port && !l.Loopback() {
			return true
		}
	}
	return false
}
