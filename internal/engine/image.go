package engine

import (
	"fmt"
	"regexp"
	"strings"
	"time"

	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	"github.com/moby/moby/api/types/container"
)

// HealthPathLabel on an image names its health route when its
// HEALTHCHECK does not show one (an exec'd binary, say).
const HealthPathLabel = "dev.shipshape.health-path"

// ImageFacts are what verify and deploy read from an image's
// configuration, the same way for both.
type ImageFacts struct {
	// Port is the lowest EXPOSEd TCP port (0: none).
	Port int
	// Healthcheck is the image's HEALTHCHECK (nil: none, or NONE).
	Healthcheck *container.HealthConfig
	// HealthPath is the route the health check requests: the
	// HealthPathLabel, else the URL in the HEALTHCHECK, else /healthz.
	HealthPath string
}

// FactsOf reads an image's configuration (nil: an image with none).
func FactsOf(cfg *dockerspec.DockerOCIImageConfig) ImageFacts {
	if cfg == nil {
		return ImageFacts{HealthPath: HealthPathOf(nil, nil)}
	}
	f := ImageFacts{}
	exposed := make([]string, 0, len(cfg.ExposedPorts))
	for p := range cfg.ExposedPorts {
		exposed = append(exposed, p)
	}
	f.Port = lowestTCP(exposed)
	var test []string
	if hc := cfg.Healthcheck; hc != nil {
		test = hc.Test
		if len(hc.Test) > 0 && hc.Test[0] != "NONE" {
			c := *hc
			f.Healthcheck = &c
		}
	}
	f.HealthPath = HealthPathOf(cfg.Labels, test)
	return f
}

var healthURL = regexp.MustCompile(`https?://(?:127\.0\.0\.1|localhost|\[::1\])(?::\d+)?(/[^\s'"\\]*)`)

// HealthPathOf is the route a health check requests: the HealthPathLabel
// among labels, else the URL in the HEALTHCHECK test, else /healthz.
func HealthPathOf(labels map[string]string, healthcheck []string) string {
	if p := labels[HealthPathLabel]; strings.HasPrefix(p, "/") {
		return p
	}
	if len(healthcheck) > 0 {
		if m := healthURL.FindStringSubmatch(strings.Join(healthcheck, " ")); m != nil {
			return m[1]
		}
	}
	return "/healthz"
}

// FastProbe is hc probed at most every interval: Docker's first probe
// waits a whole interval (10 s and more in most images), and Docker 20.10
// has no start interval, so waiting for "healthy" would measure the
// interval rather than the app.
func FastProbe(hc container.HealthConfig, interval time.Duration) *container.HealthConfig {
	if hc.Interval == 0 || hc.Interval > interval {
		hc.Interval = interval
	}
	hc.StartInterval = 0
	return &hc
}

func lowestTCP(ports []string) int {
	best := 0
	for _, p := range ports {
		num, proto, _ := strings.Cut(p, "/")
		var n int
		if _, err := fmt.Sscanf(num, "%d", &n); err != nil || (proto != "" && proto != "tcp") {
			continue
		}
		if best == 0 || n < best {
			best = n
		}
	}
	return best
}
