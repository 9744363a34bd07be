package tui

import (
	"fmt"

	tea "charm.land/bubbletea/v2"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

// onResult takes in the outcome of a step: the device's new state, then what the
// step's entry in the table does with its answer.
func (m *Model) onResult(msg resultMsg) tea.Cmd {
	p := m.panes[msg.dev]
	p.busy[msg.op] = false
	p.state = msg.state
	if msg.err != nil && client.IsUnlinked(msg.err) {
		// The step's verdict, in case the state was read before the client noted it.
		p.state.Unlinked, p.state.SignedIn = true, false
	}
	if !p.state.Unlinked {
		p.startedOver = false
	}
	if msg.err != nil {
		if f := steps[msg.op].failed; f != nil && f(p, msg.err) {
			return nil
		}
		return m.onError(msg, p)
	}
	p.attempts[msg.op] = 0
	if msg.token != nil {
		p.refreshRefused = false
	}
	return steps[msg.op].done(m, p, msg)
}

func (m *Model) signedIn(p *pane, msg resultMsg) tea.Cmd {
	next := "l makes a link code for the TV."
	if p.canProvider() {
		next = "p signs in with a TV provider, or l makes a link code for the TV."
	}
	p.say(levelOK, "Signed in as "+p.subject()+". Next: "+next)
	return m.joinedCmds(msg.dev)
}

func (m *Model) joined(p *pane, msg resultMsg) tea.Cmd {
	p.codeIn.Reset()
	// Joined a profile: a code shown for a second screen is no longer the way in.
	p.tvCode = tvCodeCard{}
	if msg.op == opRoku {
		p.say(levelOK, "Joined by Roku identity: the platform vouched for "+msg.arg+", so this TV has its own profile ("+p.subject()+"), not the phone's.")
	} else {
		p.say(levelOK, "Joined the profile of "+p.subject()+" with the link code.")
	}
	return m.joinedCmds(msg.dev)
}

func (m *Model) freshened(p *pane, msg resultMsg) tea.Cmd {
	if p.signedIn() && !p.table.listed {
		return m.start(msg.dev, opList, "", nil)
	}
	return nil
}

func (m *Model) refreshed(p *pane, _ resultMsg) tea.Cmd {
	p.say(levelOK, "Service token refreshed; it now expires at "+present.When(m.now(), p.state.NotAfter)+".")
	return nil
}

func (m *Model) gotCode(p *pane, msg resultMsg) tea.Cmd {
	renewed := p.card.link != nil && p.card.showLink
	p.card.link, p.card.showLink, p.card.linkStale, p.card.public = msg.code, true, false, msg.public
	if p.mode() == modePhonePage {
		p.release()
	}
	p.card.linkKnown = map[string]bool{}
	for _, r := range p.table.devices {
		p.card.linkKnown[r.key] = true
	}
	m.drawCards(p)
	text := "Type " + present.GroupCode(msg.code.Code) + " on the TV, or scan the QR image. c copies it."
	if renewed && p.card.autoCodes > 0 {
		text = fmt.Sprintf("The last code expired; this is a new one (%d of %d made on their own): %s", p.card.autoCodes, maxAutoCodes, text)
	}
	p.say(levelOK, text)
	return nil
}

func (m *Model) listed(p *pane, msg resultMsg) tea.Cmd {
	p.table.set(msg.list, p.state.Key)
	defer m.offerGhosts(p)
	if r, ok := p.newcomer(); ok && p.card.showLink {
		p.card.showLink, p.card.link, p.card.linkKnown = false, nil, nil
		p.say(levelOK, fmt.Sprintf("The code was used: %s joined at %s. The profile has %d devices.",
			present.Safe(present.DeviceName(r.entry)), present.Clock(m.now()), len(p.table.devices)))
	}
	return nil
}

func (m *Model) unlinkedSome(p *pane, msg resultMsg) tea.Cmd {
	n := len(msg.unlinked.UnlinkedDevices)
	clear(p.table.selected)
	if p.unlinked() {
		p.say(levelWarn, "This device unlinked itself. Press s to sign in again.")
		return nil
	}
	p.say(levelOK, fmt.Sprintf("Unlinked %d %s.", n, present.Plural(n, "device", "devices")))
	return m.start(msg.dev, opList, "", nil)
}

func (m *Model) providerSignedIn(p *pane, msg resultMsg) tea.Cmd {
	name := msg.arg
	if mv, ok := assets.LookupMVPD(msg.arg); ok {
		name = mv.Name
	}
	p.say(levelOK, fmt.Sprintf("Signed in with %s as %s until %s; linked devices share it.", name, present.Safe(msg.login.UserID), present.Date(msg.login.NotAfter.Time())))
	return tea.Batch(m.readProviders(msg.dev)...)
}

func (m *Model) providerSignedOut(p *pane, msg resultMsg) tea.Cmd {
	p.providers, p.providerNote = nil, ""
	p.say(levelOK, "Signed out of the TV provider: no device of the profile shares it any more. p signs in again.")
	return tea.Batch(m.readProviders(msg.dev)...)
}

func (m *Model) gotProfiles(p *pane, msg resultMsg) tea.Cmd {
	p.providers, p.providerNote = msg.profiles, ""
	return nil
}

func (m *Model) gotAuthn(p *pane, msg resultMsg) tea.Cmd {
	p.authn, p.authnNote = msg.authn, ""
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
	if p.unlinked() {
		p.card.showLink, p.card.link = false, nil
		p.release()
		again := "Press s to sign in again."
		if !p.primary() {
			again = "Type a new code from the phone to join again."
		}
		p.say(levelErr, "This device was unlinked from the profile. "+again)
		return nil
	}
	if msg.op == opRedeem && client.IsCodeRejected(err) {
		// The code will not work a second time: clear it so the next one is typed fresh.
		p.codeIn.Reset()
		p.say(levelErr, client.Explain(err)+" The entry was cleared for the next code.")
		return nil
	}
	p.say(levelErr, client.Explain(err))
	return nil
}

// drawCards draws the codes in large type and the QR images for the screen's size
// and colours, in Update, so that View only places them.
func (m *Model) drawCards(p *pane) {
	p.card.draw(p.state.SP, m.styles, m.colour, m.width, m.height)
	p.phone.draw(p.state.SP, m.styles, m.colour, m.width, m.height)
	p.tvCode.draw(m.styles, m.colour, m.width, m.height)
}
