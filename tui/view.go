package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/handoff-sso/handoff/present"
)

// The smallest terminal the interface draws in, and the width from which the two
// devices stand side by side.
const (
	MinWidth   = 60
	MinHeight  = 18
	sideBySide = 100
)

// View draws the whole screen.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	v.WindowTitle = "handoff"
	return v
}

// Render is the screen as a string (View without the terminal settings).
func (m *Model) Render() string {
	if m.width == 0 || m.height == 0 {
		return ""
	}
	if m.width < MinWidth || m.height < MinHeight {
		msg := fmt.Sprintf("handoff needs a terminal of at least %d×%d;\nthis one is %d×%d.\nEnlarge the window or make the font smaller.",
			MinWidth, MinHeight, m.width, m.height)
		return fit(lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, lipgloss.NewStyle().Width(m.width).Align(lipgloss.Center).Render(msg)), m.width, m.height)
	}
	p := m.focused()
	switch m.layer() {
	case layerHelp:
		lines := fitLines(strings.Split(m.helpView.View(), "\n"), m.width, m.height-1)
		more := "any key closes the help"
		if !m.helpView.AtTop() || !m.helpView.AtBottom() {
			more = fmt.Sprintf("↑/↓ pgup/pgdn scroll (%d%%) · any other key closes the help", int(m.helpView.ScrollPercent()*100))
		}
		return strings.Join(append(lines, fitLines([]string{m.styles.Muted.Render(more)}, m.width, 1)...), "\n")
	case layerQR:
		caption := m.qrCaption(p) + " · any key returns"
		return strings.Join(fitLines(strings.Split(lipgloss.Place(m.width, m.height, lipgloss.Center, lipgloss.Center, p.fullQR().big(m.width, m.height-1).text+"\n"+caption), "\n"), m.width, m.height), "\n")
	case layerHTTP:
		if p.http.detail {
			return p.http.DetailView(p.label, m.width, m.height, m.styles)
		}
	}
	head := m.header()
	foot := []string{m.chrome.foot}
	bodyH := m.height - len(head) - 1
	httpH := 0
	if m.showHTTP {
		httpH = m.httpHeight(len(head))
	}
	// The device area and the HTTP panel come out exactly sized: the screen is not
	// measured again as a whole.
	parts := append(head, m.devicesArea(m.width, bodyH-httpH))
	if httpH > 0 {
		parts = append(parts, p.http.View(p.label, m.width, httpH, m.styles))
	}
	return strings.Join(append(parts, foot...), "\n")
}

// header is the lines above the devices: the title bar, notices, the server's state
// and the tour, each exactly as wide as the screen.
func (m *Model) header() []string {
	top := []string{m.titleBar()}
	for _, n := range m.opts.Notices {
		for _, l := range wrap("! "+n, m.width) {
			top = append(top, m.styles.Warn.Render(l))
		}
	}
	if m.serverDown != "" {
		for _, l := range wrap("! "+m.serverDown, m.width) {
			top = append(top, m.styles.Warn.Render(l))
		}
	}
	if m.chrome.tour != "" {
		top = append(top, m.chrome.tour)
	}
	lines := strings.Split(strings.Join(top, "\n"), "\n")
	return fitLines(lines, m.width, len(lines))
}

// devicesArea is the panes: side by side when wide, else one with a tab bar.
func (m *Model) devicesArea(width, height int) string {
	if len(m.panes) == 2 && !m.styles.Plain && width >= sideBySide {
		lw := width / 2
		left, right := m.renderPane(0, lw, height), m.renderPane(1, width-lw, height)
		for i := range left {
			left[i] += right[i]
		}
		return strings.Join(left, "\n")
	}
	switch len(m.panes) {
	case 0:
		return fit("No device to show.", width, height)
	case 1:
		return strings.Join(m.renderPane(m.focus, width, height), "\n")
	}
	return m.tabBar(width) + "\n" + strings.Join(m.renderPane(m.focus, width, height-1), "\n")
}

func (m *Model) tabBar(width int) string {
	var tabs []string
	for i, p := range m.panes {
		name := p.label + " · " + p.standing()
		if i == m.focus {
			if m.styles.Plain {
				name = "[" + name + "]"
			}
			tabs = append(tabs, m.styles.TabActive.Render(name))
		} else {
			tabs = append(tabs, m.styles.Tab.Render(name))
		}
	}
	return ansi.Truncate(strings.Join(tabs, " ")+m.styles.Muted.Render("  tab switches device"), width, "…")
}

func (m *Model) titleBar() string {
	s := m.styles.Title.Render("handoff")
	if m.opts.Server != "" {
		s += " · server " + m.opts.Server
		if m.opts.Note != "" {
			s += " (" + m.opts.Note + ")"
		}
	}
	if p := m.focused(); p != nil && p.state.SP != "" {
		s += " · sp " + p.state.SP
	}
	if c := m.clock.text(); c != "" {
		// Before the server's address, which a narrow screen cuts first.
		s = m.styles.Title.Render("handoff") + " · " + m.styles.Warn.Render(c) + strings.TrimPrefix(s, m.styles.Title.Render("handoff"))
	}
	return ansi.Truncate(s, m.width, "…")
}

// qrCaption says what the full-screen QR image is.
func (m *Model) qrCaption(p *pane) string {
	switch p.mode() {
	case modePhonePage:
		return "the phone page: " + present.Safe(p.phone.qr.url)
	case modeTVCode:
		return fmt.Sprintf("TV code %s · expires in %s", p.tvCode.name(), m.countdown(p.tvCode.code.NotAfter.Time().Sub(m.now())))
	}
	return fmt.Sprintf("code %s · expires in %s", present.GroupCode(p.card.link.Code), m.countdown(p.card.link.NotAfter.Time().Sub(m.now())))
}

// openHelp lays the help out at the screen's size, in Update.
func (m *Model) openHelp() {
	m.showHelp = true
	m.helpView.SetWidth(m.width)
	m.helpView.SetHeight(max(1, m.height-1))
	m.helpView.SetContent(m.helpScreen())
	m.helpView.GotoTop()
}

func (m *Model) helpScreen() string {
	h := m.help
	h.ShowAll = true
	h.SetWidth(0)
	groups := m.keys.FullHelp()
	keys := h.FullHelpView(groups)
	if lipgloss.Width(keys) > m.width {
		// Too narrow for the four groups abreast: two above two, rather than losing
		// the last group to the help model's truncation.
		half := (len(groups) + 1) / 2
		keys = h.FullHelpView(groups[:half]) + "\n" + h.FullHelpView(groups[half:])
	}
	text := []string{m.styles.Title.Render("handoff · keys"), keys, ""}
	for _, l := range []string{
		"Code entry (TV): a digit, i or enter starts typing; letters and digits (codes may hold both), spaces and dashes; paste works; ←/→ move, ctrl+w deletes a word, ctrl+u clears; esc stops typing.",
		"Identity (phone): e to edit, then type; enter signs in, esc keeps the old one.",
		"TV provider (phone): p opens the list, enter picks one; type the user id (default " + DefaultProviderUser + "), enter signs in; o signs the whole profile out.",
		"Unlink asks first: y unlinks; n, esc or enter keeps the device (the default is No).",
		"The other direction (TV): g shows a code (G: a legacy v1 regcode) with a QR image of the activation page; the TV asks once a second until a phone has signed in. Phone: A types such a code, then the TV provider and the user id, as the activation page does. a on the TV asks to play (decisions/authorize) once it has a TV provider sign-in, either way.",
		"Real phones: the link code's QR image carries the address the server gives (GET /sandbox/info); on a loopback address the card says to start handoff with --lan. w on the phone shows a QR image of the sandbox's phone page.",
		"HTTP panel (h): the polls (the device list read every few seconds) are hidden until P; enter shows one exchange in full; y copies it as a curl command, E saves them all as a HAR file (secrets redacted).",
		"",
		"Words: D2C account — the streaming service's own account (direct-to-consumer), sent as X-SSO-ID, the shared identifier of the phone's profile. Service provider (sp) — the streaming app the service signs in for. MVPD (TV provider) — the cable or satellite company that sells the TV subscription. Link code — the short code the phone shows and the TV types to join the same profile. Service token — the JWT each device gets; unlinking a device makes its token stop working. Second screen — a phone that completes a TV's sign-in by typing the code the TV shows. Sandbox clock — testers can shift it (handoff sandbox clock advance); the title bar says so while it is shifted.",
	} {
		text = append(text, wrap(l, m.width)...)
	}
	return strings.Join(text, "\n")
}

// fitLines cuts or pads lines to exactly width×height cells, measuring each line once;
// a cut line ends in an ellipsis, so that a cut word never passes for a whole one.
func fitLines(lines []string, width, height int) []string {
	out := make([]string, height)
	blank := strings.Repeat(" ", width)
	for i := range out {
		if i >= len(lines) {
			out[i] = blank
			continue
		}
		l := lines[i]
		w := cells(l)
		if w > width {
			l, w = ansi.Truncate(l, width, "…"), width
		}
		out[i] = l + blank[:width-w]
	}
	return out
}

// fit cuts or pads s to exactly width×height cells so that the frame never scrolls.
func fit(s string, width, height int) string {
	return strings.Join(fitLines(strings.Split(s, "\n"), width, height), "\n")
}
