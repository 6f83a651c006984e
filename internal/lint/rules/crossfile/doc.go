// Package crossfile holds the XF rules: checks that read several artifacts
// together. These start from a compose project and follow each service's
// build context to its Dockerfile: ports, database paths against volumes,
// forwarded-header trust behind a proxy, volume ownership for non-root users.
// Fixtures are directories with a compose.yaml, a Dockerfile and app files.
package crossfile
