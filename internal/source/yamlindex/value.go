package yamlindex

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// Value converts a node to the Go value yaml.v3 would decode it to (maps
// with string keys, slices, scalars), in time linear in its size: yaml.v3's
// own Decode checks each mapping key against every earlier one, so a
// mapping of 40,000 keys took it half a minute. Merge keys (`<<: *base`)
// are applied as YAML defines them: keys written in the mapping win, then
// the merged mappings in order. The node must have passed Overgrown.
func Value(n *yaml.Node) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return nil, nil
		}
		return Value(n.Content[0])
	case yaml.AliasNode:
		if n.Alias == nil {
			return nil, fmt.Errorf("line %d: unknown anchor referenced", n.Line)
		}
		return Value(n.Alias)
	case yaml.SequenceNode:
		out := make([]any, 0, len(n.Content))
		for _, c := range n.Content {
			v, err := Value(c)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		return mapping(n)
	default:
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, err
		}
		return v, nil
	}
}

func mapping(n *yaml.Node) (map[string]any, error) {
	out := make(map[string]any, len(n.Content)/2)
	written := make(map[string]int, len(n.Content)/2)
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.Tag == "!!merge" {
			merges = append(merges, v)
			continue
		}
		key, err := keyOf(k)
		if err != nil {
			return nil, err
		}
		if at, dup := written[key]; dup {
			return nil, fmt.Errorf("line %d: mapping key %q already defined at line %d", k.Line, key, at)
		}
		written[key] = k.Line
		if out[key], err = Value(v); err != nil {
			return nil, err
		}
	}
	for _, m := range merges {
		if err := merge(out, written, m); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// merge adds the keys of a merged mapping (or of each of a sequence of
// them) that are not already there.
func merge(out map[string]any, written map[string]int, m *yaml.Node) error {
	for m.Kind == yaml.AliasNode && m.Alias != nil {
		m = m.Alias
	}
	switch m.Kind {
	case yaml.MappingNode:
		v, err := mapping(m)
		if err != nil {
			return err
		}
		for k, x := range v {
			if _, ok := out[k]; !ok {
				out[k] = x
				written[k] = m.Line
			}
		}
		return nil
	case yaml.SequenceNode:
		for _, c := range m.Content {
			if err := merge(out, written, c); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("line %d: map merge requires map or sequence of maps as the value", m.Line)
}

// keyOf is a mapping key as a string, as JSON needs it. yaml.v3 decodes
// non-string keys into map[any]any, which JSON cannot write either.
func keyOf(k *yaml.Node) (string, error) {
	for k.Kind == yaml.AliasNode && k.Alias != nil {
		k = k.Alias
	}
	if k.Kind != yaml.ScalarNode {
		return "", fmt.Errorf("line %d: invalid map key: a key must be a plain value, not a mapping or list (an unquoted {{ template }}?)", k.Line)
	}
	if k.Tag == "!!null" {
		return "null", nil
	}
	return k.Value, nil
}

// MapValue is the value of key in mapping n, nil when n is not a mapping
// or lacks the key. Aliases, of n or of the value (`build: *build`), are
// followed one step, to the node the anchor names; nothing is expanded.
func MapValue(n *yaml.Node, key string) *yaml.Node {
	n = unalias(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return unalias(n.Content[i+1])
		}
	}
	return nil
}

func unalias(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.AliasNode {
		return n.Alias
	}
	return n
}
