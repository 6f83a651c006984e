// Package all registers every rule area; import it for its side effect.
package all

import (
	// Cross-file rules (XF).
	_ "github.com/shipshape/shipshape/internal/lint/rules/crossfile"
	// Compose rules (CO).
	_ "github.com/shipshape/shipshape/internal/lint/rules/compose"
	// Dockerfile rules (DF).
	_ "github.com/shipshape/shipshape/internal/lint/rules/dockerfile"
	// Reverse-proxy rules (PX).
	_ "github.com/shipshape/shipshape/internal/lint/rules/proxy"
	// Kubernetes rules (KU).
	_ "github.com/shipshape/shipshape/internal/lint/rules/kube"
	// CI workflow rules (WF).
	_ "github.com/shipshape/shipshape/internal/lint/rules/workflow"
)
