package kube

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"
)

// loadImage, with o.LoadImage (a node's containerd socket), copies the
// release's image into that containerd's k8s.io namespace before anything
// is applied, as kind load does for kind: a local cluster then needs no
// registry. The image comes from o.ImageArchive (docker save's stream);
// ctr imports it. The pods must not pull it: imagePullPolicy IfNotPresent
// or Never (a tag that is not latest defaults to IfNotPresent).
func (r *rollout) loadImage(ctx context.Context) error {
	o := &r.o
	if o.LoadImage == "" {
		return nil
	}
	if o.ImageArchive == nil {
		return fmt.Errorf("--load-image: no image store to read %s from", r.image)
	}
	t := time.Now()
	archive, err := o.ImageArchive(ctx, r.image)
	if err != nil {
		return fmt.Errorf("--load-image: reading %s from the engine: %v", r.image, err)
	}
	defer archive.Close()
	if err := importImage(ctx, o.LoadImage, archive); err != nil {
		return fmt.Errorf("--load-image: importing %s into the node's containerd at %s: %v", r.image, o.LoadImage, err)
	}
	r.step("load", t, "%s into containerd at %s", r.image, o.LoadImage)
	return nil
}

// importImage runs ctr against the containerd socket sock with the image
// archive on its standard input.
func importImage(ctx context.Context, sock string, archive io.Reader) error {
	if _, err := exec.LookPath("ctr"); err != nil {
		return fmt.Errorf("ctr (containerd's client) is not installed: apt-get install containerd")
	}
	cmd := exec.CommandContext(ctx, "ctr", "-a", strings.TrimPrefix(sock, "unix://"), "-n", "k8s.io", "images", "import", "--all-platforms", "-")
	cmd.Stdin = archive
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%v: %s", err, strings.TrimSpace(out.String()))
	}
	return nil
}
