package browser

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
)

// ErrNoChromium: no Chromium to run. Its message says how to install one.
var ErrNoChromium = errors.New("no Chromium found: install Debian's (apt-get install chromium) or point SHIPSHAPE_CHROMIUM at one")

// EnvChromium names the browser to run when set.
const EnvChromium = "SHIPSHAPE_CHROMIUM"

// executables are looked up in PATH in this order: Debian's package first.
var executables = []string{"chromium", "chromium-browser", "chromium-headless-shell", "google-chrome-stable", "google-chrome"}

// Find returns the Chromium to run: $SHIPSHAPE_CHROMIUM when set, else the
// first of chromium, chromium-browser, chromium-headless-shell and
// google-chrome found in PATH.
func Find() (string, error) {
	if p := os.Getenv(EnvChromium); p != "" {
		if _, err := exec.LookPath(p); err != nil {
			return "", fmt.Errorf("%s=%s: %v: %w", EnvChromium, p, err, ErrNoChromium)
		}
		return p, nil
	}
	for _, name := range executables {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", ErrNoChromium
}
