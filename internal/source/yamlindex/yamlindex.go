// Package yamlindex maps dotted paths (services.web.ports.0) to the YAML
// nodes that wrote them, so that findings about a decoded document can name
// the file, line and column they come from, and read the comments around it.
package yamlindex

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Entry is one key (or list item) of a document.
type Entry struct {
	// Key is nil for list items.
	Key, Value *yaml.Node
	Parent     *Entry
}

// Node returns the node to point at: the key, or the item for list items.
func (e *Entry) Node() *yaml.Node {
	if e.Key != nil {
		return e.Key
	}
	return e.Value
}

// Comments returns the comments written on and above the entry and its
// ancestors, without their '#'.
func (e *Entry) Comments() []string {
	var out []string
	for x := e; x != nil; x = x.Parent {
		for _, n := range []*yaml.Node{x.Key, x.Value} {
			if n == nil {
				continue
			}
			for _, c := range []string{n.HeadComment, n.LineComment} {
				for _, line := range strings.Split(c, "\n") {
					if t := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "#")); t != "" {
						out = append(out, t)
					}
				}
			}
		}
	}
	return out
}

// Index maps dotted paths to entries.
type Index map[string]*Entry

// Build indexes every key under root. Aliases are followed so that merged
// anchors (`<<: *defaults`) are found; an alias to a node that is being
// indexed (`&a` containing `*a`) is a cycle, returned as the alias node.
func Build(root *yaml.Node) (Index, *yaml.Node) {
	idx := Index{}
	cyc := idx.add("", root, nil, map[*yaml.Node]bool{})
	return idx, cyc
}

func (idx Index) add(prefix string, n *yaml.Node, parent *Entry, open map[*yaml.Node]bool) *yaml.Node {
	open[n] = true
	defer delete(open, n)
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			if cyc := idx.add(prefix, c, parent, open); cyc != nil {
				return cyc
			}
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			path := k.Value
			if prefix != "" {
				path = prefix + "." + k.Value
			}
			e := &Entry{Key: k, Value: v, Parent: parent}
			idx[path] = e
			if cyc := idx.add(path, v, e, open); cyc != nil {
				return cyc
			}
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			path := prefix + "." + strconv.Itoa(i)
			e := &Entry{Value: item, Parent: parent}
			idx[path] = e
			if cyc := idx.add(path, item, e, open); cyc != nil {
				return cyc
			}
		}
	case yaml.AliasNode:
		if n.Alias != nil {
			if open[n.Alias] {
				return n
			}
			return idx.add(prefix, n.Alias, parent, open)
		}
	}
	return nil
}

// Lookup returns the entry written at a path, given as parts.
func (idx Index) Lookup(path ...string) (*Entry, bool) {
	e, ok := idx[strings.Join(path, ".")]
	return e, ok
}
