package testutil

import (
	"fmt"
	"strings"
)

// BillionLaughs returns head (top-level YAML, such as "apiVersion: v1\n")
// followed by nine levels of nine aliases each under keys x-a..x-i: about
// 400 bytes that expand to 9^9 (387 million) strings when aliases are
// followed. The keys start with x- so compose accepts them as extensions.
func BillionLaughs(head string) string {
	var b strings.Builder
	b.WriteString(head)
	b.WriteString("x-a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		fmt.Fprintf(&b, "x-%s: &%s [%s]\n", n, n, strings.TrimSuffix(strings.Repeat("*"+prev+", ", 9), ", "))
		prev = n
	}
	return b.String()
}
