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
