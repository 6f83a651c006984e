package e2e

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dockerrelease "github.com/shipshape/shipshape/internal/release/docker"
)

// browserProjectFile: two web services of seed 002's app behind one proxy,
// each on its own host, the admin released after the shop; the admin's
// PAGE comes from the environment.
const browserProjectFile = `name: %s
services:
  shop:
    image: %s
    environment:
      PROXY_HEADERS: "true"
      VERSION: shop-${RELEASE}
    labels:
      dev.shipshape.deploy: "true"
      dev.shipshape.host: shop.test
    stop_grace_period: 2s
  admin:
    image: %[2]s
    environment:
      PROXY_HEADERS: "true"
      PAGE: ${ADMIN_PAGE:-plain}
      VERSION: admin-${RELEASE}
    depends_on: [shop]
    labels:
      dev.shipshape.deploy: "true"
      dev.shipshape.host: admin.shop.test
    stop_grace_period: 2s
`

// TestDeploy_ProjectSmokeBrowser: deploy --compose without --service and
// --smoke-browser loads each web service's own page (the flag's URL with
// the service's host) in headless Chromium through shipshape proxy over
// HTTPS. Both render and the project is released; then the admin's new
// page has a script that adds a stylesheet over http://, the browser
// blocks it, and the project switches back: admin and shop both serve
// their previous release, the shop (switched first) switched back.
func TestDeploy_ProjectSmokeBrowser(t *testing.T) {
	dir := t.TempDir()
	image := seedAppImage(t)
	chain, key := twoNameCert(t, dir, "shop.test", "admin.shop.test")
	addr, sock := startTLSProxy(t, dir, chain, key)
	_, port, _ := strings.Cut(addr, ":")
	project := fmt.Sprintf("e2ebrowser%d", time.Now().UnixNano()%100000)
	file := filepath.Join(dir, "compose.yaml")
	if err := os.WriteFile(file, []byte(fmt.Sprintf(browserProjectFile, project, image)), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_, _ = exec.Command(docker, "compose", "--project-directory", dir, "--project-name", project, "down", "-v", "--timeout", "2").CombinedOutput()
	})
	for _, s := range []string{"shop", "admin"} {
		removeReleases(t, project+"-"+s)
	}
	deploy := func(release, adminPage string) (int, string) {
		t.Setenv("RELEASE", release)
		t.Setenv("ADMIN_PAGE", adminPage)
		code, out, errOut := shipshape(t, "deploy", "--compose", file, "--proxy", sock, "--window", "1s", "--drain", "1s", "--timeout", "30s",
			"--smoke-browser", "https://shop.test:"+port+"/", "--smoke-resolve", "shop.test:127.0.0.1", "--smoke-trust-cert", chain)
		return code, out + errOut
	}
	running := func(service string) string {
		out, _ := try("ps", "--filter", "label="+dockerrelease.LabelApp+"="+project+"-"+service, "--format", "{{.Label \""+dockerrelease.LabelRelease+"\"}}")
		return strings.TrimSpace(out)
	}

	code, out := deploy("v1", "plain")
	t.Logf("v1:\n%s", out)
	for _, want := range []string{"https://shop.test:" + port + "/ in Chrome/", "https://admin.shop.test:" + port + "/ in Chrome/"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("project v1: exit %d, no browser step for %q\n%s", code, want, out)
		}
	}
	for _, s := range []string{"shop", "admin"} {
		shot := filepath.Join(os.TempDir(), "shipshape-smoke-shop.test-"+port+"-"+project+"-"+s+".png")
		t.Cleanup(func() { os.Remove(shot) })
		if _, err := os.Stat(shot); err != nil || !strings.Contains(out, "screenshot "+shot) {
			t.Errorf("no screenshot of %s's page: %v", s, err)
		}
	}
	shopV1, adminV1 := running("shop"), running("admin")

	code, out = deploy("v2", "js-mixed")
	t.Logf("v2:\n%s", out)
	for _, want := range []string{"failed its browser check through the proxy", "mixed-content stylesheet http://admin.shop.test:" + port + "/static/site.css: blocked",
		project + "-shop switched back to its previous release"} {
		if code != 1 || !strings.Contains(out, want) {
			t.Errorf("project v2 whose admin page loads a stylesheet over http://: exit %d, no %q\n%s", code, want, out)
		}
	}
	if shop, admin := running("shop"), running("admin"); shop != shopV1 || admin != adminV1 {
		t.Errorf("after the failed browser check: shop runs %q, admin %q; want v1's %q and %q", shop, admin, shopV1, adminV1)
	}
}

// twoNameCert writes a self-signed certificate for both names (chain.pem,
// key.pem in dir): the proxy serves both services' hosts with it.
func twoNameCert(t *testing.T, dir string, names ...string) (chain, key string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: names[0]}, DNSNames: names,
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	var pems bytes.Buffer
	_ = pem.Encode(&pems, &pem.Block{Type: "CERTIFICATE", Bytes: der})
	chain, key = filepath.Join(dir, "two-names.pem"), filepath.Join(dir, "two-names-key.pem")
	if err := os.WriteFile(chain, pems.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return chain, key
}
