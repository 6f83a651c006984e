// Package proxycmd is the command line of the proxy verb: its flags, the
// checks on them, and the proxy (internal/proxy) they start.
//
// shipshape's command line (internal/cli) mounts it as `shipshape proxy`,
// with install and upgrade below it; cmd/shipshape-proxy runs it alone, as
// the binary of the proxy's image. That binary holds the proxy and nothing
// else of shipshape: with the rest mapped in (Kubernetes and Helm clients,
// the linters), the proxy's peak memory at 1,000 clients was twice its own
// (docs/performance.md). So this package imports internal/proxy, cobra and
// the standard library only, and a test in cmd/shipshape-proxy keeps it so.
package proxycmd
