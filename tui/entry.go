package tui

import (
	"strings"
	"unicode"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// entry is a one-line text entry: bubbles' textinput (cursor movement, word delete,
// paste) with a filter on what it takes, so that a code entry never holds a letter
// it cannot send.
type entry struct {
	in     textinput.Model
	accept func(rune) bool // nil: any printable rune
	upper  bool            // typed letters are kept upper case (link codes)
}

func newEntry(prompt, placeholder string, limit int, accept func(rune) bool, upper bool) entry {
	in := textinput.New()
	in.Prompt, in.Placeholder, in.CharLimit = prompt, placeholder, limit
	km := textinput.DefaultKeyMap()
	// Up/down and tab belong to the screen (other identity, other device); ctrl+v would
	// read the clipboard through an external tool: the terminal's paste works instead.
	km.NextSuggestion, km.PrevSuggestion, km.AcceptSuggestion, km.Paste = key.Binding{}, key.Binding{}, key.Binding{}, key.Binding{}
	in.KeyMap = km
	return entry{in: in, accept: accept, upper: upper}
}

func (e *entry) Value() string     { return e.in.Value() }
func (e *entry) SetValue(s string) { e.in.SetValue(e.filter(s)) }
func (e *entry) Reset()            { e.in.Reset() }
func (e *entry) Focused() bool     { return e.in.Focused() }
func (e *entry) Blur()             { e.in.Blur() }

// Focus gives the entry the keyboard; the cursor does not blink (no timer to drive,
// and a screen reader is not told of a change twice a second).
func (e *entry) Focus() { _ = e.in.Focus() }

func (e *entry) setStyles(s Styles) {
	st := textinput.DefaultStyles(s.Dark)
	st.Cursor.Blink = false
	if s.Plain {
		n := lipgloss.NewStyle()
		st.Focused = textinput.StyleState{Text: n, Placeholder: n, Suggestion: n, Prompt: n}
		st.Blurred = st.Focused
	} else {
		st.Focused.Placeholder, st.Blurred.Placeholder = s.Muted.Style, s.Muted.Style
	}
	e.in.SetStyles(st)
}

func (e *entry) filter(s string) string {
	var b strings.Builder
	for _, r := range s {
		if !unicode.IsPrint(r) || (e.accept != nil && !e.accept(r)) {
			continue
		}
		if e.upper {
			r = unicode.ToUpper(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Update applies a key or a paste to a focused entry; it reports whether the entry
// used it. Typed and pasted text goes through the filter first.
func (e *entry) Update(msg tea.Msg) bool {
	if !e.in.Focused() {
		return false
	}
	switch msg := msg.(type) {
	case tea.PasteMsg:
		e.in, _ = e.in.Update(tea.PasteMsg{Content: e.filter(msg.Content)})
		return true
	case tea.KeyPressMsg:
		if e.editKey(msg) {
			e.in, _ = e.in.Update(msg)
			return true
		}
		if msg.Text == "" || msg.Mod&^tea.ModShift != 0 {
			return false
		}
		text := e.filter(msg.Text)
		if text == "" {
			return false
		}
		e.in, _ = e.in.Update(tea.PasteMsg{Content: text})
		return true
	}
	return false
}

// editKey is whether k moves the cursor or deletes.
func (e *entry) editKey(k tea.KeyPressMsg) bool {
	km := e.in.KeyMap
	for _, b := range []key.Binding{km.CharacterForward, km.CharacterBackward, km.WordForward, km.WordBackward,
		km.DeleteWordBackward, km.DeleteWordForward, km.DeleteAfterCursor, km.DeleteBeforeCursor,
		km.DeleteCharacterBackward, km.DeleteCharacterForward, km.LineStart, km.LineEnd} {
		if key.Matches(k, b) {
			return true
		}
	}
	return false
}

// View draws the entry in width cells; a long value scrolls sideways, never cut.
func (e *entry) View() string { return e.in.View() }

// SetWidth is the room the entry has on screen, set when the screen is laid out.
func (e *entry) SetWidth(width int) {
	e.in.SetWidth(max(1, width-ansi.StringWidth(e.in.Prompt)-1))
}

// codeRune is what the code entry takes: letters and digits (link codes may be
// alphanumeric) and the separators people type or paste.
func codeRune(r rune) bool {
	return (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || r == ' ' || r == '-'
}
