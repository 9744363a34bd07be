package tui

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"

	"github.com/handoff-sso/handoff/present"
)

// onResult takes in the outcome of a step: the device's new state, what the step
// brought back, and the step that follows on its own, if any.
func (m *Model) onResult(msg resultMsg) tea.Cmd {
	p := m.panes[msg.dev]
	p.busy[msg.op] = false
	p.state = msg.state
	if msg.err != nil {
		return m.onError(msg, p)
	}
	p.attempts[msg.op] = 0
	if msg.token != nil {
		p.refreshRefused = false
	}
	switch msg.op {
	case opSignIn:
		p.unlinked = false
		next := "l makes a link code for the TV."
		if p.canProvider() {
			next = "p signs in with a TV provider, or l makes a link code for the TV."
		}
		p.say(levelOK, "Signed in as "+p.state.Claims.Subject+". Next: "+next)
		return m.joinedCmds(msg.dev)
	case opRedeem, opRoku:
		p.unlinked = false
		p.codeIn.Reset()
		via := ""
		if msg.op == opRoku {
			via = " through its Roku identity"
		}
		p.say(levelOK, "Joined the profile of "+p.state.Claims.Subject+via+".")
		return m.joinedCmds(msg.dev)
	case opMVPD:
		name := msg.arg
		if mv, ok := assets.LookupMVPD(msg.arg); ok {
			name = mv.Name
		}
		p.say(levelOK, fmt.Sprintf("Signed in with %s as %s until %s; linked devices share it.", name, msg.login.UserID, msg.login.NotAfter.Time().Local().Format("2 Jan 2006")))
		return tea.Batch(m.readProviders(msg.dev)...)
	case opSignOut:
		p.providers, p.providerNote = nil, ""
		p.say(levelOK, "Signed out of the TV provider: no device of the profile shares it any more. p signs in again.")
		return tea.Batch(m.readProviders(msg.dev)...)
	case opProfiles:
		p.providers, p.providerNote = msg.profiles, ""
	case opAuthn:
		p.authn, p.authnNote = msg.authn, ""
	case opRefresh:
		p.say(levelOK, "Service token refreshed; it now expires at "+present.Clock(p.state.NotAfter)+".")
	case opFresh:
		if p.signedIn() && !p.listed {
			return m.start(msg.dev, opList, "", nil)
		}
	case opLink:
		p.link, p.showLink, p.linkStale = msg.code, true, false
		p.linkKnown = map[string]bool{}
		for _, r := range p.devices {
			p.linkKnown[r.key] = true
		}
		m.drawLink(p)
		p.say(levelOK, "Type "+present.GroupCode(msg.code.Code)+" on the TV, or scan the QR image. c copies it.")
	case opList:
		p.setDevices(msg.list)
		if r, ok := p.joined(); ok && p.showLink {
			p.showLink, p.link, p.linkKnown = false, nil, nil
			p.say(levelOK, fmt.Sprintf("%s joined with the code. The profile has %d devices.", present.DeviceName(r.entry), len(p.devices)))
		}
	case opUnlink:
		n := len(msg.unlinked.UnlinkedDevices)
		clear(p.selected)
		for _, k := range msg.unlinked.UnlinkedDevices {
			if k == p.state.Key {
				p.unlinked = true
			}
		}
		p.say(levelOK, fmt.Sprintf("Unlinked %d %s.", n, plural(n, "device", "devices")))
		if !p.unlinked {
			return m.start(msg.dev, opList, "", nil)
		}
		p.say(levelWarn, "This device unlinked itself. Press s to sign in again.")
	}
	return nil
}

// joinedCmds reads what a device that just joined a profile can see.
func (m *Model) joinedCmds(dev int) tea.Cmd {
	return tea.Batch(append(m.readProviders(dev), m.start(dev, opList, "", nil))...)
}

// readProviders reads the profile's TV provider sign-in, in v2 and, on a TV, in v1.
func (m *Model) readProviders(dev int) []tea.Cmd {
	p := m.panes[dev]
	p.lastProvider = m.now()
	var cmds []tea.Cmd
	if p.canProvider() {
		cmds = append(cmds, m.start(dev, opProfiles, "", nil))
	}
	if p.canLegacy() {
		cmds = append(cmds, m.start(dev, opAuthn, "", nil))
	}
	return cmds
}

func (m *Model) onError(msg resultMsg, p *pane) tea.Cmd {
	err := msg.err
	if msg.op == opProfiles && !msg.state.Unlinked && !client.IsUnlinked(err) {
		// Read on every poll: say it where the TV provider shows, not in the status.
		p.providerNote = client.Explain(err)
		return nil
	}
	if msg.op == opAuthn {
		p.authn = nil
		switch {
		case client.IsNoAuthentication(err):
			p.authnNote = "none for this device (HTTP 404)"
		case client.IsAuthenticationExpired(err):
			p.authnNote = "expired (HTTP 410)"
		default:
			p.authnNote = client.Explain(err)
		}
		return nil
	}
	if transient(err) {
		p.attempts[msg.op]++
		n := p.attempts[msg.op]
		wait := backoff(n - 1)
		p.say(levelWarn, fmt.Sprintf("%s Retrying %s in %s (attempt %d).", client.Explain(err), msg.op.doing(), wait, n))
		return retryAfter(wait, retryMsg{dev: msg.dev, op: msg.op, arg: msg.arg, keys: msg.keys})
	}
	p.attempts[msg.op] = 0
	if msg.op == opFresh || msg.op == opRefresh {
		// Refused once, refused every second: wait for a new token or a key.
		p.refreshRefused = true
	}
	if msg.state.Unlinked || client.IsUnlinked(err) {
		p.unlinked = true
		p.showLink, p.link = false, nil
		p.picking, p.typingUser = false, false
		again := "Press s to sign in again."
		if !p.primary() {
			again = "Type a new code from the phone to join again."
		}
		p.say(levelErr, "This device was unlinked from the profile. "+again)
		return nil
	}
	p.say(levelErr, client.Explain(err))
	return nil
}

// drawLink draws the link code's large digits and QR image once per code and style,
// so that View only places them.
func (m *Model) drawLink(p *pane) {
	if p.link == nil {
		p.digits, p.qr, p.qrErr = nil, "", nil
		return
	}
	p.digits = strings.Split(m.styles.Digits.Render(present.BigDigits(p.link.Code, false)), "\n")
	p.qr, p.qrErr = present.RenderQR(client.LinkURL(p.state.Server, p.state.SP, p.link.Code), m.colour, m.styles.Dark)
	p.qrWidth, p.qrHeight = lipgloss.Width(p.qr), strings.Count(p.qr, "\n")+1
}
