package tui

import (
	"fmt"
	"os"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// onHTTPKey takes the HTTP panel's keys: its own moves, y (the exchange as a curl
// command, through OSC 52) and E (the device's exchanges as a HAR file); false hands
// the key on.
func (m *Model) onHTTPKey(msg tea.KeyPressMsg, p *pane) (tea.Cmd, bool) {
	k := m.keys
	h := &p.http
	switch {
	case h.Update(msg, k, m.width, m.height):
		return nil, true
	case key.Matches(msg, k.CopyCurl):
		r, ok := h.current()
		if !ok {
			p.say(levelInfo, "No exchange to copy yet.")
			return nil, true
		}
		how := "secrets redacted"
		if m.opts.RevealSecrets {
			how = "with its secrets (--reveal-secrets)"
		}
		p.say(levelOK, "Copied the exchange as a curl command, "+how+" (OSC 52; the terminal must allow it).")
		return tea.SetClipboard(curlCommand(p.state.Server, exported(r.ex, m.opts.RevealSecrets), scrub{reveal: m.opts.RevealSecrets})), true
	case key.Matches(msg, k.SaveHAR):
		dir := m.opts.HARDir
		if dir == "" {
			dir = os.TempDir()
		}
		p.say(levelInfo, "Writing the HAR file…")
		return writeHAR(m.focus, dir, p.label, m.now(), buildHAR(p.state.Server, h.recs, scrub{reveal: m.opts.RevealSecrets})), true
	case key.Matches(msg, k.Back):
		m.showHTTP = false
		return nil, true
	}
	return nil, false
}

func (m *Model) onHARWritten(msg harWrittenMsg) {
	p := m.panes[msg.dev]
	if msg.err != nil {
		p.say(levelErr, "The HAR file could not be written to "+msg.path+": check that the directory exists and is writable.")
		return
	}
	how := "secrets redacted"
	if m.opts.RevealSecrets {
		how = "secrets as the trace holds them (--reveal-secrets)"
	}
	p.http.note = fmt.Sprintf("HAR 1.2 file, %d exchanges, %s: %s", msg.n, how, msg.path)
	p.say(levelOK, "HAR file saved: "+msg.path)
}
