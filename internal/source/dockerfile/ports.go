package dockerfile

import (
	"sort"
	"strconv"
	"strings"
)

// ExposedPort is one EXPOSE argument: 8000, 8000/tcp, 7000-7010/udp.
type ExposedPort struct {
	Raw      string // the argument, ARGs expanded
	Low, Hi  int    // the range; Low == Hi for a single port
	Protocol string // tcp, udp or sctp (tcp when not given)
	Err      string // why the argument is invalid, "" when it is valid
}

// ExposedPorts reads the arguments of an EXPOSE instruction. Arguments whose
// value is unknown (unset ARGs) are skipped.
func (in *Instruction) ExposedPorts() []ExposedPort {
	var out []ExposedPort
	for _, arg := range in.Args {
		val, known := in.Expand(arg)
		if !known {
			continue
		}
		p := ExposedPort{Raw: val, Protocol: "tcp"}
		ports, proto, hasProto := strings.Cut(val, "/")
		if hasProto {
			p.Protocol = strings.ToLower(proto)
			if p.Protocol != "tcp" && p.Protocol != "udp" && p.Protocol != "sctp" {
				p.Err = "protocol must be tcp, udp or sctp"
			}
		}
		lo, hi, isRange := strings.Cut(ports, "-")
		var err1, err2 error
		p.Low, err1 = strconv.Atoi(lo)
		p.Hi = p.Low
		if isRange {
			p.Hi, err2 = strconv.Atoi(hi)
		}
		switch {
		case err1 != nil || err2 != nil:
			p.Err = "not a port number"
		case p.Low < 1 || p.Hi > 65535 || p.Hi < p.Low:
			p.Err = "ports run from 1 to 65535"
		}
		out = append(out, p)
	}
	return out
}

// maxRange bounds how many ports of one EXPOSEd range Exposes lists.
const maxRange = 100

// Exposes is the set of valid ports the stage, and the stages it builds on,
// EXPOSE (the first 100 of a range).
func (s *Stage) Exposes() map[int]bool {
	out := map[int]bool{}
	for _, st := range s.Chain() {
		for _, in := range st.All("EXPOSE") {
			for _, p := range in.ExposedPorts() {
				if p.Err == "" {
					for n := p.Low; n <= p.Hi && n-p.Low < maxRange; n++ {
						out[n] = true
					}
				}
			}
		}
	}
	return out
}

// FirstExpose is the first EXPOSE of the stage, or else of the nearest
// stage it builds on that has one; nil when none does.
func (s *Stage) FirstExpose() *Instruction {
	for _, st := range s.Chain() {
		if ins := st.All("EXPOSE"); len(ins) > 0 {
			return ins[0]
		}
	}
	return nil
}

// EnvKeys is the set of variables ENV sets in the stage and the stages it
// builds on.
func (s *Stage) EnvKeys() map[string]bool {
	out := map[string]bool{}
	for _, st := range s.Chain() {
		for _, in := range st.All("ENV") {
			for _, p := range in.Pairs {
				out[p.Key] = true
			}
		}
	}
	return out
}

// PortList formats a set of ports in ascending order: "8000, 8080".
func PortList(ports map[int]bool) string {
	list := make([]int, 0, len(ports))
	for p := range ports {
		list = append(list, p)
	}
	sort.Ints(list)
	out := make([]string, len(list))
	for i, p := range list {
		out[i] = strconv.Itoa(p)
	}
	return strings.Join(out, ", ")
}
