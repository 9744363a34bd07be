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

func press(s string) tea.KeyPressMsg {
	switch s {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "tab":
		return tea.KeyPressMsg{Code: tea.KeyTab}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "backspace":
		return tea.KeyPressMsg{Code: tea.KeyBackspace}
	case "ctrl+u":
		return tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	}
	r := []rune(s)[0]
	return tea.KeyPressMsg{Code: r, Text: s}
}

func windowSize(w, h int) tea.WindowSizeMsg { return tea.WindowSizeMsg{Width: w, Height: h} }

func pasteMsg(s string) tea.PasteMsg { return tea.PasteMsg{Content: s} }
