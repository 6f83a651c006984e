// Package format writes check results: text for people, and json, sarif,
// junit, checkstyle and github (workflow annotations) for machines. One file
// per format; every format has a golden-file test.
package format
