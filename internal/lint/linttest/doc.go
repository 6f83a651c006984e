// Package linttest makes Dockerfile corpora for benchmarks, fuzzing seeds and
// load tests of `shipshape check`. It is test support: production code never
// imports it.
package linttest
