package tui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// FuzzKeysAndPaste types and pastes anything into both devices, at any size: the
// interface must never panic, never draw wider than the terminal, and the code entry
// must hold only what a code can be made of.
func FuzzKeysAndPaste(f *testing.F) {
	f.Add("482 913", "\tenter", 120, 40)
	f.Add("123-456\x1b[A", "lenter\tuy?", 80, 24)
	f.Add("ünïcødé 😀 ١٢٣", "epq]]][[t", 61, 18)
	f.Fuzz(func(t *testing.T, paste, keys string, w, h int) {
		w, h = 20+abs(w)%200, 5+abs(h)%80
		tm := newTestModel(t, w, h, Options{})
		for _, r := range keys {
			switch r {
			case '\t':
				tm.press("tab")
			case '\n', '\r':
				tm.press("enter")
			default:
				send(tm.Model, tea.KeyPressMsg{Code: r, Text: string(r)})
			}
			send(tm.Model, tea.PasteMsg{Content: paste})
		}
		for _, p := range tm.panes {
			if strings.TrimFunc(p.codeIn.Value(), codeRune) != "" || len([]rune(p.codeIn.Value())) > p.codeIn.in.CharLimit {
				t.Fatalf("code entry holds %q", p.codeIn.Value())
			}
		}
		for _, l := range strings.Split(tm.screen(), "\n") {
			if n := ansi.StringWidth(l); n > w {
				t.Fatalf("a line of %d cells in a terminal of %d: %q", n, w, l)
			}
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
