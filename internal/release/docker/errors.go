package docker

import (
	"fmt"

	"github.com/shipshape/shipshape/internal/engine"
)

// serving says what keeps serving while a deploy fails before its switch.
func serving(previous []releaseInfo) string {
	for _, p := range previous {
		if p.running {
			return p.name + " keeps serving"
		}
	}
	return "nothing was serving yet"
}

// engineGone words an engine error: when the engine stopped answering,
// the proxy (a process of its own) still serves the running release, and
// the next deploy removes what this one could not.
func engineGone(err error, doing, serving string) error {
	if !engine.Unreachable(err) {
		if serving != "" {
			return fmt.Errorf("%s: %v; %s", doing, err, serving)
		}
		return fmt.Errorf("%s: %v", doing, err)
	}
	msg := fmt.Sprintf("the container engine stopped answering while %s (%v)", doing, err)
	if serving != "" {
		msg += "; the proxy did not switch: " + serving
	}
	return fmt.Errorf("%s; start the engine again and rerun: the next deploy removes what this one left", msg)
}
