package dockerfile

import (
	"reflect"
	"testing"
)

func TestPorts_ExposesRangesEnvAndFirstExpose(t *testing.T) {
	f := mustParse(t, `FROM debian:bookworm-slim AS base
ENV PORT=8080 MODE=prod
EXPOSE 9000/udp 7000-7002
FROM base
ARG EXTRA=8443
EXPOSE 8080 ${EXTRA}/tcp 70000 80/xyz
`, nil)
	final := f.FinalStage()
	want := map[int]bool{7000: true, 7001: true, 7002: true, 9000: true, 8080: true, 8443: true}
	if got := final.Exposes(); !reflect.DeepEqual(got, want) {
		t.Errorf("Exposes = %v, want %v (invalid 70000 and 80/xyz left out)", got, want)
	}
	if got := PortList(final.Exposes()); got != "7000, 7001, 7002, 8080, 8443, 9000" {
		t.Errorf("PortList = %q", got)
	}
	if in := final.FirstExpose(); in == nil || in.Line != 6 {
		t.Errorf("FirstExpose = %+v, want the final stage's own, line 6", in)
	}
	if keys := final.EnvKeys(); !keys["PORT"] || !keys["MODE"] || len(keys) != 2 {
		t.Errorf("EnvKeys = %v", keys)
	}
	var errs []string
	for _, p := range final.All("EXPOSE")[0].ExposedPorts() {
		errs = append(errs, p.Err)
	}
	if !reflect.DeepEqual(errs, []string{"", "", "ports run from 1 to 65535", "protocol must be tcp, udp or sctp"}) {
		t.Errorf("errors = %q", errs)
	}
}
