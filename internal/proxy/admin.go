package proxy

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/shipshape/shipshape/internal/atomicfile"
)

// Admin is the proxy's control API:
//
//	GET  /v1/state                          State
//	GET  /v1/certificates                   Certificates (with --acme: each routed host's)
//	PUT  /v1/services/{name}                SetServiceRequest, answers State
//	POST /v1/services/{name}/switch         SwitchRequest, answers State (409: a target never turned healthy)
//	POST /v1/services/{name}/canary         CanaryRequest, answers CanaryResult once promoted or aborted
//	                                        (409: a target never turned healthy, or a canary is under way)
//	POST /v1/services/{name}/pause | resume no body, answers State
//	POST /v1/services/{name}/maintenance    MaintenanceRequest, answers State
//	GET  /metrics                           Prometheus text format
//	GET  /debug/pprof/...                   Go profiles
//
// A refused call answers ErrorResponse. Client makes these calls.
//
// On a unix socket the socket's permissions are the access control; on TCP
// every call needs "Authorization: Bearer TOKEN".
type Admin struct {
	Proxy *Proxy
	Token string // required when not empty
	// certs answers /v1/certificates (nil: no --acme, none).
	certs *certManager
}

// SetServiceRequest creates or updates a service (PUT /v1/services/{name}).
type SetServiceRequest struct {
	Health Health         `json:"health"`
	Routes []ServiceRoute `json:"routes"` // none: every host, every path
	// Balance spreads requests over a release's replicas from the next
	// switch on (empty: least-requests).
	Balance Balance `json:"balance,omitempty"`
}

// ServiceRoute is a route of the service named in the request's path.
type ServiceRoute struct {
	Host   string `json:"host,omitempty"`   // empty: any host
	Prefix string `json:"prefix,omitempty"` // empty: "/"
}

// SwitchRequest makes Target, or Targets (a release's replicas), the
// service's active targets once every one passes its health check (POST
// /v1/services/{name}/switch); the previous ones drain.
type SwitchRequest struct {
	Target  string   `json:"target,omitempty"`  // e.g. http://172.18.0.5:8080
	Targets []string `json:"targets,omitempty"` // or several
	Timeout Duration `json:"timeout"`           // for the targets to turn healthy (0: 60 s)
	Drain   Duration `json:"drain"`             // for requests on the previous targets (0: 30 s)
}

// targets are the request's targets, Target first.
func (r SwitchRequest) targets() []string {
	if r.Target == "" {
		return r.Targets
	}
	return append([]string{r.Target}, r.Targets...)
}

// MaintenanceRequest turns maintenance on or off
// (POST /v1/services/{name}/maintenance).
type MaintenanceRequest struct {
	On bool `json:"on"`
}

// ErrorResponse is the answer to a refused call.
type ErrorResponse struct {
	Error string `json:"error"`
}

func (a *Admin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if a.Token != "" {
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), []byte(a.Token)) != 1 {
			w.Header().Set("WWW-Authenticate", "Bearer")
			writeJSON(w, http.StatusUnauthorized, ErrorResponse{Error: "missing or wrong bearer token"})
			return
		}
	}
	path := strings.TrimSuffix(r.URL.Path, "/")
	switch {
	case path == "/metrics" && r.Method == http.MethodGet:
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		a.Proxy.WriteMetrics(w)
	case strings.HasPrefix(r.URL.Path, "/debug/pprof/"):
		// Profiles, for the same callers as the rest of the API.
		switch strings.TrimPrefix(r.URL.Path, "/debug/pprof/") {
		case "profile":
			pprof.Profile(w, r)
		case "trace":
			pprof.Trace(w, r)
		default:
			pprof.Index(w, r)
		}
	case path == "/v1/state" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, a.Proxy.State())
	case path == "/v1/certificates" && r.Method == http.MethodGet:
		writeJSON(w, http.StatusOK, a.certs.status(time.Now()))
	case strings.HasPrefix(path, "/v1/services/"):
		a.service(w, r, strings.TrimPrefix(path, "/v1/services/"))
	default:
		writeJSON(w, http.StatusNotFound, ErrorResponse{Error: "no such endpoint: " + r.Method + " " + r.URL.Path})
	}
}

func (a *Admin) service(w http.ResponseWriter, r *http.Request, rest string) {
	name, action, _ := strings.Cut(rest, "/")
	var err error
	status := http.StatusOK
	r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
	switch {
	case action == "" && r.Method == http.MethodPut:
		var body SetServiceRequest
		if err = json.NewDecoder(r.Body).Decode(&body); err == nil {
			routes := make([]Route, len(body.Routes))
			for i, sr := range body.Routes {
				routes[i] = Route{Host: sr.Host, Prefix: sr.Prefix}
			}
			err = a.Proxy.SetService(name, body.Health, routes)
		}
		if err == nil {
			err = a.Proxy.SetBalance(name, body.Balance)
		}
	case action == "switch" && r.Method == http.MethodPost:
		var body SwitchRequest
		if err = json.NewDecoder(r.Body).Decode(&body); err == nil {
			timeout, drain := time.Duration(body.Timeout), time.Duration(body.Drain)
			if timeout <= 0 {
				timeout = 60 * time.Second
			}
			if drain <= 0 {
				drain = 30 * time.Second
			}
			ctx, cancel := context.WithTimeout(r.Context(), timeout)
			err = a.Proxy.SwitchTargets(ctx, name, body.targets(), drain)
			cancel()
			if err != nil {
				status = http.StatusConflict
			}
		}
	case action == "canary" && r.Method == http.MethodPost:
		var body CanaryRequest
		if err = json.NewDecoder(r.Body).Decode(&body); err != nil {
			break
		}
		res, cerr := a.Proxy.Canary(r.Context(), name, body)
		if cerr == nil {
			writeJSON(w, http.StatusOK, res)
			return
		}
		err, status = cerr, http.StatusConflict
		if !errors.Is(cerr, ErrNotHealthy) && !errors.Is(cerr, ErrBusy) {
			status = http.StatusBadRequest
		}
	case action == "pause" && r.Method == http.MethodPost:
		err = a.Proxy.Pause(name)
	case action == "resume" && r.Method == http.MethodPost:
		err = a.Proxy.Resume(name)
	case action == "maintenance" && r.Method == http.MethodPost:
		var body MaintenanceRequest
		if err = json.NewDecoder(r.Body).Decode(&body); err == nil {
			err = a.Proxy.Maintenance(name, body.On)
		}
	default:
		writeJSON(w, http.StatusNotFound, ErrorResponse{Error: "no such endpoint: " + r.Method + " " + r.URL.Path})
		return
	}
	if err != nil {
		if status == http.StatusOK {
			status = http.StatusBadRequest
		}
		writeJSON(w, status, ErrorResponse{Error: err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, a.Proxy.State())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

// Duration is a time.Duration that reads "30s" or nanoseconds from JSON
// and writes "30s".
type Duration time.Duration

func (d Duration) MarshalJSON() ([]byte, error) {
	return json.Marshal(time.Duration(d).String())
}

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		*d = Duration(v)
		return err
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("duration: want \"30s\" or nanoseconds")
	}
	*d = Duration(n)
	return nil
}

// StateFile persists the proxy's state: each change is written to a
// temporary file beside it and renamed over it, so a crash leaves the old
// state or the new, never half of one.
type StateFile struct {
	Path string
	mu   sync.Mutex
}

// Save writes st.
func (f *StateFile) Save(st State) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(f.Path), 0o700); err != nil {
		return err
	}
	return atomicfile.Write(f.Path, 0o600, func(w io.Writer) error {
		_, err := w.Write(append(data, '\n'))
		return err
	})
}

// Load reads the saved state; a missing file is an empty state.
func (f *StateFile) Load() (State, error) {
	var st State
	data, err := os.ReadFile(f.Path)
	if os.IsNotExist(err) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	if err := json.Unmarshal(data, &st); err != nil {
		return st, fmt.Errorf("%s: %v (move it aside to start empty)", f.Path, err)
	}
	return st, nil
}
