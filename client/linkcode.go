package client

import (
	"fmt"
	"strings"
	"unicode"
)

// linkCodeDigits is the length of a link code (spec §3, Link).
const linkCodeDigits = 6

// NormalizeLinkCode turns what a person typed ("123 456", "123-456") into six digits,
// or says what is wrong with it. It never echoes the input: it may be a live code.
func NormalizeLinkCode(input string) (string, error) {
	if len(input) > 64 {
		return "", &InputError{Msg: "That is far too long for a link code: type the 6 digits shown on the phone."}
	}
	var b strings.Builder
	for _, r := range input {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case unicode.IsSpace(r) || r == '-' || r == '‐' || r == '‑' || r == '–' || r == '—':
		default:
			return "", &InputError{Msg: fmt.Sprintf("A link code has only digits (spaces and dashes are fine), not %q: type the 6 digits shown on the phone.", r)}
		}
	}
	switch n := b.Len(); {
	case n == 0:
		return "", &InputError{Msg: "Type the 6-digit link code shown on the phone."}
	case n != linkCodeDigits:
		return "", &InputError{Msg: fmt.Sprintf("A link code has 6 digits, this one has %d: check the code shown on the phone.", n)}
	}
	return b.String(), nil
}
