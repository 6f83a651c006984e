// Package project is what shipshape reads of an application's own code: the
// routes it serves and the environment variables it requires, with the file
// and line of each. It is a light, regular-expression read of Python, Go and
// JavaScript/TypeScript sources, enough for cross-file checks to tell whether
// a health check calls a route that exists or the deployment provides the
// settings the app cannot start without.
package project
