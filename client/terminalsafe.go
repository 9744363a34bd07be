package client

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// TerminalSafe writes a string that came from a server so that a terminal shows it
// and interprets none of it: C0 controls (ESC, CR, LF, BEL, …), DEL, C1 controls,
// bidi overrides and isolates, line and paragraph separators, the BOM and bytes that
// are not UTF-8 become visible escapes (\x1b, \n, \u202e, \xff). A backslash is
// doubled so that the escapes cannot be forged and the text reads back exactly.
//
// It lives here, not in package present, because Explain puts server text in its
// messages and client may import only keystore and assets (DESIGN.md); present
// exposes it to the CLI and the TUI.
func TerminalSafe(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case unsafeRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if c < 0x20 || c == 0x7f || c == '\\' {
				return true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unsafeRune(r) {
			return true
		}
		i += size
	}
	return false
}

// unsafeRune reports the non-ASCII runes a terminal acts on or that reorder or hide
// text: C1 controls, bidi marks, embeddings, overrides and isolates, the line and
// paragraph separators, and the BOM.
func unsafeRune(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x061c, r == 0x200e, r == 0x200f, r == 0xfeff:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x2028, r == 0x2029:
		return true
	}
	return false
}
