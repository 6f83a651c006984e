package compose

import (
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/shipshape/shipshape/internal/source/compose"
)

// volumeSpec reads a volume as written, short (`./src:/app:ro`) or long form.
func volumeSpec(item compose.Item) (source, target string, readOnly bool) {
	n := item.Node
	switch n.Kind {
	case yaml.ScalarNode:
		parts := strings.Split(n.Value, ":")
		switch len(parts) {
		case 1:
			return "", parts[0], false
		case 2:
			return parts[0], parts[1], false
		default:
			return parts[0], parts[1], strings.Contains(parts[2], "ro") && !strings.Contains(parts[2], "rw")
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			switch n.Content[i].Value {
			case "source":
				source = n.Content[i+1].Value
			case "target":
				target = n.Content[i+1].Value
			case "read_only":
				readOnly = n.Content[i+1].Value == "true"
			}
		}
	}
	return source, target, readOnly
}

// isBindSource reports whether a volume source is a host path rather than a
// named volume.
func isBindSource(src string) bool {
	return strings.HasPrefix(src, "/") || strings.HasPrefix(src, ".") || strings.HasPrefix(src, "~") || strings.HasPrefix(src, "$")
}
