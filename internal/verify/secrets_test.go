package verify

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/rand"
	"os"
	"strings"
	"testing"
)

// The secrets below are made at test time from a seeded generator, so the
// repository holds nothing a secret scanner (ours or GitHub's) would flag.

func randomText(seed int64, n int) string {
	const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	r := rand.New(rand.NewSource(seed))
	b := make([]byte, n)
	for i := range b {
		b[i] = alnum[r.Intn(len(alnum))]
	}
	return string(b)
}

func pemKey(kind string) string {
	body := make([]byte, 600)
	rand.New(rand.NewSource(7)).Read(body)
	return string(pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: body}))
}

// awsSecretFor is 40 characters of base64, as AWS writes secret keys.
func awsSecretFor(seed int64) string { return randomText(seed, 38) + "/+" }

// layerEntry is one entry of a synthesized layer tar.
type layerEntry struct {
	name, body string
	dir        bool
}

func layerOf(t testing.TB, entries ...layerEntry) []byte {
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body)), Typeflag: tar.TypeReg}
		if e.dir {
			h.Typeflag, h.Mode, h.Size = tar.TypeDir, 0o755, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// step is one history entry: the instruction and, unless it made no
// layer, the layer it made.
type step struct {
	createdBy string
	layer     []byte // nil: empty_layer
}

// savedImage writes a `docker save` archive of the steps: the classic
// layout (<id>/layer.tar, <id>.json, manifest.json last) or the OCI layout
// newer engines write (blobs/sha256/<digest>), with gzip layers if asked.
func savedImage(t testing.TB, oci, gz bool, steps ...step) []byte {
	type history struct {
		CreatedBy  string `json:"created_by"`
		EmptyLayer bool   `json:"empty_layer,omitempty"`
	}
	var config struct {
		RootFS struct {
			Type    string   `json:"type"`
			DiffIDs []string `json:"diff_ids"`
		} `json:"rootfs"`
		History []history `json:"history"`
	}
	config.RootFS.Type = "layers"
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	add := func(name string, data []byte) {
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(data)
	}
	var paths []string
	for i, s := range steps {
		config.History = append(config.History, history{CreatedBy: s.createdBy, EmptyLayer: s.layer == nil})
		if s.layer == nil {
			continue
		}
		sum := sha256.Sum256(s.layer)
		config.RootFS.DiffIDs = append(config.RootFS.DiffIDs, "sha256:"+hex.EncodeToString(sum[:]))
		data := s.layer
		if gz {
			var z bytes.Buffer
			w := gzip.NewWriter(&z)
			w.Write(s.layer)
			w.Close()
			data = z.Bytes()
		}
		name := fmt.Sprintf("%02d/layer.tar", i)
		if oci {
			sum := sha256.Sum256(data)
			name = "blobs/sha256/" + hex.EncodeToString(sum[:])
		}
		paths = append(paths, name)
		add(name, data)
	}
	cfg, _ := json.Marshal(config)
	cfgName := "config.json"
	if oci {
		sum := sha256.Sum256(cfg)
		cfgName = "blobs/sha256/" + hex.EncodeToString(sum[:])
	}
	add(cfgName, cfg)
	man, _ := json.Marshal([]map[string]any{{"Config": cfgName, "RepoTags": []string{"x:1"}, "Layers": paths}})
	add("manifest.json", man)
	tw.Close()
	return b.Bytes()
}

func scanSecrets(t *testing.T, archive []byte, allow ...SecretAllow) *SecretScan {
	t.Helper()
	scan, err := ScanSecrets(context.Background(), func() (io.Reader, error) { return bytes.NewReader(archive), nil }, allow)
	if err != nil {
		t.Fatal(err)
	}
	return scan
}

func base(t testing.TB) []byte {
	return layerOf(t, layerEntry{name: "etc/passwd", body: "root:x:0:0::/root:/bin/sh\n"}, layerEntry{name: "app/", dir: true})
}

// TestScanSecrets_DeletedByWhiteout: `COPY id_rsa /app/` then `RUN rm
// /app/id_rsa` still ships the key in the COPY's layer.
func TestScanSecrets_DeletedByWhiteout(t *testing.T) {
	key := pemKey("OPENSSH PRIVATE KEY")
	copied := layerOf(t, layerEntry{name: "app/id_rsa", body: key})
	archive := savedImage(t, false, false,
		step{"/bin/sh -c #(nop) ADD file:4a5b in / ", base(t)},
		step{createdBy: "/bin/sh -c #(nop)  CMD [\"bash\"]"},
		step{"COPY id_rsa /app/ # buildkit", copied},
		step{createdBy: "ENV A=1"},
		step{"RUN /bin/sh -c rm /app/id_rsa # buildkit", layerOf(t, layerEntry{name: "app/.wh.id_rsa"})},
	)
	scan := scanSecrets(t, archive)
	sum := sha256.Sum256(copied)
	want := Secret{Path: "/app/id_rsa", Rule: "ssh-private-key-file", What: "SSH private key file", Match: "-----BEGIN OPENSSH PRIVATE KEY-----",
		Layer: 1, Digest: "sha256:" + hex.EncodeToString(sum[:])[:12], CreatedBy: "COPY id_rsa /app/", DeletedBy: 2}
	if len(scan.Secrets) != 1 || scan.Secrets[0] != want {
		t.Fatalf("secrets = %+v\nwant %+v", scan.Secrets, want)
	}
	if scan.Failing != 1 || scan.Incomplete != "" {
		t.Errorf("failing %d, incomplete %q", scan.Failing, scan.Incomplete)
	}
	s := scan.Secrets[0].String()
	for _, w := range []string{"/app/id_rsa", "layer 1 sha256:", "`COPY id_rsa /app/`", "deleted by layer 2 but still shipped in layer 1"} {
		if !strings.Contains(s, w) {
			t.Errorf("%q lacks %q", s, w)
		}
	}
}

// TestScanSecrets_OpaqueDirectory: `RUN rm -rf /app/config && mkdir
// /app/config` writes an opaque directory; the .env below it ships still.
func TestScanSecrets_OpaqueDirectory(t *testing.T) {
	env := "DEBUG=0\nSECRET_KEY=" + randomText(1, 50) + "\n"
	archive := savedImage(t, false, false,
		step{"ADD rootfs.tar /", base(t)},
		step{"COPY . /app # buildkit", layerOf(t, layerEntry{name: "app/config/", dir: true}, layerEntry{name: "app/config/.env", body: env})},
		step{"RUN /bin/sh -c rm -rf /app/config && mkdir /app/config # buildkit", layerOf(t, layerEntry{name: "app/config/", dir: true}, layerEntry{name: "app/config/.wh..wh..opq"})},
	)
	scan := scanSecrets(t, archive)
	if len(scan.Secrets) != 1 {
		t.Fatalf("secrets = %+v", scan.Secrets)
	}
	if s := scan.Secrets[0]; s.Path != "/app/config/.env" || s.Rule != "env-file" || s.Match != "SECRET_KEY=…" || s.Layer != 1 || s.DeletedBy != 2 || s.Replaced {
		t.Errorf("secret = %+v", s)
	}
}

// TestScanSecrets_Replaced: a later layer that writes the file again (an
// .npmrc emptied after npm install) leaves the token in the earlier layer.
func TestScanSecrets_Replaced(t *testing.T) {
	npmrc := "//registry.npmjs.org/:_authToken=npm_" + randomText(2, 36) + "\n"
	archive := savedImage(t, false, false,
		step{"ADD rootfs.tar /", base(t)},
		step{"COPY .npmrc /root/.npmrc # buildkit", layerOf(t, layerEntry{name: "root/.npmrc", body: npmrc})},
		step{"RUN /bin/sh -c npm ci && echo > /root/.npmrc # buildkit", layerOf(t, layerEntry{name: "root/.npmrc", body: "\n"}, layerEntry{name: "app/node_modules/", dir: true})},
	)
	scan := scanSecrets(t, archive)
	if len(scan.Secrets) != 1 {
		t.Fatalf("secrets = %+v", scan.Secrets)
	}
	if s := scan.Secrets[0]; s.Path != "/root/.npmrc" || s.Match != "_authToken=…" || s.DeletedBy != 2 || !s.Replaced ||
		!strings.Contains(s.String(), "replaced by layer 2 but still shipped in layer 1") {
		t.Errorf("secret = %+v", s)
	}
}

// TestScanSecrets_OCILayoutGzip: the OCI layout of newer engines, with
// compressed layers (the containerd image store), and a whiteout of the
// directory above the secret.
func TestScanSecrets_OCILayoutGzip(t *testing.T) {
	token := "ghp_" + randomText(3, 36)
	archive := savedImage(t, true, true,
		step{"ADD rootfs.tar /", base(t)},
		step{"COPY . /src # buildkit", layerOf(t, layerEntry{name: "src/deploy/ci.sh", body: "export GITHUB_TOKEN=" + token + "\n"})},
		step{"RUN /bin/sh -c rm -rf /src/deploy # buildkit", layerOf(t, layerEntry{name: "src/.wh.deploy"})},
	)
	scan := scanSecrets(t, archive)
	if len(scan.Secrets) != 1 {
		t.Fatalf("secrets = %+v", scan.Secrets)
	}
	if s := scan.Secrets[0]; s.Path != "/src/deploy/ci.sh" || s.Rule != "github-token" || s.Match != "ghp_… (40 characters)" ||
		s.CreatedBy != "COPY . /src" || s.DeletedBy != 2 || !strings.HasPrefix(s.Digest, "sha256:") {
		t.Errorf("secret = %+v", s)
	}
}

// TestScanSecrets_Redacted: nothing of a secret past its well-known
// prefix reaches the report, in JSON or text.
func TestScanSecrets_Redacted(t *testing.T) {
	key := pemKey("RSA PRIVATE KEY")
	keyBody := strings.Split(key, "\n")[1]
	var parts []string // the secret parts, past any well-known prefix
	part := func(s string) string { parts = append(parts, s); return s }
	secrets := map[string]string{
		"app/key.pem":    key,
		"app/.env":       "STRIPE_KEY=sk_live_" + part(randomText(4, 30)) + "\nDB_PASSWORD=" + part(randomText(5, 20)) + "\n",
		"app/slack.js":   "const hook = 'https://hooks.slack.com/services/T" + strings.ToUpper(randomText(6, 9)) + "/B" + strings.ToUpper(randomText(7, 9)) + "/" + part(randomText(8, 24)) + "'",
		"app/aws.ini":    "aws_access_key_id = AKIA" + part(strings.ToUpper(randomText(9, 16))) + "\naws_secret_access_key = " + part(awsSecretFor(10)) + "\n",
		"app/google.js":  "key: 'AIza" + part(randomText(11, 35)) + "'",
		"app/slack.json": `{"token": "xoxb-123456789012-` + part(randomText(12, 24)) + `"}`,
	}
	part(keyBody)
	var entries []layerEntry
	for name, body := range secrets {
		entries = append(entries, layerEntry{name: name, body: body})
	}
	scan := scanSecrets(t, savedImage(t, false, false, step{"COPY . /app", layerOf(t, entries...)}))
	if len(scan.Secrets) != len(secrets) {
		t.Fatalf("%d secrets, want %d: %+v", len(scan.Secrets), len(secrets), scan.Secrets)
	}
	report, _ := json.Marshal(scan)
	for _, s := range scan.Secrets {
		report = append(report, s.String()...)
	}
	// Any 8 characters of a secret part would be a leak.
	for _, p := range parts {
		for i := 0; i+8 <= len(p); i += 4 {
			if bytes.Contains(report, []byte(p[i:i+8])) {
				t.Errorf("report contains %q of %q", p[i:i+8], p)
			}
		}
	}
}

// TestScanSecrets_Unscanned: the packages' own fixtures and documentation
// are not the app's secrets; the app's own tests are.
func TestScanSecrets_Unscanned(t *testing.T) {
	key := pemKey("PRIVATE KEY")
	var entries []layerEntry
	for _, p := range []string{
		"usr/share/doc/openssl/demos/server.key",
		"usr/lib/python3/dist-packages/twisted/test/server.pem",
		"usr/local/go/src/crypto/tls/testdata/example-key.pem",
		"usr/local/lib/python3.12/test/keycert.pem",
		"usr/local/lib/python3.12/site-packages/paramiko/tests/test_rsa.key",
		"app/node_modules/ssh2/test/fixtures/id_rsa",
		"app/node_modules/http-signature/http_signing.md",
		"root/go/pkg/mod/golang.org/x/crypto@v0.1.0/ssh/testdata/keys.go",
		"app/vendor/github.com/x/y/testdata/key.pem",
	} {
		entries = append(entries, layerEntry{name: p, body: key})
	}
	entries = append(entries, layerEntry{name: "app/tests/fixtures/server.key", body: key}, layerEntry{name: "app/mod/key.pem", body: key})
	scan := scanSecrets(t, savedImage(t, false, false, step{"COPY . /", layerOf(t, entries...)}))
	var got []string
	for _, s := range scan.Secrets {
		got = append(got, s.Path)
	}
	if strings.Join(got, " ") != "/app/mod/key.pem /app/tests/fixtures/server.key" {
		t.Errorf("secrets at %v, want only the app's own", got)
	}
}

// TestScanSecrets_Allowed: --allow-secret and the label allow by glob or
// directory; Debian's snakeoil key is allowed with the reason.
func TestScanSecrets_Allowed(t *testing.T) {
	key := pemKey("PRIVATE KEY")
	archive := savedImage(t, false, false, step{"RUN apt-get install -y ssl-cert", layerOf(t,
		layerEntry{name: "etc/ssl/private/ssl-cert-snakeoil.key", body: key},
		layerEntry{name: "app/testdata/tls/server.key", body: key},
		layerEntry{name: "app/certs/dev.key", body: key},
		layerEntry{name: "app/certs/prod.key", body: key},
	)})
	allow := []SecretAllow{{Glob: "/app/testdata", From: "--allow-secret"}, {Glob: "/app/certs/dev.*", From: "label " + AllowSecretLabel}}
	scan := scanSecrets(t, archive, allow...)
	got := map[string]string{}
	for _, s := range scan.Secrets {
		got[s.Path] = s.AllowedBy
	}
	if got["/app/testdata/tls/server.key"] != "--allow-secret /app/testdata" || got["/app/certs/dev.key"] != "label dev.shipshape.allow-secret /app/certs/dev.*" ||
		!strings.HasPrefix(got["/etc/ssl/private/ssl-cert-snakeoil.key"], "Debian's ssl-cert snakeoil key") || got["/app/certs/prod.key"] != "" {
		t.Errorf("allowed = %q", got)
	}
	if scan.Failing != 1 {
		t.Errorf("failing = %d, want 1 (prod.key)", scan.Failing)
	}
}

// TestScanSecrets_GitDirectory: one report per .git directory; a later
// layer that adds a file to it (and so lists the directory) replaces
// nothing.
func TestScanSecrets_GitDirectory(t *testing.T) {
	archive := savedImage(t, false, false, step{"COPY . /app", layerOf(t,
		layerEntry{name: "app/.git/", dir: true},
		layerEntry{name: "app/.git/HEAD", body: "ref: refs/heads/main\n"},
		layerEntry{name: "app/.git/config", body: "[core]\n"},
		layerEntry{name: "app/.git/objects/ab/cdef", body: "x"},
		layerEntry{name: "app/.gitignore", body: "node_modules\n"},
	)}, step{"RUN git gc", layerOf(t, layerEntry{name: "app/.git/", dir: true}, layerEntry{name: "app/.git/packed-refs", body: "x"})})
	scan := scanSecrets(t, archive)
	if len(scan.Secrets) != 1 {
		t.Fatalf("secrets = %+v", scan.Secrets)
	}
	if s := scan.Secrets[0]; s.Path != "/app/.git" || s.Rule != "git-directory" || s.Match != "contains HEAD" || s.DeletedBy != 0 {
		t.Errorf("secret = %+v", s)
	}
}

// TestScanSecrets_Stopped: a scan cut short by its deadline is reported
// incomplete, not as an error and not as clean.
func TestScanSecrets_Stopped(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	archive := savedImage(t, false, false, step{"COPY . /app", layerOf(t, layerEntry{name: "app/a", body: "x"})})
	scan, err := ScanSecrets(ctx, func() (io.Reader, error) { return bytes.NewReader(archive), nil }, nil)
	if err != nil || scan.Incomplete == "" {
		t.Errorf("scan = %+v, err %v", scan, err)
	}
}

func TestScanSecrets_Errors(t *testing.T) {
	var empty bytes.Buffer
	tar.NewWriter(&empty).Close()
	missing := savedImage(t, false, false, step{"COPY . /app", layerOf(t, layerEntry{name: "a", body: "x"})})
	missing = bytes.Replace(missing, []byte(`"00/layer.tar"`), []byte(`"01/layer.tar"`), 1)
	for name, data := range map[string][]byte{
		"not a tar":     []byte("hello"),
		"no manifest":   empty.Bytes(),
		"missing layer": missing,
	} {
		if _, err := ScanSecrets(context.Background(), func() (io.Reader, error) { return bytes.NewReader(data), nil }, nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestLayerOrigins(t *testing.T) {
	config := `{"rootfs":{"diff_ids":["sha256:aaaaaaaaaaaaaaaaaaaa","sha256:bbbbbbbbbbbbbbbbbbbbbbbb","short"]},"history":[
		{"created_by":"/bin/sh -c #(nop) ADD file:4a5b in / "},
		{"created_by":"/bin/sh -c #(nop)  CMD [\"bash\"]","empty_layer":true},
		{"created_by":"WORKDIR /app","comment":"buildkit.dockerfile.v0"},
		{"created_by":"USER 65532","empty_layer":true},
		{"created_by":"/bin/sh -c apt-get update"}]}`
	got := layerOrigins([]byte(config), 3)
	want := []origin{{"sha256:aaaaaaaaaaaa", "ADD file:4a5b in /"}, {"sha256:bbbbbbbbbbbb", "WORKDIR /app"}, {"short", "RUN apt-get update"}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("origins = %v\nwant %v", got, want)
	}
	// History that counts other layers than the archive's is not guessed from.
	for _, n := range []int{2, 4} {
		for _, o := range layerOrigins([]byte(config), n) {
			if o != (origin{}) {
				t.Errorf("%d layers: %v", n, o)
			}
		}
	}
	if len(layerOrigins([]byte("not json"), 2)) != 2 {
		t.Error("no origins for a broken config")
	}
}

func TestInstruction(t *testing.T) {
	for in, want := range map[string]string{
		"COPY id_rsa /app/ # buildkit":               "COPY id_rsa /app/",
		"RUN /bin/sh -c rm /app/id_rsa # buildkit":   "RUN rm /app/id_rsa",
		"/bin/sh -c #(nop) COPY file:ab12 in /app/ ": "COPY file:ab12 in /app/",
		"/bin/sh -c rm /app/id_rsa":                  "RUN rm /app/id_rsa",
		"RUN |1 V=2 /bin/sh -c make # buildkit":      "RUN |1 V=2 /bin/sh -c make",
		"":                                           "",
	} {
		if got := instruction(in); got != want {
			t.Errorf("instruction(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAllowFromLabel(t *testing.T) {
	got, err := allowFromLabel(map[string]string{AllowSecretLabel: " /app/testdata/* , /etc/ssl/private,"})
	if err != nil || len(got) != 2 || got[0].Glob != "/app/testdata/*" || got[1].Glob != "/etc/ssl/private" {
		t.Errorf("got %+v, %v", got, err)
	}
	for _, bad := range []string{"app/testdata", "/app/[", ""} {
		if _, err := allowFromLabel(map[string]string{AllowSecretLabel: bad + ",/x"}); (err == nil) != (bad == "") {
			t.Errorf("%q: err %v", bad, err)
		}
	}
	if err := ValidateAllowSecret("/app/[x"); err == nil {
		t.Error("bad pattern accepted")
	}
}

func TestReport_SecretsCheck(t *testing.T) {
	failing := Secret{Path: "/app/id_rsa", What: "SSH private key file", Match: "file name", Layer: 1, CreatedBy: "COPY id_rsa /app/", DeletedBy: 2}
	allowed := Secret{Path: "/etc/ssl/private/k", AllowedBy: "--allow-secret /etc/ssl/private"}
	for _, c := range []struct {
		name            string
		scan            SecretScan
		passed, warning bool
		detail          string
	}{
		{"clean", SecretScan{Files: 12}, true, false, "none in 12 files scanned"},
		{"one", SecretScan{Secrets: []Secret{failing}, Failing: 1}, false, false, "shipped in the image: /app/id_rsa: SSH private key file (file name), layer 1 `COPY id_rsa /app/`; deleted by layer 2 but still shipped in layer 1"},
		{"allowed", SecretScan{Secrets: []Secret{allowed}, Files: 3}, true, false, "none in 3 files scanned; 1 allowed: /etc/ssl/private/k"},
		{"two", SecretScan{Secrets: []Secret{failing, allowed, {Path: "/app/.env"}}, Failing: 2}, false, false, "2 shipped in the image: /app/id_rsa, /app/.env; 1 allowed: /etc/ssl/private/k"},
		{"slow", SecretScan{Files: 9, Incomplete: "stopped after 9 files: the 2m0s limit ran out"}, false, true, "scan incomplete (stopped after 9 files: the 2m0s limit ran out); none in 9 files scanned"},
		{"slow, found", SecretScan{Secrets: []Secret{{Path: "/a"}, {Path: "/b"}}, Failing: 2, Incomplete: "stopped"}, false, false, "2 shipped in the image: /a, /b; scan incomplete (stopped)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := &Report{}
			r.addSecretsCheck(&c.scan)
			got := r.Checks[0]
			if got.Name != "secrets" || got.Passed != c.passed || got.Warning != c.warning || got.Detail != c.detail {
				t.Errorf("check = %+v\nwant passed %v warning %v %q", got, c.passed, c.warning, c.detail)
			}
		})
	}
}

func FuzzScanSecrets(f *testing.F) {
	f.Add(savedImage(f, false, false, step{"COPY . /app", layerOf(f, layerEntry{name: "app/.env", body: "TOKEN=abc\n"})},
		step{"RUN rm", layerOf(f, layerEntry{name: "app/.wh..env"}, layerEntry{name: "x/.wh..wh..opq"})}))
	f.Add(savedImage(f, true, true, step{"COPY . /app", layerOf(f, layerEntry{name: "app/id_rsa", body: "k"})}))
	f.Add([]byte("not a tar"))
	f.Fuzz(func(t *testing.T, data []byte) {
		scan, err := ScanSecrets(context.Background(), func() (io.Reader, error) { return bytes.NewReader(data), nil }, nil)
		if err == nil && scan == nil {
			t.Fatal("nil scan without an error")
		}
	})
}

func FuzzLayerOrigins(f *testing.F) {
	f.Add([]byte(`{"rootfs":{"diff_ids":["sha256:ab"]},"history":[{"created_by":"RUN x # buildkit"},{"empty_layer":true}]}`), 1)
	f.Add([]byte(`{"history":[{"created_by":"/bin/sh -c #(nop) "}]}`), 1)
	f.Fuzz(func(t *testing.T, config []byte, layers int) {
		if layers < 0 || layers > 1000 {
			return
		}
		if got := layerOrigins(config, layers); len(got) != layers {
			t.Fatalf("%d origins for %d layers", len(got), layers)
		}
	})
}

// A key an npm package publishes (xmlrpc 1.3.2's tmp/server.key, as the
// registry serves it; uptime-kuma's image carries it) is reported and
// allowed; the same key in a build's cache under node_modules, or the
// app's own, fails.
func TestScanSecrets_NpmPublishedKeyAllowed(t *testing.T) {
	key, err := os.ReadFile("testdata/npm-xmlrpc-1.3.2/server.key")
	if err != nil {
		t.Fatal(err)
	}
	scan := scanSecrets(t, savedImage(t, false, false, step{"COPY . /", layerOf(t,
		layerEntry{name: "app/node_modules/xmlrpc/tmp/server.key", body: string(key)},
		layerEntry{name: "app/node_modules/.cache/build/server.key", body: string(key)},
		layerEntry{name: "app/server.key", body: string(key)})}))
	allowed := map[string]string{}
	for _, s := range scan.Secrets {
		allowed[s.Path] = s.AllowedBy
	}
	if len(allowed) != 3 || !strings.Contains(allowed["/app/node_modules/xmlrpc/tmp/server.key"], "package xmlrpc") ||
		allowed["/app/node_modules/.cache/build/server.key"] != "" || allowed["/app/server.key"] != "" || scan.Failing != 2 {
		t.Errorf("secrets %v (failing %d): want xmlrpc's allowed, the cache's and the app's failing", allowed, scan.Failing)
	}
}
