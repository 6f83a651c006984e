package engine

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// Podman's Docker-compatible API (`podman system service`) answers most of
// what shipshape asks the way Docker does. Where Podman 4.3's answers
// differ, what Podman knows is read from its own libpod API, served on the
// same socket:
//
//   - image inspect leaves the HEALTHCHECK out (the compat handler builds
//     Config from the OCI image config, which has no health check), though
//     Podman keeps it, for images built with --format docker and images
//     loaded from `docker save` alike: libpod's image inspect has it;
//   - container top runs ps(1) inside the container for ps options such
//     as `-eo pid,uid`, which an image without ps (distroless, scratch)
//     fails, and answers an empty 200 the client reads as EOF; Podman's
//     own descriptors (pid,user) read /proc and need nothing in the image;
//   - health checks are run by systemd timers Podman creates per
//     container; on a host without systemd none runs and the container
//     stays "starting" for ever. libpod's healthcheck endpoint runs one.

// podmanComponent is the name Podman's /version gives its component.
const podmanComponent = "Podman Engine"

// libpodPrefix is the libpod API's path; Podman 4 and 5 both serve v4.0.0.
const libpodPrefix = "/v4.0.0/libpod"

// maxLibpodBody bounds what a libpod answer may make us read.
const maxLibpodBody = 4 << 20

var podmanEngines sync.Map // *client.Client → bool

// IsPodman reports whether c's engine is Podman, from the components its
// /version names; asked once per client. An engine that does not answer
// is not taken for Podman (and asked again next time).
func IsPodman(ctx context.Context, c *client.Client) bool {
	if v, ok := podmanEngines.Load(c); ok {
		return v.(bool)
	}
	v, err := c.ServerVersion(ctx, client.ServerVersionOptions{})
	if err != nil {
		return false
	}
	is := false
	for _, comp := range v.Components {
		if comp.Name == podmanComponent {
			is = true
		}
	}
	podmanEngines.Store(c, is)
	return is
}

// InspectImage is the engine's image inspect; on Podman, with the
// HEALTHCHECK the compat endpoint leaves out filled in from libpod.
func InspectImage(ctx context.Context, c *client.Client, ref string) (client.ImageInspectResult, error) {
	img, err := c.ImageInspect(ctx, ref)
	if err != nil || img.Config == nil || img.Config.Healthcheck != nil || !IsPodman(ctx, c) {
		return img, err
	}
	var lp struct {
		Healthcheck json.RawMessage
	}
	if err := libpodJSON(ctx, c, http.MethodGet, "/images/"+url.PathEscape(strings.TrimPrefix(img.ID, "sha256:"))+"/json", &lp); err != nil {
		return img, fmt.Errorf("image %s: reading its HEALTHCHECK from Podman's libpod API: %w", ref, err)
	}
	if len(lp.Healthcheck) > 0 && string(lp.Healthcheck) != "null" {
		if err := json.Unmarshal(lp.Healthcheck, &img.Config.Healthcheck); err != nil {
			return img, fmt.Errorf("image %s: Podman's HEALTHCHECK %s: %w", ref, lp.Healthcheck, err)
		}
	}
	return img, nil
}

// ProcessUsers lists the users the container's processes run as, as the
// container sees them (its /etc/passwd's names resolved to uids where it
// can), sorted and without repeats. On Docker, ps on the engine's host
// gives the uids; on Podman, its pid,user descriptors read from /proc.
func ProcessUsers(ctx context.Context, c *client.Client, id string) ([]string, error) {
	args := []string{"-eo", "pid,uid"}
	podman := IsPodman(ctx, c)
	if podman {
		args = []string{"pid,user"}
	}
	top, err := c.ContainerTop(ctx, id, client.ContainerTopOptions{Arguments: args})
	if err != nil {
		return nil, err
	}
	var names map[string]int
	if podman {
		// Names come from the container's /etc/passwd; a name it lacks
		// (or a container without one) is shown as its uid already.
		if pw, err := ReadFile(ctx, c, id, "/etc/passwd"); err == nil {
			names = passwdUIDs(pw)
		}
	}
	seen := map[string]bool{}
	var users []string
	for _, p := range top.Processes {
		if len(p) != 2 {
			continue
		}
		u := p[1]
		if uid, ok := names[u]; ok {
			u = fmt.Sprint(uid)
		}
		if !seen[u] {
			seen[u] = true
			users = append(users, u)
		}
	}
	sort.Strings(users)
	return users, nil
}

// runHealthcheck has Podman run the container's health check once, as
// its systemd timer would, and record the result in the container's state.
func runHealthcheck(ctx context.Context, c *client.Client, id string) error {
	var ignored json.RawMessage
	return libpodJSON(ctx, c, http.MethodGet, "/containers/"+url.PathEscape(id)+"/healthcheck", &ignored)
}

// healthDue says whether a health check is due that nobody ran: the
// container's interval (Docker's default 30 s when unset), and half a
// second more, has passed since it started or since its last probe ended.
func healthDue(ins container.InspectResponse, now time.Time) bool {
	if ins.Config == nil || ins.Config.Healthcheck == nil || ins.State == nil || !ins.State.Running {
		return false
	}
	interval := ins.Config.Healthcheck.Interval
	if interval <= 0 {
		interval = 30 * time.Second
	}
	last, _ := time.Parse(time.RFC3339Nano, ins.State.StartedAt)
	if h := ins.State.Health; h != nil && len(h.Log) > 0 {
		if end := h.Log[len(h.Log)-1].End; end.After(last) {
			last = end
		}
	}
	return !last.IsZero() && now.Sub(last) >= interval+500*time.Millisecond
}

// libpodJSON sends a request to Podman's libpod API on c's socket and
// decodes the JSON answer into out; an answer other than 2xx is an error
// with Podman's message.
func libpodJSON(ctx context.Context, c *client.Client, method, path string, out any) error {
	resp, err := libpod(ctx, c, method, path, nil)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNoContent {
		return nil
	}
	return json.NewDecoder(io.LimitReader(resp.Body, maxLibpodBody)).Decode(out)
}

// libpod sends a request to Podman's libpod API over c's connection (the
// same socket, tunnel or TLS the Docker client uses).
func libpod(ctx context.Context, c *client.Client, method, path string, body io.Reader) (*http.Response, error) {
	dial := c.Dialer()
	hc := &http.Client{Transport: &http.Transport{
		DialContext:       func(ctx context.Context, _, _ string) (net.Conn, error) { return dial(ctx) },
		DisableKeepAlives: true,
	}}
	req, err := http.NewRequestWithContext(ctx, method, "http://podman"+libpodPrefix+path, body)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		defer resp.Body.Close()
		var e struct {
			Message string `json:"message"`
		}
		raw, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		if json.Unmarshal(raw, &e) != nil || e.Message == "" {
			e.Message = strings.TrimSpace(string(raw))
		}
		return nil, &libpodError{status: resp.StatusCode, method: method, path: path, message: e.Message}
	}
	return resp, nil
}

type libpodError struct {
	status       int
	method, path string
	message      string
}

func (e *libpodError) Error() string {
	return fmt.Sprintf("Podman's %s %s answered %d: %s", e.method, libpodPrefix+e.path, e.status, e.message)
}
