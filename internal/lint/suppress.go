package lint

import (
	"strings"

	"github.com/shipshape/shipshape/internal/source/dockerfile"
)

// suppressions are the rules that pragmas switch off, for the whole file and
// per instruction (keyed by the instruction's first line).
//
//	# shipshape:ignore DF012 the base image already drops privileges
//	# shipshape:ignore-file DF040
//	# hadolint ignore=DL3008,DL3015
//	# hadolint global ignore=DL3059
type suppressions struct {
	file  map[string]bool
	lines map[int]map[string]bool
}

func (s *suppressions) ignored(id string, line int) bool {
	if s == nil {
		return false
	}
	return s.file[id] || s.lines[line][id]
}

func newSuppressions(f *dockerfile.File) *suppressions {
	s := &suppressions{}
	for _, c := range f.Comments {
		if ids, scope := parsePragma(c.Text); scope == scopeFile {
			s.addFile(ids)
		}
	}
	for _, in := range f.Instructions {
		for _, text := range in.Comments {
			ids, scope := parsePragma(text)
			switch scope {
			case scopeFile:
				s.addFile(ids)
			case scopeNext:
				if s.lines == nil {
					s.lines = map[int]map[string]bool{}
				}
				if s.lines[in.Line] == nil {
					s.lines[in.Line] = map[string]bool{}
				}
				for _, id := range ids {
					s.lines[in.Line][id] = true
				}
			}
		}
	}
	return s
}

// fileSuppressions reads the file-wide pragmas among comment texts.
func fileSuppressions(comments []string) *suppressions {
	s := &suppressions{}
	for _, c := range comments {
		if ids, scope := parsePragma(c); scope == scopeFile {
			s.addFile(ids)
		}
	}
	return s
}

func (s *suppressions) addFile(ids []string) {
	if s.file == nil {
		s.file = map[string]bool{}
	}
	for _, id := range ids {
		s.file[id] = true
	}
}

type pragmaScope int

const (
	scopeNone pragmaScope = iota
	scopeNext
	scopeFile
)

// parsePragma reads one comment (without '#') and returns the rule IDs it
// switches off and for how far.
func parsePragma(text string) ([]string, pragmaScope) {
	text = strings.TrimSpace(text)
	lower := strings.ToLower(text)
	switch {
	case strings.HasPrefix(lower, "shipshape:ignore-file"):
		return ruleRefs(strings.Fields(text[len("shipshape:ignore-file"):])), scopeFile
	case strings.HasPrefix(lower, "shipshape:ignore"):
		return ruleRefs(strings.Fields(text[len("shipshape:ignore"):])), scopeNext
	case strings.HasPrefix(lower, "hadolint"):
		rest := strings.TrimSpace(text[len("hadolint"):])
		scope := scopeNext
		if after, ok := cutPrefixFold(rest, "global"); ok {
			scope = scopeFile
			rest = strings.TrimSpace(after)
		}
		codes, ok := cutPrefixFold(rest, "ignore=")
		if !ok {
			return nil, scopeNone
		}
		codes, _, _ = strings.Cut(codes, " ")
		var ids []string
		for _, code := range strings.Split(codes, ",") {
			for _, r := range ByHadolint(strings.TrimSpace(code)) {
				ids = append(ids, r.Info().ID)
			}
		}
		return ids, scope
	}
	return nil, scopeNone
}

// ruleRefs takes rule IDs and names, separated by spaces or commas, up to the
// first word that is neither: the rest of the comment is the reason.
func ruleRefs(words []string) []string {
	var ids []string
	for _, w := range words {
		found := false
		for _, part := range strings.Split(w, ",") {
			if part == "" {
				continue
			}
			if r, ok := Lookup(part); ok {
				ids = append(ids, r.Info().ID)
				found = true
			}
		}
		if !found {
			break
		}
	}
	return ids
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
		return s[len(prefix):], true
	}
	return s, false
}
