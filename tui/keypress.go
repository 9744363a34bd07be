package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"

	"github.com/handoff-sso/handoff/present"
)

// onKey routes a key: to whatever holds the keyboard first (help, the identity being
// edited, the provider list, an unlink question, the HTTP panel, the code entry),
// else to the focused device's actions.
func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if msg.String() == "ctrl+c" {
		return tea.Quit
	}
	if m.showHelp || m.showQR {
		m.showHelp, m.showQR = false, false
		return nil
	}
	p := m.focused()
	if p == nil {
		return tea.Quit
	}
	switch {
	case p.editing:
		return m.onEditKey(msg, p)
	case p.picking:
		return m.onPickKey(msg, p)
	case p.typingUser:
		return m.onUserKey(msg, p)
	case p.confirm != nil:
		keys := p.confirm
		p.confirm = nil
		if key.Matches(msg, k.Yes) {
			p.say(levelInfo, "Unlinking…")
			return m.start(m.focus, opUnlink, "", keys)
		}
		p.say(levelInfo, "Nothing was unlinked.")
		return nil
	case m.showHTTP && m.onHTTPKey(msg, p):
		return nil
	case p.entering() && !key.Matches(msg, k.Next) && p.codeIn.update(msg):
		return nil
	}
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Help):
		m.showHelp = true
	case key.Matches(msg, k.Switch):
		m.focus = (m.focus + 1) % len(m.panes)
	case key.Matches(msg, k.SwitchBack):
		m.focus = (m.focus + len(m.panes) - 1) % len(m.panes)
	case key.Matches(msg, k.HTTP):
		m.showHTTP = !m.showHTTP
		p.closeDetail()
	case key.Matches(msg, k.Tour):
		m.tourOn = !m.tourOn
		m.advanceTour()
	case key.Matches(msg, k.TourNext) && m.tourOn:
		m.tourStep = min(m.tourStep+1, len(tourSteps)-1)
	case key.Matches(msg, k.TourPrev) && m.tourOn:
		m.tourStep = max(m.tourStep-1, 0)
	case key.Matches(msg, k.Next):
		return m.next(p)
	case key.Matches(msg, k.Edit) && p.primary() && !p.signedIn():
		p.editing = true
		p.say(levelInfo, "Type the identity, enter to sign in with it, esc to keep the old one.")
	case key.Matches(msg, k.Provider) && p.primary() && p.signedIn() && p.canProvider():
		m.pick(p)
	case key.Matches(msg, k.SignOut) && p.primary() && p.signedIn() && p.canProvider():
		if _, _, has := p.provider(); !has {
			p.say(levelInfo, "The profile is not signed in with a TV provider: p signs in with one.")
			return nil
		}
		p.say(levelInfo, "Signing out of the TV provider…")
		return m.start(m.focus, opSignOut, "", nil)
	case key.Matches(msg, k.Roku) && p.entering() && p.canRoku():
		p.say(levelInfo, "Signing in with Roku as "+DefaultRokuUser+"…")
		return m.start(m.focus, opRoku, DefaultRokuUser, nil)
	case key.Matches(msg, k.Link) && p.primary() && p.signedIn():
		p.autoCodes = 0
		p.say(levelInfo, "Asking for a link code…")
		return m.start(m.focus, opLink, "", nil)
	case key.Matches(msg, k.ShowQR) && p.link != nil && p.showLink && p.qr != "":
		m.showQR = true
	case key.Matches(msg, k.Copy) && p.link != nil && p.showLink:
		p.say(levelOK, "Copied "+present.GroupCode(p.link.Code)+" to the clipboard (OSC 52; the terminal must allow it).")
		return tea.SetClipboard(p.link.Code)
	case key.Matches(msg, k.DevicesTab), key.Matches(msg, k.Back):
		if p.showLink {
			p.showLink = false
			p.say(levelInfo, "Code hidden; it stays valid until it expires. l makes a new one.")
		}
		if p.signedIn() {
			return tea.Batch(append(m.readProviders(m.focus), m.start(m.focus, opList, "", nil))...)
		}
	case (key.Matches(msg, k.Up) || key.Matches(msg, k.Down)) && p.primary() && !p.signedIn():
		step := 1
		if key.Matches(msg, k.Up) {
			step = len(identities) - 1
		}
		i := (slices.Index(identities, p.identity.Value()) + step) % len(identities)
		p.identity.SetValue(identities[i])
		p.say(levelInfo, "Press enter to sign in as "+identities[i]+".")
	case key.Matches(msg, k.Up):
		p.cursor = max(0, p.cursor-1)
	case key.Matches(msg, k.Down):
		p.cursor = max(0, min(len(p.devices)-1, p.cursor+1))
	case key.Matches(msg, k.Select) && p.cursor < len(p.devices):
		r := p.devices[p.cursor]
		if p.selected[r.key] {
			delete(p.selected, r.key)
		} else {
			p.selected[r.key] = true
		}
	case key.Matches(msg, k.Unlink) && p.signedIn() && len(p.devices) > 0:
		p.confirm = p.toUnlink()
		p.say(levelWarn, "Unlink "+m.describe(p, p.confirm)+"? y: unlink · n/enter: keep (default)")
	case key.Matches(msg, k.Refresh) && p.signedIn():
		p.say(levelInfo, "Refreshing the service token…")
		return m.start(m.focus, opRefresh, "", nil)
	case key.Matches(msg, k.SignInAgain) && (p.unlinked || !p.state.SignedIn):
		return m.signInAgain(p)
	}
	return nil
}

func (m *Model) pick(p *pane) {
	p.picking, p.typingUser = true, false
	p.say(levelInfo, "Choose a TV provider: ↑/↓ move, enter chooses it, esc cancels.")
}

// onPickKey moves in the TV provider list (step 3).
func (m *Model) onPickKey(msg tea.KeyPressMsg, p *pane) tea.Cmd {
	list := assets.MVPDs()
	switch {
	case key.Matches(msg, m.keys.Up):
		p.mvpdCursor = max(0, p.mvpdCursor-1)
	case key.Matches(msg, m.keys.Down):
		p.mvpdCursor = min(len(list)-1, p.mvpdCursor+1)
	case key.Matches(msg, m.keys.Next):
		p.picking, p.typingUser = false, true
		p.say(levelInfo, "Type the user id at "+list[p.mvpdCursor].Name+", then enter; esc goes back to the list.")
	case key.Matches(msg, m.keys.Back), key.Matches(msg, m.keys.Provider):
		p.picking = false
		p.say(levelInfo, "No TV provider chosen. p opens the list again; l makes a link code.")
	}
	return nil
}

// onUserKey takes the TV provider user id (step 3, once the provider is chosen).
func (m *Model) onUserKey(msg tea.KeyPressMsg, p *pane) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Next):
		user := strings.TrimSpace(p.providerUser.Value())
		if user == "" {
			p.say(levelErr, "The user id is empty: type one, such as "+DefaultProviderUser+".")
			return nil
		}
		p.typingUser = false
		mv := assets.MVPDs()[p.mvpdCursor]
		p.say(levelInfo, "Signing in with "+mv.Name+" as "+user+"…")
		return m.start(m.focus, opMVPD, mv.ID, []string{user})
	case key.Matches(msg, m.keys.Back):
		m.pick(p)
	default:
		p.providerUser.update(msg)
	}
	return nil
}

func (m *Model) onEditKey(msg tea.KeyPressMsg, p *pane) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Next):
		p.editing = false
		return m.next(p)
	case key.Matches(msg, m.keys.Back):
		p.editing = false
		p.say(levelInfo, "Press enter to sign in as "+p.identity.Value()+".")
	default:
		p.identity.update(msg)
	}
	return nil
}

// next does the focused device's next step of the flow.
func (m *Model) next(p *pane) tea.Cmd {
	switch {
	case p.unlinked && p.primary():
		return m.signInAgain(p)
	case p.primary() && !p.signedIn():
		id := strings.TrimSpace(p.identity.Value())
		if id == "" {
			p.say(levelErr, "The identity is empty: press e and type one, such as "+DefaultIdentity+".")
			return nil
		}
		p.say(levelInfo, "Signing in as "+id+"…")
		return m.start(m.focus, opSignIn, id, nil)
	case p.primary() && !p.showLink && p.canProvider() && p.providers != nil && len(p.providers.Profiles) == 0:
		m.pick(p)
	case p.primary() && !p.showLink:
		p.autoCodes = 0
		p.say(levelInfo, "Asking for a link code…")
		return m.start(m.focus, opLink, "", nil)
	case p.primary():
		p.say(levelInfo, "The TV is next: type the code there (tab switches device).")
	case !p.signedIn():
		code, err := client.NormalizeLinkCode(p.codeIn.Value())
		if err != nil {
			p.say(levelErr, client.Explain(err))
			return nil
		}
		p.say(levelInfo, "Joining with "+present.GroupCode(code)+"…")
		return m.start(m.focus, opRedeem, code, nil)
	default:
		return m.start(m.focus, opList, "", nil)
	}
	return nil
}

func (m *Model) signInAgain(p *pane) tea.Cmd {
	p.unlinked = false
	p.state.SignedIn = false
	p.devices, p.listed = nil, false
	p.link, p.showLink = nil, false
	p.providers, p.providerNote, p.authn, p.authnNote = nil, "", nil, ""
	p.picking, p.typingUser = false, false
	if p.primary() {
		p.say(levelInfo, "Press enter to sign in as "+p.identity.Value()+", or e to type another identity.")
	} else {
		p.codeIn.Reset()
		p.say(levelInfo, "Ask the phone for a new code (l), type it here, then press enter.")
	}
	return nil
}

func (m *Model) describe(p *pane, keys []string) string {
	names := make([]string, 0, len(keys))
	for _, k := range keys {
		for _, r := range p.devices {
			if r.key == k {
				n := present.DeviceName(r.entry)
				if r.self {
					n += " (this device)"
				}
				names = append(names, n)
			}
		}
	}
	return fmt.Sprintf("%d %s: %s", len(keys), plural(len(keys), "device", "devices"), strings.Join(names, ", "))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
