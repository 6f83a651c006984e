package generate

// NodePreloads is nodePreloads, for the tests of package generate_test.
var NodePreloads = nodePreloads
