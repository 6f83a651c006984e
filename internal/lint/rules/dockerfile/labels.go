package dockerfile

import (
	"net/mail"
	"net/url"
	"regexp"
	"time"

	df "github.com/shipshape/shipshape/internal/source/dockerfile"
)

// finalLabels returns the LABEL pairs in force in the final stage, with the
// instruction each came from; later labels win.
func finalLabels(f *df.File) (map[string]df.Pair, map[string]*df.Instruction) {
	pairs := map[string]df.Pair{}
	where := map[string]*df.Instruction{}
	final := f.FinalStage()
	if final == nil {
		return pairs, where
	}
	chain := final.Chain()
	for i := len(chain) - 1; i >= 0; i-- {
		for _, in := range chain[i].All("LABEL") {
			for _, p := range in.Pairs {
				pairs[p.Key] = p
				where[p.Key] = in
			}
		}
	}
	return pairs, where
}

var (
	semverPattern = regexp.MustCompile(`^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$`)
	hashPattern   = regexp.MustCompile(`^[0-9a-f]{7,40}$`)
	spdxPattern   = regexp.MustCompile(`^[A-Za-z0-9.+-]+( (AND|OR|WITH) [A-Za-z0-9.+-]+)*$`)
)

// labelValueError says why a label value does not fit its schema type, or "".
func labelValueError(typ, value string) string {
	switch typ {
	case "url":
		if u, err := url.Parse(value); err != nil || u.Scheme == "" || u.Host == "" {
			return "is not a URL"
		}
	case "rfc3339":
		if _, err := time.Parse(time.RFC3339, value); err != nil {
			return "is not an RFC 3339 time such as 2024-11-22T10:00:00Z"
		}
	case "semver":
		if !semverPattern.MatchString(value) {
			return "is not a semantic version"
		}
	case "hash":
		if !hashPattern.MatchString(value) {
			return "is not a git commit hash"
		}
	case "spdx":
		if !spdxPattern.MatchString(value) {
			return "is not an SPDX license expression"
		}
	case "email":
		if _, err := mail.ParseAddress(value); err != nil {
			return "is not an email address"
		}
	}
	return ""
}
