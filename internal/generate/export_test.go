package generate

// NodePreloads is nodePreloads, for the tests of package generate_test.
var NodePreloads = nodePreloads

// KeepSecretPatterns is keepSecretPatterns, for the tests of package
// generate_test.
var KeepSecretPatterns = keepSecretPatterns
