package tui

import tea "charm.land/bubbletea/v2"

// send feeds msg to the model and runs what comes back, as the program would, following
// batches; timers (ticks, retries) and terminal commands are left out.
func send(m *Model, msg tea.Msg) {
	_, cmd := m.Update(msg)
	run(m, cmd, 0)
}

func run(m *Model, cmd tea.Cmd, depth int) {
	if cmd == nil || depth > 8 {
		return
	}
	switch msg := cmd().(type) {
	case tea.BatchMsg:
		for _, c := range msg {
			run(m, c, depth+1)
		}
	case resultMsg:
		send(m, msg)
	}
}

// namedKeys are the keys press takes by name; any other string is the key of its
// first rune.
var namedKeys = map[string]tea.KeyPressMsg{
	"enter":     {Code: tea.KeyEnter},
	"tab":       {Code: tea.KeyTab},
	"esc":       {Code: tea.KeyEscape},
	"space":     {Code: tea.KeySpace, Text: " "},
	"down":      {Code: tea.KeyDown},
	"up":        {Code: tea.KeyUp},
	"backspace": {Code: tea.KeyBackspace},
	"ctrl+u":    {Code: 'u', Mod: tea.ModCtrl},
}

func press(s string) tea.KeyPressMsg {
	if k, ok := namedKeys[s]; ok {
		return k
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

func windowSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

func pasteMsg(s string) tea.PasteMsg { return tea.PasteMsg{Content: s} }

// stepResult runs what a key started and returns the step's answer, leaving out the
// spinner's tick that comes with it.
func stepResult(cmd tea.Cmd) tea.Msg {
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		for _, c := range b {
			if r, ok := c().(resultMsg); ok {
				return r
			}
		}
	}
	return msg
}
