package docker

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// lock takes the deploy lock of service: a second deploy of the same
// service fails at once, saying who holds it. The kernel releases it when
// the process dies, so a killed deploy never leaves it stuck.
func lock(dir, service string) (func(), error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "deploy-"+service+".lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder, _ := os.ReadFile(path)
		f.Close()
		return nil, fmt.Errorf("another deploy of %s is running (%s); wait for it, or run again when it ends", service, strings.TrimSpace(string(holder)))
	}
	_ = f.Truncate(0)
	fmt.Fprintf(f, "pid %d since %s", os.Getpid(), time.Now().UTC().Format(time.RFC3339))
	return func() { _ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN); f.Close() }, nil
}
