package tui

import (
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// cells is ansi.StringWidth with a fast path for what the screen is mostly made of:
// ASCII, SGR sequences and the few narrow symbols the interface draws (boxes, half
// blocks, marks). Measuring grapheme by grapheme is most of a frame's cost otherwise.
// Anything else (server text, wide or combining characters) is measured in full.
func cells(s string) int {
	n := 0
	for i := 0; i < len(s); {
		b := s[i]
		switch {
		case b == 0x1b && i+1 < len(s) && s[i+1] == '[':
			// A well-formed CSI: parameter bytes, then intermediate bytes, then one
			// final byte; anything else (a parameter after an intermediate, say) is
			// left to the full parser.
			j := i + 2
			for j < len(s) && s[j] >= 0x30 && s[j] <= 0x3f {
				j++
			}
			for j < len(s) && s[j] >= 0x20 && s[j] <= 0x2f {
				j++
			}
			if j >= len(s) || s[j] < 0x40 || s[j] > 0x7e {
				return ansi.StringWidth(s)
			}
			i = j + 1
		case b >= 0x20 && b < 0x7f:
			n++
			i++
		case b >= 0x80:
			r, size := utf8.DecodeRuneInString(s[i:])
			if !narrowSymbol(r) {
				return ansi.StringWidth(s)
			}
			n++
			i += size
		default:
			return ansi.StringWidth(s)
		}
	}
	return n
}

// narrowSymbol is a symbol the interface draws that takes one cell in every terminal.
func narrowSymbol(r rune) bool {
	switch {
	case r >= 0x2500 && r <= 0x259f: // box drawing, block elements
		return true
	case r >= 0x2190 && r <= 0x2193: // arrows
		return true
	}
	switch r {
	case '·', '…', '–', '—', '▶', '▸', '◀', '✓', '✗', '›':
		return true
	}
	return false
}

// cut shortens s to width cells, ending in an ellipsis when it had to cut.
func cut(s string, width int) string {
	if cells(s) <= width {
		return s
	}
	return ansi.Truncate(s, width, "…")
}
