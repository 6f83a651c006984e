// Package buildinfo says which build of shipshape runs, for both of its
// binaries (shipshape, and shipshape-proxy in the proxy's image): the
// version the linker was given, else what the Go toolchain recorded.
package buildinfo
