package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/shipshape/shipshape/internal/generate"
)

// verifyImages are init --verify's --verify-image substitutions: a
// service image the files name (mysql:8.4.3) replaced, for the
// verification run only, by one the engine has (mariadb:10.11.14). The
// files keep what a user should run; the output says what stood in.
type verifyImages struct {
	// by is the image a substitution names, a repository (mysql) or a
	// full reference (mysql:8.4.3), to what stands in for it.
	by map[string]string
	// order is the flags' order, for deterministic messages.
	order []string
	// used are the names a run substituted.
	used map[string]bool
}

// parseVerifyImages reads --verify-image NAME=IMAGE flags; a malformed
// one, or a name given twice, is a usage error.
func parseVerifyImages(flags []string) (*verifyImages, error) {
	v := &verifyImages{by: map[string]string{}, used: map[string]bool{}}
	for _, f := range flags {
		name, image, ok := strings.Cut(f, "=")
		name, image = strings.TrimSpace(name), strings.TrimSpace(image)
		if !ok || name == "" || image == "" || strings.ContainsAny(name+image, " \t") {
			return nil, usageErrorf("--verify-image %q: use NAME=IMAGE, e.g. mysql=mariadb:10.11.14 (NAME is the image compose.yaml names, with or without its tag)", f)
		}
		if _, dup := v.by[name]; dup {
			return nil, usageErrorf("--verify-image %s is given twice: pass one image for it", name)
		}
		v.by[name] = image
		v.order = append(v.order, name)
	}
	return v, nil
}

// standIn is the image that replaces image in a verification run, and
// whether one does: a substitution for the full reference wins over one
// for its repository.
func (v *verifyImages) standIn(image string) (string, bool) {
	if v == nil {
		return "", false
	}
	for _, key := range []string{image, repository(image)} {
		if s, ok := v.by[key]; ok {
			v.used[key] = true
			return s, true
		}
	}
	return "", false
}

// unused are the substitutions no service of this run named, in the
// flags' order.
func (v *verifyImages) unused() []string {
	if v == nil {
		return nil
	}
	var out []string
	for _, name := range v.order {
		if !v.used[name] {
			out = append(out, name+"="+v.by[name])
		}
	}
	return out
}

// repository is an image reference without its tag or digest:
// mysql:8.4.3 → mysql, registry:5000/team/db:1 → registry:5000/team/db.
func repository(ref string) string {
	if i := strings.Index(ref, "@"); i >= 0 {
		ref = ref[:i]
	}
	if i := strings.LastIndex(ref, ":"); i > strings.LastIndex(ref, "/") {
		ref = ref[:i]
	}
	return ref
}

// substituteDependencies replaces the images of deps that --verify-image
// names, says so on out, and returns what stood in for what
// ("mariadb:10.11.14 standing in for mysql:8.4.3"), for the verdict.
func (v *verifyImages) substituteDependencies(out io.Writer, deps []generate.Dependency) []string {
	var said []string
	for i := range deps {
		d := &deps[i]
		s, ok := v.standIn(d.Image)
		if !ok || s == d.Image {
			continue
		}
		line := s + " standing in for " + d.Image
		fmt.Fprintf(out, "--verify-image: %s (%s) runs from %s for this run only; the files init writes keep %s.\n", d.Alias, d.Image, s, d.Image)
		d.Image = s
		said = appendNew(said, line)
	}
	return said
}

// sayUnused names the substitutions no service used, after every
// service was verified: a misspelt name must not pass unnoticed.
func (v *verifyImages) sayUnused(out io.Writer) {
	if left := v.unused(); len(left) > 0 {
		slices.Sort(left)
		fmt.Fprintf(out, "\n--verify-image %s: no service the app talks to runs that image; nothing was substituted for it.\n", strings.Join(left, ", "))
	}
}
