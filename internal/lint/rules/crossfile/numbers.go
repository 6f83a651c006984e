package crossfile

import (
	"strconv"
	"strings"
)

// atoiPrefix reads the number before a /protocol suffix: "8000/tcp" → 8000.
func atoiPrefix(s string) (int, error) {
	n, _, _ := strings.Cut(s, "/")
	return strconv.Atoi(n)
}

func itoa(n int) string { return strconv.Itoa(n) }
