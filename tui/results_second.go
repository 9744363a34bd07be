package tui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

// The answers of the phone page's address and the second-screen steps.

func (m *Model) gotPublic(p *pane, msg resultMsg) tea.Cmd {
	p.phone.public, p.phone.known = msg.public, true
	m.drawCards(p)
	if p.mode() == modePhonePage {
		p.say(levelInfo, "A real phone that scans this opens the phone page. w or esc closes it.")
	}
	return nil
}

func (m *Model) gotTVCode(p *pane, msg resultMsg) tea.Cmd {
	p.tvCode, p.play = tvCodeCard{code: msg.tvCode}, playResult{}
	p.codeIn.Reset()
	p.release()
	m.drawCards(p)
	p.say(levelOK, "Showing "+p.tvCode.name()+": on a phone, open the page under the QR image (or press A in the phone pane), type it and sign in with the TV provider.")
	return nil
}

func (m *Model) polledTVCode(p *pane, msg resultMsg) tea.Cmd {
	if msg.codeSignIn == nil || p.tvCode.code != msg.tvCode {
		return nil // nobody signed in yet, or the answer is about an older code
	}
	p.tvCode.signIn = msg.codeSignIn
	name := mvpdName(msg.codeSignIn.MVPD)
	p.say(levelOK, "A second screen signed in with "+name+" as "+present.Safe(msg.codeSignIn.UserID)+": this TV may now play. a asks to play "+playResource+".")
	return nil
}

// pollFailed words a failed poll where the code shows: the poll runs every second,
// and the next one tries again.
func pollFailed(p *pane, err error) bool {
	if client.IsTVCodeGone(err) {
		p.tvCode.gone = true
		p.say(levelWarn, client.Explain(err)+" Press g for a new code.")
		return true
	}
	p.say(levelWarn, client.Explain(err)+" Asking again in a second.")
	return true
}

func (m *Model) activated(p *pane, msg resultMsg) tea.Cmd {
	name := mvpdName(msg.keys[0])
	p.say(levelOK, "Activated the TV's code "+present.GroupCode(msg.arg)+": signed in with "+name+" as "+present.Safe(msg.login.UserID)+". The TV notices within a second or two; it needed no link code and joined no profile.")
	return nil
}

func (m *Model) decided(p *pane, msg resultMsg) tea.Cmd {
	p.play = playResult{decision: msg.decision}
	if msg.decision.Authorized {
		p.say(levelOK, "Authorized to play "+present.Safe(msg.decision.Resource)+": the player would hand the media token to its backend.")
	} else {
		p.say(levelWarn, "Not authorized to play "+present.Safe(msg.decision.Resource)+".")
	}
	return nil
}

// playFailed words a device with no TV provider authentication beside the decision.
func playFailed(p *pane, err error) bool {
	if !client.IsNotAuthenticated(err) {
		return false
	}
	p.play = playResult{note: "no TV provider authentication on this TV: g shows a code for a phone to activate, or join a phone's profile that has one."}
	p.say(levelWarn, client.Explain(err))
	return true
}

// mvpdName is a TV provider's name as people know it, terminal-safe.
func mvpdName(id string) string {
	if mv, ok := assets.LookupMVPD(id); ok {
		return mv.Name
	}
	return present.Safe(id)
}
