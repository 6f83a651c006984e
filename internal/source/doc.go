// Package source holds the loaders of what check and the release read,
// one subpackage a format (dockerfile, compose, kube, nginx, caddy,
// workflow), each keeping positions so that a finding names its line; and
// KindOf, the one place that decides which of them a file is.
package source
