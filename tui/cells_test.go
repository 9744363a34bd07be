package tui

import (
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestCellsMeasuresAsStringWidth(t *testing.T) {
	for _, s := range []string{"", "plain", "\x1b[1;38;2;1;2;3mbold\x1b[m", "▀▄█ ┃━╭ ↑↓←→ · … – — ▶ ▸ ◀ ✓ ✗ ›",
		"é", "日本", "😀", "e\u0301", "a\tb", "\x1b]8;;http://x\x07link\x1b]8;;\x07", "ок"} {
		if got, want := cells(s), ansi.StringWidth(s); got != want {
			t.Errorf("cells(%q) = %d, ansi.StringWidth = %d", s, got, want)
		}
	}
}

func FuzzCells(f *testing.F) {
	f.Add("▸ [x] \x1b[7m(this device)\x1b[m")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := cells(s), ansi.StringWidth(s); got != want {
			t.Fatalf("cells(%q) = %d, ansi.StringWidth = %d", s, got, want)
		}
	})
}
