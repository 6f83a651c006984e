package yamlindex

import (
	"bytes"
	"fmt"

	"gopkg.in/yaml.v3"
)

// aliasAllowance is how much aliases may add to a document beyond ten times
// what it writes, counted in units of a node or 64 bytes of a scalar: room
// for every real use of anchors (shared defaults merged into dozens of
// services), none for a "billion laughs" document, whose few hundred bytes
// expand to hundreds of millions of nodes, nor for a 1 MiB string repeated
// by 3,000 aliases, which is two nodes per alias but 3 GB once decoded.
const aliasAllowance = 100_000

// Overgrown reports whether expanding the aliases of a document would grow
// it past ten times its written size plus aliasAllowance, and if so returns
// the alias at which it passes that bound. It counts without expanding:
// each node's expanded size is computed once, so a document of n nodes costs
// O(n) however deep its aliases nest. Anything that follows aliases (Build,
// decoding into Go values, compose-go) must only see documents for which
// Overgrown is nil.
func Overgrown(doc *yaml.Node) (*yaml.Node, error) {
	written := count(doc, map[*yaml.Node]bool{})
	limit := 10*written + aliasAllowance
	s := &sizer{limit: limit, memo: map[*yaml.Node]int{}, open: map[*yaml.Node]bool{}}
	if s.size(doc) > limit && s.culprit != nil {
		return s.culprit, fmt.Errorf("its aliases would expand it more than tenfold, to over %d nodes or %d MiB "+
			"(nested aliases, a \"billion laughs\" document?); shipshape does not expand it", limit, limit*64>>20)
	}
	return nil, nil
}

// count returns the size written in the document, aliases not followed.
func count(n *yaml.Node, seen map[*yaml.Node]bool) int {
	if n == nil || seen[n] {
		return 0
	}
	seen[n] = true
	total := cost(n)
	for _, c := range n.Content {
		total += count(c, seen)
	}
	return total
}

type sizer struct {
	limit   int
	memo    map[*yaml.Node]int
	open    map[*yaml.Node]bool
	culprit *yaml.Node
}

// size is the node's expanded size, saturating just above the limit so the
// sums cannot overflow. An alias into a node being sized (a cycle) adds
// nothing here; Build reports it.
func (s *sizer) size(n *yaml.Node) int {
	if v, ok := s.memo[n]; ok {
		return v
	}
	if s.open[n] {
		return 0
	}
	s.open[n] = true
	defer delete(s.open, n)
	total := cost(n)
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		total += s.size(n.Alias)
	}
	for _, c := range n.Content {
		total += s.size(c)
		if total > s.limit {
			total = s.limit + 1
			if s.culprit == nil {
				s.culprit = firstAlias(c)
			}
			break
		}
	}
	if total > s.limit {
		total = s.limit + 1
		if s.culprit == nil && n.Kind == yaml.AliasNode {
			s.culprit = n
		}
	}
	s.memo[n] = total
	return total
}

// cost is a node's own size: one, and one more per 64 bytes of its value.
func cost(n *yaml.Node) int {
	return 1 + len(n.Value)/64
}

// firstAlias returns n if it is an alias, or the first alias written under
// it, so that the error points at a line where expansion happens.
func firstAlias(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		return n
	}
	for _, c := range n.Content {
		if a := firstAlias(c); a != nil {
			return a
		}
	}
	return n
}

// OvergrownFile checks every document of a YAML file with Overgrown, for
// readers that hand the bytes to a library which expands aliases itself
// (kustomize). A file that is not YAML is left to that reader's own errors.
func OvergrownFile(data []byte) (line int, err error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		if dec.Decode(&doc) != nil {
			return 0, nil
		}
		if at, err := Overgrown(&doc); err != nil {
			return at.Line, err
		}
	}
}
