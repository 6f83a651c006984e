package proxy

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

// The admin API's JSON, pinned: a deploy of one version drives a running
// proxy of another, so a renamed field or a changed duration format breaks
// releases in the field.
func TestAdminWire_JSONIsPinned(t *testing.T) {
	health := Health{Path: "/healthz", Interval: time.Second, Timeout: 2 * time.Second, Healthy: 1, Unhealthy: 3}
	const healthJSON = `{"path":"/healthz","interval":1000000000,"timeout":2000000000,"healthy_threshold":1,"unhealthy_threshold":3}`
	for _, tc := range []struct {
		name string
		v    any
		json string
	}{
		{"SetServiceRequest", &SetServiceRequest{Health: health, Routes: []ServiceRoute{{Host: "shop.example.com", Prefix: "/"}, {Prefix: "/api"}}},
			`{"health":` + healthJSON + `,"routes":[{"host":"shop.example.com","prefix":"/"},{"prefix":"/api"}]}`},
		{"SetServiceRequest without routes", &SetServiceRequest{Health: health},
			`{"health":` + healthJSON + `,"routes":null}`},
		{"SwitchRequest", &SwitchRequest{Target: "http://10.0.0.5:8080", Timeout: Duration(time.Minute), Drain: Duration(30 * time.Second)},
			`{"target":"http://10.0.0.5:8080","timeout":"1m0s","drain":"30s"}`},
		{"SwitchRequest to replicas", &SwitchRequest{Targets: []string{"http://10.0.0.5:8080", "http://10.0.0.6:8080"}, Timeout: Duration(time.Minute), Drain: Duration(30 * time.Second)},
			`{"targets":["http://10.0.0.5:8080","http://10.0.0.6:8080"],"timeout":"1m0s","drain":"30s"}`},
		{"SetServiceRequest with a balance", &SetServiceRequest{Health: health, Balance: RoundRobin},
			`{"health":` + healthJSON + `,"routes":null,"balance":"round-robin"}`},
		{"CanaryRequest", &CanaryRequest{Targets: []string{"http://10.0.0.7:8080"}, Share: 10, For: Duration(2 * time.Minute), Timeout: Duration(time.Minute),
			Drain: Duration(30 * time.Second), Thresholds: Thresholds{MaxErrorRate: 0.02, MaxP99: 2}},
			`{"targets":["http://10.0.0.7:8080"],"share":10,"for":"2m0s","timeout":"1m0s","drain":"30s","max_error_rate":0.02,"max_p99":2}`},
		{"CanaryResult", &CanaryResult{Promoted: false, Reason: "error rate 20.00%",
			Canary: Stats{Requests: 100, Errors: 20, ConnErrors: 1, P50: Duration(time.Millisecond), P99: Duration(5 * time.Millisecond)},
			Stable: Stats{Requests: 900}, Took: Duration(3 * time.Second)},
			`{"promoted":false,"reason":"error rate 20.00%","canary":{"requests":100,"errors":20,"conn_errors":1,"p50":"1ms","p99":"5ms"},` +
				`"stable":{"requests":900,"errors":0,"conn_errors":0,"p50":"0s","p99":"0s"},"took":"3s"}`},
		{"State with replicas and a canary", &State{Services: []ServiceState{{Name: "shop", Health: health, Balance: LeastRequests,
			Active: "http://10.0.0.6:8080", Healthy: true, Requests: 1000, Failed: 2,
			Targets: []TargetState{{URL: "http://10.0.0.6:8080", Healthy: true, InFlight: 3, Stats: &Stats{Requests: 600, Errors: 2, P50: Duration(time.Millisecond), P99: Duration(4 * time.Millisecond)}},
				{URL: "http://10.0.0.7:8080", Healthy: true, Down: true}},
			Canary: &CanaryState{Share: 10, Started: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC), Until: time.Date(2026, 11, 30, 10, 2, 0, 0, time.UTC),
				Targets: []TargetState{{URL: "http://10.0.0.8:8080", Healthy: true}}}}}},
			`{"routes":null,"services":[{"name":"shop","health":` + healthJSON + `,"balance":"least-requests","active":"http://10.0.0.6:8080","healthy":true,` +
				`"targets":[{"url":"http://10.0.0.6:8080","healthy":true,"in_flight":3,"stats":{"requests":600,"errors":2,"conn_errors":0,"p50":"1ms","p99":"4ms"}},` +
				`{"url":"http://10.0.0.7:8080","healthy":true,"down":true}],` +
				`"canary":{"share":10,"started":"2026-11-30T10:00:00Z","until":"2026-11-30T10:02:00Z","targets":[{"url":"http://10.0.0.8:8080","healthy":true}]},` +
				`"requests":1000,"failed":2}]}`},
		{"Certificates", &Certificates{ACME: true, Certificates: []Certificate{
			{Services: []string{"fallback"}, State: CertNone, LastError: "a route without a host gets no certificate; name the host in the route"},
			{Host: "api.shop.example.com", Services: []string{"api"}, State: CertObtaining, NextAttempt: time.Date(2026, 11, 30, 10, 1, 0, 0, time.UTC),
				LastError: "acme/autocert: no viable challenge type found", LastErrorAt: time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)},
			{Host: "shop.example.com", Services: []string{"shop"}, State: CertRenewalFailing, Serial: "1f", Issuer: "Pebble Intermediate CA 2b1c4f",
				NotBefore: time.Date(2026, 9, 1, 0, 0, 0, 0, time.UTC), NotAfter: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC),
				RenewalDue: time.Date(2026, 10, 31, 0, 0, 0, 0, time.UTC),
				LastError:  "POST https://ca.test/new-order: connection refused", LastErrorAt: time.Date(2026, 11, 1, 0, 30, 0, 0, time.UTC)}}},
			`{"acme":true,"certificates":[` +
				`{"host":"","services":["fallback"],"state":"none","last_error":"a route without a host gets no certificate; name the host in the route"},` +
				`{"host":"api.shop.example.com","services":["api"],"state":"obtaining","next_attempt":"2026-11-30T10:01:00Z",` +
				`"last_error":"acme/autocert: no viable challenge type found","last_error_at":"2026-11-30T10:00:00Z"},` +
				`{"host":"shop.example.com","services":["shop"],"state":"renewal failing","serial":"1f","issuer":"Pebble Intermediate CA 2b1c4f",` +
				`"not_before":"2026-09-01T00:00:00Z","not_after":"2026-11-30T00:00:00Z","renewal_due":"2026-10-31T00:00:00Z",` +
				`"last_error":"POST https://ca.test/new-order: connection refused","last_error_at":"2026-11-01T00:30:00Z"}]}`},
		{"Certificates without --acme", &Certificates{Certificates: []Certificate{}}, `{"acme":false,"certificates":[]}`},
		{"MaintenanceRequest", &MaintenanceRequest{On: true}, `{"on":true}`},
		{"ErrorResponse", &ErrorResponse{Error: `no service "app"`}, `{"error":"no service \"app\""}`},
		{"State", &State{
			Routes: []Route{{Host: "shop.example.com", Prefix: "/", Service: "shop"}},
			Services: []ServiceState{{Name: "shop", Health: health, Active: "http://10.0.0.6:8080", Healthy: true,
				Draining: []string{"http://10.0.0.5:8080"}, Paused: true, Maintenance: true}},
		}, `{"routes":[{"host":"shop.example.com","prefix":"/","service":"shop"}],"services":[{"name":"shop","health":` + healthJSON +
			`,"active":"http://10.0.0.6:8080","healthy":true,"draining":["http://10.0.0.5:8080"],"paused":true,"maintenance":true}]}`},
		{"State of a new proxy", &State{}, `{"routes":null,"services":null}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := json.Marshal(tc.v)
			must(t, err)
			if string(got) != tc.json {
				t.Errorf("encodes as\n%s\nwant\n%s", got, tc.json)
			}
			back := reflect.New(reflect.TypeOf(tc.v).Elem()).Interface()
			must(t, json.Unmarshal([]byte(tc.json), back))
			if !reflect.DeepEqual(back, tc.v) {
				t.Errorf("decodes as %+v, want %+v", back, tc.v)
			}
		})
	}
}

// What earlier clients sent (deploy's map[string]any client, whose keys
// encoding/json sorted, and curl users writing nanoseconds) still decodes.
func TestAdminWire_EarlierClientsDecode(t *testing.T) {
	for _, tc := range []struct {
		name string
		json string
		want any
	}{
		{"switch from the map client", `{"drain":"30s","target":"http://10.0.0.5:8080","timeout":"1m0s"}`,
			&SwitchRequest{Target: "http://10.0.0.5:8080", Timeout: Duration(time.Minute), Drain: Duration(30 * time.Second)}},
		{"switch with nanoseconds", `{"target": "http://10.0.0.5:8080", "drain": 5}`,
			&SwitchRequest{Target: "http://10.0.0.5:8080", Drain: 5}},
		{"service with a route naming its service", `{"health": {"path": "/healthz"}, "routes": [{"host": "a", "prefix": "/x", "service": "app"}]}`,
			&SetServiceRequest{Health: Health{Path: "/healthz"}, Routes: []ServiceRoute{{Host: "a", Prefix: "/x"}}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := reflect.New(reflect.TypeOf(tc.want).Elem()).Interface()
			must(t, json.Unmarshal([]byte(tc.json), got))
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("decodes as %+v, want %+v", got, tc.want)
			}
		})
	}
}
