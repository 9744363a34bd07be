package tui

import (
	"strings"
	"unicode"

	tea "charm.land/bubbletea/v2"
)

// lineInput is a one-line text entry. (bubbles' textinput pulls in a clipboard module
// this project does not carry; the entry needs only typing, paste and deletion.)
type lineInput struct {
	prompt      string
	placeholder string
	value       []rune
	limit       int
	accept      func(rune) bool // nil: any printable rune
}

func (in *lineInput) Value() string     { return string(in.value) }
func (in *lineInput) SetValue(s string) { in.value = nil; in.insert(s) }
func (in *lineInput) Reset()            { in.value = nil }
func (in *lineInput) takes(r rune) bool {
	return unicode.IsPrint(r) && (in.accept == nil || in.accept(r))
}
func (in *lineInput) full() bool { return in.limit > 0 && len(in.value) >= in.limit }

func (in *lineInput) insert(s string) {
	for _, r := range s {
		if in.full() {
			return
		}
		if in.takes(r) {
			in.value = append(in.value, r)
		}
	}
}

// update applies a key or a paste; it reports whether the input used it.
func (in *lineInput) update(msg tea.Msg) bool {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		in.insert(msg.Content)
		return true
	case tea.KeyPressMsg:
		switch msg.String() {
		case "backspace", "ctrl+h":
			if len(in.value) > 0 {
				in.value = in.value[:len(in.value)-1]
			}
			return true
		case "ctrl+u":
			in.value = nil
			return true
		case "ctrl+w":
			s := strings.TrimRight(string(in.value), " ")
			if i := strings.LastIndexAny(s, " -@."); i >= 0 {
				in.value = []rune(s[:i])
			} else {
				in.value = nil
			}
			return true
		}
		if msg.Text != "" && msg.Mod&^tea.ModShift == 0 {
			taken := false
			for _, r := range msg.Text {
				taken = taken || in.takes(r)
			}
			if taken {
				in.insert(msg.Text)
				return true
			}
		}
	}
	return false
}

// View draws the entry; the cursor is a block, or '_' when plain.
func (in *lineInput) View(focused bool, s Styles) string {
	cursor := ""
	if focused {
		cursor = "█"
		if s.Plain {
			cursor = "_"
		}
	}
	if len(in.value) == 0 && in.placeholder != "" {
		return in.prompt + cursor + s.Muted.Render(in.placeholder)
	}
	return in.prompt + string(in.value) + cursor
}
