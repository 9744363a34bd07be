package client

import (
	"fmt"
	"strings"
	"unicode"
)

// Bounds on a link code. The seed calls it "numérique ou alphanumérique" and shows six
// digits; the client assumes neither the length nor digits only.
const (
	minLinkCode = 4
	maxLinkCode = 32
)

// NormalizeLinkCode turns what a person typed ("123 456", "6zj-v85") into the code to
// send: ASCII letters and digits, spaces and dashes dropped, letters kept in the case
// typed (the server decides whether case matters). It never echoes the input: it
// may be a live code.
func NormalizeLinkCode(input string) (string, error) {
	if len(input) > 4*maxLinkCode {
		return "", &InputError{Msg: "That is far too long for a link code: type the code shown on the phone."}
	}
	var b strings.Builder
	for _, r := range input {
		switch {
		case r >= '0' && r <= '9', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		case unicode.IsSpace(r) || r == '-' || r == '‐' || r == '‑' || r == '–' || r == '—':
		case unicode.IsPrint(r):
			return "", &InputError{Msg: fmt.Sprintf("A link code has only letters and digits (spaces and dashes are fine), not %q: type the code shown on the phone.", r)}
		default:
			return "", &InputError{Msg: "A link code has only letters and digits (spaces and dashes are fine): type the code shown on the phone."}
		}
	}
	switch n := b.Len(); {
	case n == 0:
		return "", &InputError{Msg: "Type the link code shown on the phone."}
	case n < minLinkCode || n > maxLinkCode:
		return "", &InputError{Msg: fmt.Sprintf("A link code has %d to %d letters or digits, this one has %d: check the code shown on the phone.", minLinkCode, maxLinkCode, n)}
	}
	return b.String(), nil
}
