// Package proxy holds the PX rules for reverse-proxy configuration: nginx
// (includes followed, inheritance between http, server and location blocks
// as nginx applies it). Fixtures live in testdata/<ID>/ as fire*.nginx.conf
// and nofire*.nginx.conf, or directories holding an nginx.conf.
package proxy
