package keys

import "strings"

// header is the first line of a PEM block of the given type.
func header(blockType string) string {
	return "-----BEGIN " + blockType + "-----"
}

func isPrivate(s string) bool {
	return strings.Contains(s, "-----BEGIN RSA PRIVATE KEY-----") ||
		strings.Contains(s, "-----BEGIN OPENSSH PRIVATE KEY-----")
}
