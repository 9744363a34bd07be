package present

import "strings"

// GroupCode writes a link code as people read it: "123 456", "AB3 9KZ"; codes of
// another length are split in two halves when even, and left whole otherwise.
func GroupCode(code string) string {
	n := len(code)
	if n < 6 || n%2 != 0 || strings.ContainsRune(code, ' ') {
		return code
	}
	return code[:n/2] + " " + code[n/2:]
}
