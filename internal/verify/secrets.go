package verify

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"path"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/moby/moby/client"
)

// AllowSecretLabel is the image label that lists, comma-separated, the
// path globs whose secrets do not fail verify (as --allow-secret does).
const AllowSecretLabel = "dev.shipshape.allow-secret"

// Secret is a secret an image ships: a private key, a token, a credentials
// file, a .git directory. One deleted or replaced by a later layer is still
// shipped, in the layer that added it, and is reported all the same.
type Secret struct {
	Path string `json:"path"`
	Rule string `json:"rule"`
	What string `json:"what"`
	// Match is what matched, redacted: a key's PEM header, a token's
	// well-known prefix, a variable's name. Never the secret itself.
	Match string `json:"match"`
	// Layer counts from 0, the base image's first layer.
	Layer     int    `json:"layer"`
	Digest    string `json:"layer_digest,omitempty"`
	CreatedBy string `json:"created_by,omitempty"`
	// DeletedBy is the later layer that deletes (or, with Replaced,
	// overwrites) the file; 0 when the file is in the final file system.
	DeletedBy int  `json:"deleted_by_layer,omitempty"`
	Replaced  bool `json:"replaced,omitempty"`
	// AllowedBy says why the secret does not fail verify, if it does not.
	AllowedBy string `json:"allowed_by,omitempty"`
}

// String says where the secret is and how it got there, without it.
func (s Secret) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s (%s), layer %d", s.Path, s.What, s.Match, s.Layer)
	if s.Digest != "" {
		fmt.Fprintf(&b, " %s", s.Digest)
	}
	if s.CreatedBy != "" {
		fmt.Fprintf(&b, " `%s`", abbreviate(s.CreatedBy, 80))
	}
	switch {
	case s.DeletedBy > 0 && s.Replaced:
		fmt.Fprintf(&b, "; replaced by layer %d but still shipped in layer %d", s.DeletedBy, s.Layer)
	case s.DeletedBy > 0:
		fmt.Fprintf(&b, "; deleted by layer %d but still shipped in layer %d", s.DeletedBy, s.Layer)
	}
	if s.AllowedBy != "" {
		fmt.Fprintf(&b, "; allowed: %s", s.AllowedBy)
	}
	return b.String()
}

// SecretAllow is a path glob whose secrets do not fail verify, and where
// it comes from (--allow-secret, the image's label).
type SecretAllow struct {
	Glob string
	From string
}

// SecretScan is what ScanSecrets found.
type SecretScan struct {
	Secrets []Secret
	// Failing counts the secrets no glob allows, listed or not.
	Failing int
	// More counts the secrets found beyond maxSecrets, not listed.
	More int
	// Files counts the regular files looked at.
	Files int
	// Incomplete says why the scan stopped early, if it did.
	Incomplete string
}

const (
	// maxSecretFile is the largest file whose content is read; larger
	// ones (archives, databases, bundles) are judged by name only.
	maxSecretFile = 10 << 20
	// secretHead is how much of a file the content rules read.
	secretHead = 1 << 20
	// maxSecrets bounds the report; the rest are counted.
	maxSecrets = 100
	// secretScanTime bounds the scan; a slower one is reported incomplete.
	secretScanTime = 2 * time.Minute
)

// errScanStopped stops the walk when ctx is done.
var errScanStopped = errors.New("secret scan stopped")

// layerScan is what one layer holds that the secret report needs.
type layerScan struct {
	secrets []Secret
	// written holds a hash of every path the layer writes a file (or a
	// link) at, to tell that a later layer replaced a file.
	written []uint64
	// deleted are whiteouts (the path and all below it); opaque are the
	// directories whose earlier contents the layer hides.
	deleted, opaque []string
}

// ScanSecrets reads a `docker save` archive, as ReadSave does, and reports
// the secrets in every layer, deleted later or not, with the layer and the
// instruction that added each (from the image config's history). The walk
// stops when ctx is done; the scan then says it is incomplete.
func ScanSecrets(ctx context.Context, open func() (io.Reader, error), allow []SecretAllow) (*SecretScan, error) {
	man, err := saveManifestOf(open)
	if err != nil {
		return nil, err
	}
	index := map[string][]int{}
	for i, p := range man.Layers {
		index[path.Clean(p)] = append(index[path.Clean(p)], i)
	}

	layers := make([]*layerScan, len(man.Layers))
	var config []byte
	scan := &SecretScan{}
	head := make([]byte, secretHead)
	budget := maxEntries
	err = eachEntry(open, func(h *tar.Header, r io.Reader) (bool, error) {
		name := path.Clean(h.Name)
		if name == path.Clean(man.Config) && h.Typeflag == tar.TypeReg {
			var err error
			config, err = io.ReadAll(io.LimitReader(r, 16<<20))
			return false, err
		}
		at, ok := index[name]
		if !ok || h.Typeflag != tar.TypeReg {
			return false, nil
		}
		l, err := scanLayer(ctx, r, head, &budget, &scan.Files)
		if err != nil && !errors.Is(err, errScanStopped) {
			return true, fmt.Errorf("layer %s: %w", h.Name, err)
		}
		for _, i := range at {
			layers[i] = l // what was read of a stopped layer counts too
		}
		return err != nil, err
	})
	switch {
	case errors.Is(err, errScanStopped):
		scan.Incomplete = fmt.Sprintf("stopped after %d files", scan.Files)
	case err != nil:
		return nil, err
	}
	origins := layerOrigins(config, len(man.Layers))
	var found []Secret
	for i, l := range layers {
		if l == nil {
			if scan.Incomplete == "" {
				return nil, fmt.Errorf("image archive lacks layer %s named in its manifest", man.Layers[i])
			}
			continue
		}
		if first := index[path.Clean(man.Layers[i])][0]; first != i {
			continue // an identical layer again: reported once, where it first ships
		}
		for _, s := range l.secrets {
			s.Layer, s.Digest, s.CreatedBy = i, origins[i].digest, origins[i].createdBy
			s.DeletedBy, s.Replaced = hiddenBy(s.Path, i, layers)
			if s.AllowedBy == "" {
				s.AllowedBy = allowedBy(s.Path, allow)
			}
			if s.AllowedBy == "" {
				scan.Failing++
			}
			found = append(found, s)
		}
	}
	sort.SliceStable(found, func(a, b int) bool {
		if found[a].Layer != found[b].Layer {
			return found[a].Layer < found[b].Layer
		}
		return found[a].Path < found[b].Path
	})
	if len(found) > maxSecrets {
		scan.More = len(found) - maxSecrets
		found = found[:maxSecrets]
	}
	scan.Secrets = found
	return scan, nil
}

// saveManifestOf reads a docker save archive's manifest.json.
func saveManifestOf(open func() (io.Reader, error)) (*saveManifest, error) {
	var man *saveManifest
	err := eachEntry(open, func(h *tar.Header, r io.Reader) (bool, error) {
		if path.Clean(h.Name) != "manifest.json" {
			return false, nil
		}
		var err error
		man, err = readManifest(r)
		return true, err
	})
	if err != nil {
		return nil, err
	}
	if man == nil {
		return nil, errors.New("image archive has no manifest.json")
	}
	return man, nil
}

// readOrigins reads each layer's digest and instruction from a docker save
// archive's manifest and image config.
func readOrigins(open func() (io.Reader, error)) ([]origin, error) {
	man, err := saveManifestOf(open)
	if err != nil {
		return nil, err
	}
	var config []byte
	err = eachEntry(open, func(h *tar.Header, r io.Reader) (bool, error) {
		if path.Clean(h.Name) != path.Clean(man.Config) || h.Typeflag != tar.TypeReg {
			return false, nil
		}
		var err error
		config, err = io.ReadAll(io.LimitReader(r, 16<<20))
		return true, err
	})
	if err != nil {
		return nil, err
	}
	return layerOrigins(config, len(man.Layers)), nil
}

type saveManifest struct {
	Config string
	Layers []string
}

func readManifest(r io.Reader) (*saveManifest, error) {
	var m []saveManifest
	if err := json.NewDecoder(io.LimitReader(r, 16<<20)).Decode(&m); err != nil {
		return nil, fmt.Errorf("image archive manifest.json: %w", err)
	}
	if len(m) != 1 {
		return nil, fmt.Errorf("image archive manifest.json lists %d images, want 1", len(m))
	}
	if m[0].Layers == nil {
		m[0].Layers = []string{}
	}
	return &m[0], nil
}

// origin is where a layer comes from.
type origin struct {
	digest    string // sha256: and 12 hex digits of its diff ID
	createdBy string // the instruction, as the history records it
}

// layerOrigins reads the image config's rootfs and history. History has one
// entry per instruction, and those that made no layer (ENV, USER, LABEL...)
// say empty_layer. When the layers it counts differ from the archive's
// (a squashed or hand-made image), the instructions are left out rather
// than guessed.
func layerOrigins(config []byte, layers int) []origin {
	out := make([]origin, layers)
	var c struct {
		RootFS struct {
			DiffIDs []string `json:"diff_ids"`
		} `json:"rootfs"`
		History []struct {
			CreatedBy  string `json:"created_by"`
			EmptyLayer bool   `json:"empty_layer"`
		} `json:"history"`
	}
	if json.Unmarshal(config, &c) != nil {
		return out
	}
	if len(c.RootFS.DiffIDs) == layers {
		for i, d := range c.RootFS.DiffIDs {
			out[i].digest = d[:min(len(d), len("sha256:")+12)]
		}
	}
	var made []string
	for _, h := range c.History {
		if !h.EmptyLayer {
			made = append(made, instruction(h.CreatedBy))
		}
	}
	if len(made) == layers {
		for i := range out {
			out[i].createdBy = made[i]
		}
	}
	return out
}

// instruction writes a history entry as the Dockerfile line it came from:
// BuildKit records `COPY x /app/ # buildkit` and `RUN /bin/sh -c cmd #
// buildkit`, the classic builder `/bin/sh -c #(nop) COPY ...` and
// `/bin/sh -c cmd` for a RUN.
func instruction(createdBy string) string {
	s := strings.TrimSpace(createdBy)
	s = strings.TrimSpace(strings.TrimSuffix(s, "# buildkit"))
	switch {
	case strings.HasPrefix(s, "/bin/sh -c #(nop) "):
		s = strings.TrimSpace(strings.TrimPrefix(s, "/bin/sh -c #(nop) "))
	case strings.HasPrefix(s, "/bin/sh -c "):
		s = "RUN " + strings.TrimPrefix(s, "/bin/sh -c ")
	case strings.HasPrefix(s, "RUN /bin/sh -c "):
		s = "RUN " + strings.TrimPrefix(s, "RUN /bin/sh -c ")
	}
	return abbreviate(s, 200)
}

// scanLayer walks one layer tar (plain or gzip) with the archive's walker.
func scanLayer(ctx context.Context, r io.Reader, head []byte, budget, files *int) (*layerScan, error) {
	l := &layerScan{}
	gitDirs := map[string]bool{}
	err := eachEntry(func() (io.Reader, error) { return decompressed(r) }, func(h *tar.Header, r io.Reader) (bool, error) {
		if ctx.Err() != nil {
			return true, errScanStopped
		}
		if *budget--; *budget < 0 {
			return true, errors.New("too many files to analyse")
		}
		name := strings.TrimPrefix(path.Clean("/"+h.Name), "/")
		if name == "" {
			return false, nil
		}
		dir, base := path.Split(name)
		dir = strings.TrimSuffix(dir, "/")
		switch {
		case base == ".wh..wh..opq":
			l.opaque = append(l.opaque, dir)
			return false, nil
		case strings.HasPrefix(base, ".wh..wh."):
			return false, nil // other aufs bookkeeping
		case strings.HasPrefix(base, ".wh."):
			l.deleted = append(l.deleted, path.Join(dir, strings.TrimPrefix(base, ".wh.")))
			return false, nil
		}
		if h.Typeflag != tar.TypeDir {
			// A directory entry replaces nothing: a layer that adds a file
			// to /app/.git lists /app/.git too.
			l.written = append(l.written, pathHash(name))
		}
		if h.Typeflag != tar.TypeReg || unscanned(name) {
			return false, nil
		}
		*files++
		if (path.Base(dir) == ".git") && (base == "HEAD" || base == "config") && !gitDirs[dir] {
			gitDirs[dir] = true
			l.secrets = append(l.secrets, Secret{Path: "/" + dir, Rule: gitSecret.id, What: gitSecret.what, Match: "contains " + base})
			return false, nil
		}
		if s, ok := findSecret(name, h.Size, r, head); ok {
			l.secrets = append(l.secrets, s)
		}
		return false, nil
	})
	slices.Sort(l.written)
	return l, err
}

// findSecret applies the rules to one file: to its name, and to the first
// secretHead bytes of a text file no larger than maxSecretFile.
func findSecret(name string, size int64, r io.Reader, head []byte) (Secret, bool) {
	base := path.Base(name)
	n, read, text := 0, false, false
	for _, rule := range secretRules {
		if rule.file != nil && !rule.file(name, base) {
			continue
		}
		hit := ""
		if size > 0 && size <= maxSecretFile {
			if !read {
				n, _ = io.ReadFull(io.LimitReader(r, int64(len(head))), head)
				read, text = true, !isBinary(head[:n])
			}
			if text {
				hit = rule.find(head[:n])
			}
		}
		if hit == "" && rule.byName && size > 0 {
			hit = "file name"
		}
		if hit != "" {
			allowed := knownKeys[name]
			if pkg := npmPackageOf(name); allowed == "" && pkg != "" {
				allowed = "a file npm's registry publishes with package " + pkg + ": public already, not the app's"
			}
			return Secret{Path: "/" + name, Rule: rule.id, What: rule.what, Match: hit, AllowedBy: allowed}, true
		}
	}
	return Secret{}, false
}

// decompressed reads a layer tar that may be gzip-compressed (what an
// engine with the containerd image store saves).
func decompressed(r io.Reader) (io.Reader, error) {
	br := bufio.NewReader(r)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		return gzip.NewReader(br)
	}
	return br, nil
}

func pathHash(p string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(p))
	return h.Sum64()
}

// hiddenBy finds the first layer after the one at i that deletes p (a
// whiteout of it or a directory above it, an opaque directory above it) or
// writes p again.
func hiddenBy(p string, at int, layers []*layerScan) (int, bool) {
	name := strings.TrimPrefix(p, "/")
	h := pathHash(name)
	for j := at + 1; j < len(layers); j++ {
		l := layers[j]
		if l == nil {
			continue
		}
		for _, d := range l.deleted {
			if name == d || strings.HasPrefix(name, d+"/") {
				return j, false
			}
		}
		for _, d := range l.opaque {
			if strings.HasPrefix(name, d+"/") {
				return j, false
			}
		}
		if _, ok := slices.BinarySearch(l.written, h); ok {
			return j, true
		}
	}
	return 0, false
}

// allowedBy says which glob allows the secret at p: one that matches p or a
// directory above it.
func allowedBy(p string, allow []SecretAllow) string {
	for _, a := range allow {
		for q := p; q != "/" && q != "."; q = path.Dir(q) {
			if ok, _ := path.Match(a.Glob, q); ok {
				return fmt.Sprintf("%s %s", a.From, a.Glob)
			}
		}
	}
	return ""
}

// ValidateAllowSecret checks a path glob for --allow-secret or the label.
func ValidateAllowSecret(glob string) error {
	if !strings.HasPrefix(glob, "/") {
		return fmt.Errorf("%q is not an absolute path: write the path in the image, e.g. /app/testdata/*", glob)
	}
	if _, err := path.Match(glob, "/"); err != nil {
		return fmt.Errorf("%q: %v", glob, err)
	}
	return nil
}

// allowFromLabel reads the image's AllowSecretLabel.
func allowFromLabel(labels map[string]string) ([]SecretAllow, error) {
	v, ok := labels[AllowSecretLabel]
	if !ok {
		return nil, nil
	}
	var out []SecretAllow
	for _, g := range strings.Split(v, ",") {
		g = strings.TrimSpace(g)
		if g == "" {
			continue
		}
		if err := ValidateAllowSecret(g); err != nil {
			return nil, fmt.Errorf("image label %s: %v; fix the LABEL in the Dockerfile", AllowSecretLabel, err)
		}
		out = append(out, SecretAllow{Glob: g, From: "label " + AllowSecretLabel})
	}
	return out, nil
}

// secretAllows are the globs whose secrets do not fail: the flags', then
// the image's dev.shipshape.allow-secret label's.
func secretAllows(globs []string, labels map[string]string) ([]SecretAllow, error) {
	allow := make([]SecretAllow, 0, len(globs))
	for _, g := range globs {
		allow = append(allow, SecretAllow{Glob: g, From: "--allow-secret"})
	}
	fromLabel, err := allowFromLabel(labels)
	if err != nil {
		return nil, err
	}
	return append(allow, fromLabel...), nil
}

// Secrets scans an image on the engine for secrets left in its layers, as
// verify does, for a deploy that runs no full verify: the scan's Failing
// counts the secrets no glob (allow, and the image's label) allows.
func Secrets(ctx context.Context, c *client.Client, ref string, allow []string) (*SecretScan, error) {
	img, err := c.ImageInspect(ctx, ref)
	if err != nil {
		return nil, fmt.Errorf("image %s: %v", ref, err)
	}
	var labels map[string]string
	if img.Config != nil {
		labels = img.Config.Labels
	}
	globs, err := secretAllows(allow, labels)
	if err != nil {
		return nil, err
	}
	open, done, err := saveImage(ctx, c, ref)
	if err != nil {
		return nil, err
	}
	defer done()
	scanCtx, cancel := context.WithTimeout(ctx, secretScanTime)
	defer cancel()
	return ScanSecrets(scanCtx, open, globs)
}

// inspectSecrets scans the saved image and adds the secrets check to r: it
// fails on a secret no glob allows, warns when the scan was cut short.
func inspectSecrets(ctx context.Context, ref string, open func() (io.Reader, error), labels map[string]string, opts Options, r *Report) error {
	allow, err := secretAllows(opts.AllowSecrets, labels)
	if err != nil {
		r.add("secrets", false, "%v", err)
		return nil
	}
	scanCtx, cancel := context.WithTimeout(ctx, secretScanTime)
	defer cancel()
	scan, err := ScanSecrets(scanCtx, open, allow)
	if err != nil {
		return fmt.Errorf("%s: %v", ref, err)
	}
	if ctx.Err() != nil {
		return ctx.Err() // interrupted, not slow
	}
	if scan.Incomplete != "" {
		scan.Incomplete = fmt.Sprintf("%s: the %v limit ran out", scan.Incomplete, secretScanTime)
	}
	r.Secrets = scan.Secrets
	r.addSecretsCheck(scan)
	return nil
}

func (r *Report) addSecretsCheck(scan *SecretScan) {
	var failing, allowed []string
	var first Secret
	for _, s := range scan.Secrets {
		switch {
		case s.AllowedBy != "":
			allowed = append(allowed, s.Path)
		case len(failing) == 0:
			first = s
			fallthrough
		default:
			failing = append(failing, s.Path)
		}
	}
	var detail string
	switch {
	case scan.Failing == 1 && first.Path != "":
		detail = "shipped in the image: " + first.String()
	case scan.Failing > 0:
		detail = fmt.Sprintf("%d shipped in the image: %s", scan.Failing, listOr(failing, ""))
	default:
		detail = fmt.Sprintf("none in %d files scanned", scan.Files)
	}
	if len(allowed) > 0 {
		detail += fmt.Sprintf("; %d allowed: %s", len(allowed), listOr(allowed, ""))
	}
	switch {
	case scan.Incomplete != "" && scan.Failing == 0:
		// Time ran out, not the image: say what was not read, do not fail.
		r.warn("secrets", false, "scan incomplete (%s); %s", scan.Incomplete, detail)
	case scan.Incomplete != "":
		r.add("secrets", false, "%s; scan incomplete (%s)", detail, scan.Incomplete)
	default:
		r.add("secrets", scan.Failing == 0, "%s", detail)
	}
}
