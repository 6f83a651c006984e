// Package kube loads Kubernetes manifests: multi-document YAML decoded
// strictly into the typed API (an unknown field such as `livenessprobe:` is
// reported, not ignored), with the YAML nodes kept so that every finding
// names the file, line and column it comes from. Kinds outside the built-in
// API (CRDs) are kept as unknown and noted.
package kube
