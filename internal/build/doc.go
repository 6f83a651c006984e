// Package build builds an image from a directory with the docker CLI and
// BuildKit, tagged with the git commit it comes from and labelled with OCI
// metadata, as shipshape build and init --verify do.
package build
