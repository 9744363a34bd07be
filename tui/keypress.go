package tui

import (
	"fmt"
	"slices"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

// onKey routes a key by layer, then by the focused device's mode: whatever holds the
// keyboard first, else the device's actions. The tour's keys work everywhere.
func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if msg.String() == "ctrl+c" {
		return tea.Quit
	}
	if cmd, ok := m.onTourKey(msg); ok {
		return cmd
	}
	p := m.focused()
	switch m.layer() {
	case layerHelp:
		vk := m.helpView.KeyMap
		if key.Matches(msg, vk.Up, vk.Down, vk.PageUp, vk.PageDown) {
			m.helpView, _ = m.helpView.Update(msg)
			return nil
		}
		m.showHelp = false
		return nil
	case layerQR:
		m.showQR = false
		return nil
	case layerHTTP:
		if cmd, ok := m.onHTTPKey(msg, p); ok {
			return cmd
		}
	}
	if p == nil {
		return tea.Quit
	}
	switch p.mode() {
	case modeEditIdentity:
		return m.onEditKey(msg, p)
	case modePickProvider:
		return m.onPickKey(msg, p)
	case modeProviderUser:
		return m.onUserKey(msg, p)
	case modeTVCodeEntry:
		return m.onTVCodeKey(msg, p)
	case modeConfirmUnlink:
		keys := p.confirm
		p.confirm = nil
		p.release()
		if key.Matches(msg, k.Yes) {
			p.say(levelInfo, "Unlinking…")
			return m.start(m.focus, opUnlink, "", keys)
		}
		p.say(levelInfo, "Nothing was unlinked.")
		return nil
	case modeTypingCode:
		if cmd, ok := m.onCodeKey(msg, p); ok {
			return cmd
		}
	case modeCodeEntry:
		// A digit starts typing the code; letters stay commands until then.
		if msg.Text != "" && msg.Text[0] >= '0' && msg.Text[0] <= '9' {
			p.hold(modeTypingCode)
			p.codeIn.Update(msg)
			return nil
		}
	}
	return m.onDeviceKey(msg, p)
}

// onDeviceKey is the focused device's actions, when nothing holds the keyboard.
func (m *Model) onDeviceKey(msg tea.KeyPressMsg, p *pane) tea.Cmd {
	k := m.keys
	md := p.mode()
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Help):
		m.openHelp()
	case key.Matches(msg, k.Switch):
		m.focus = (m.focus + 1) % len(m.panes)
	case key.Matches(msg, k.SwitchBack):
		m.focus = (m.focus + len(m.panes) - 1) % len(m.panes)
	case key.Matches(msg, k.HTTP):
		m.showHTTP = !m.showHTTP
		p.http.close()
	case key.Matches(msg, k.Tour):
		m.tour.on = !m.tour.on
		if m.tour.on {
			m.tourGo(m.tour.step)
		}
	case key.Matches(msg, k.Next):
		return m.next(p)
	case key.Matches(msg, k.TypeCode) && md == modeCodeEntry:
		p.hold(modeTypingCode)
		p.say(levelInfo, "Type the code the phone shows (letters and digits), then enter; esc stops typing.")
	case key.Matches(msg, k.Edit) && md == modeIdentity:
		p.hold(modeEditIdentity)
		p.say(levelInfo, "Type the identity, enter to sign in with it, esc to keep the old one.")
	case key.Matches(msg, k.Provider) && md == modeDevices && p.primary() && p.canProvider():
		m.pick(p)
	case key.Matches(msg, k.SignOut) && p.primary() && p.signedIn() && p.canProvider():
		if _, _, has := p.provider(); !has {
			p.say(levelInfo, "The profile is not signed in with a TV provider: p signs in with one.")
			return nil
		}
		p.say(levelInfo, "Signing out of the TV provider…")
		return m.start(m.focus, opSignOut, "", nil)
	case key.Matches(msg, k.Roku) && md == modeCodeEntry && p.canRoku():
		p.say(levelInfo, "Signing in with Roku as "+DefaultRokuUser+"…")
		return m.start(m.focus, opRoku, DefaultRokuUser, nil)
	case (key.Matches(msg, k.ShowCode) || key.Matches(msg, k.LegacyCode)) && (md == modeCodeEntry || md == modeTVCode) && p.canSecondScreen():
		legacy := key.Matches(msg, k.LegacyCode)
		p.say(levelInfo, "Asking the service for a code to show…")
		return m.start(m.focus, opShowCode, map[bool]string{true: "legacy", false: ""}[legacy], nil)
	case key.Matches(msg, k.Back) && md == modeTVCode:
		if p.tvCode.signIn == nil {
			p.tvCode = tvCodeCard{}
			p.say(levelInfo, "Code put away. Type the phone's link code, or g shows a new code.")
		}
	case key.Matches(msg, k.Play) && !p.primary() && p.canSecondScreen():
		p.say(levelInfo, "Asking to play "+playResource+"…")
		return m.start(m.focus, opPlay, playResource, nil)
	case key.Matches(msg, k.Activate) && p.primary() && p.canSecondScreen():
		p.tvCodeIn.Reset()
		p.hold(modeTVCodeEntry)
		p.say(levelInfo, "Type the code the TV shows, then enter; esc cancels.")
	case key.Matches(msg, k.PhonePage) && p.primary():
		if md == modePhonePage {
			p.release()
			return nil
		}
		p.hold(modePhonePage)
		return m.start(m.focus, opPublic, "", nil)
	case key.Matches(msg, k.Back) && md == modePhonePage:
		p.release()
	case key.Matches(msg, k.Link) && p.primary() && p.signedIn():
		p.card.autoCodes = 0
		p.say(levelInfo, "Asking for a link code…")
		return m.start(m.focus, opLink, "", nil)
	case key.Matches(msg, k.ShowQR) && p.fullQR() != nil:
		m.showQR = true
	case key.Matches(msg, k.Copy) && md == modeLinkCard:
		p.say(levelOK, "Copied "+present.GroupCode(p.card.link.Code)+" to the clipboard (OSC 52; the terminal must allow it).")
		return tea.SetClipboard(p.card.link.Code)
	case key.Matches(msg, k.DevicesTab), key.Matches(msg, k.Back):
		if p.card.showLink {
			p.card.showLink = false
			p.say(levelInfo, "Code hidden; it stays valid until it expires. l makes a new one.")
		}
		if p.signedIn() {
			return tea.Batch(append(m.readProviders(m.focus), m.start(m.focus, opList, "", nil))...)
		}
	case (key.Matches(msg, k.Up) || key.Matches(msg, k.Down)) && md == modeIdentity:
		step := 1
		if key.Matches(msg, k.Up) {
			step = len(identities) - 1
		}
		i := (slices.Index(identities, p.identity.Value()) + step) % len(identities)
		p.identity.SetValue(identities[i])
		p.say(levelInfo, "Press enter to sign in as "+identities[i]+".")
	case md == modeDevices && p.table.Update(msg, k):
	case key.Matches(msg, k.Unlink) && p.signedIn() && len(p.table.devices) > 0:
		p.confirm = p.table.toUnlink()
		p.hold(modeConfirmUnlink)
		p.say(levelWarn, "Unlink "+m.describe(p, p.confirm)+"? y: unlink · n/enter: keep (default)")
	case key.Matches(msg, k.Ghosts) && p.signedIn() && len(m.ghosts(p)) > 0:
		p.confirm = m.ghosts(p)
		p.hold(modeConfirmUnlink)
		p.say(levelWarn, "Unlink the leftovers, "+m.describe(p, p.confirm)+"? y: unlink · n/enter: keep (default)")
	case key.Matches(msg, k.Refresh) && p.signedIn():
		p.say(levelInfo, "Refreshing the service token…")
		return m.start(m.focus, opRefresh, "", nil)
	case key.Matches(msg, k.SignInAgain) && (p.unlinked() || !p.state.SignedIn):
		return m.signInAgain(p)
	}
	return nil
}

// onCodeKey is the TV's code entry while it has the keyboard; false hands the key on
// (tab, ?, the tour's keys).
func (m *Model) onCodeKey(msg tea.KeyPressMsg, p *pane) (tea.Cmd, bool) {
	switch {
	case key.Matches(msg, m.keys.Next):
		return m.next(p), true
	case key.Matches(msg, m.keys.Back):
		p.release()
		p.say(levelInfo, "Stopped typing: letters are commands again; a digit or i types the code.")
		return nil, true
	}
	return nil, p.codeIn.Update(msg)
}

func (m *Model) pick(p *pane) {
	p.picker.forCode = p.activating
	p.hold(modePickProvider)
	p.say(levelInfo, "Choose a TV provider: ↑/↓ move, enter chooses it, esc cancels.")
}

// onTVCodeKey is the phone's entry for a code a TV shows: enter goes on to the TV
// provider, as a person on the activation page would.
func (m *Model) onTVCodeKey(msg tea.KeyPressMsg, p *pane) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Next):
		code, err := client.NormalizeTVCode(p.tvCodeIn.Value())
		if err != nil {
			p.say(levelErr, client.Explain(err))
			return nil
		}
		p.activating = code
		m.pick(p)
		p.say(levelInfo, "Choose the TV provider to activate "+present.GroupCode(code)+" with: ↑/↓ move, enter chooses it, esc cancels.")
	case key.Matches(msg, m.keys.Back):
		p.release()
		p.say(levelInfo, "No TV code activated.")
	case !p.tvCodeIn.Update(msg) && key.Matches(msg, m.keys.Switch):
		return m.onDeviceKey(msg, p)
	}
	return nil
}

// onPickKey moves in the TV provider list (step 3).
func (m *Model) onPickKey(msg tea.KeyPressMsg, p *pane) tea.Cmd {
	switch {
	case p.picker.Update(msg, m.keys):
	case key.Matches(msg, m.keys.Next):
		p.hold(modeProviderUser)
		p.say(levelInfo, "Type the user id at "+p.picker.chosen().Name+", then enter; esc goes back to the list.")
	case key.Matches(msg, m.keys.Back), key.Matches(msg, m.keys.Provider):
		p.release()
		if p.activating != "" {
			p.activating = ""
			p.say(levelInfo, "The TV's code was not activated. A types one again.")
			return nil
		}
		p.say(levelInfo, "No TV provider chosen. p opens the list again; l makes a link code.")
	case key.Matches(msg, m.keys.Quit), key.Matches(msg, m.keys.Help), key.Matches(msg, m.keys.Switch):
		return m.onDeviceKey(msg, p)
	}
	return nil
}

// onUserKey takes the TV provider user id (step 3, once the provider is chosen).
func (m *Model) onUserKey(msg tea.KeyPressMsg, p *pane) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Next):
		user := strings.TrimSpace(p.picker.user.Value())
		if user == "" {
			p.say(levelErr, "The user id is empty: type one, such as "+DefaultProviderUser+".")
			return nil
		}
		p.release()
		mv := p.picker.chosen()
		if code := p.activating; code != "" {
			p.activating = ""
			p.say(levelInfo, "Activating the TV's code "+present.GroupCode(code)+" with "+mv.Name+" as "+user+"…")
			return m.start(m.focus, opActivate, code, []string{mv.ID, user})
		}
		p.say(levelInfo, "Signing in with "+mv.Name+" as "+user+"…")
		return m.start(m.focus, opMVPD, mv.ID, []string{user})
	case key.Matches(msg, m.keys.Back):
		m.pick(p)
	case !p.picker.user.Update(msg) && key.Matches(msg, m.keys.Switch):
		return m.onDeviceKey(msg, p)
	}
	return nil
}

func (m *Model) onEditKey(msg tea.KeyPressMsg, p *pane) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Next):
		p.release()
		return m.next(p)
	case key.Matches(msg, m.keys.Back):
		p.release()
		p.say(levelInfo, "Press enter to sign in as "+p.identity.Value()+".")
	case !p.identity.Update(msg) && key.Matches(msg, m.keys.Switch):
		return m.onDeviceKey(msg, p)
	}
	return nil
}

// onPaste puts pasted text into the entry the device's mode has open; a paste on a
// TV waiting for its code starts typing it.
func (m *Model) onPaste(msg tea.PasteMsg) {
	p := m.focused()
	if p == nil {
		return
	}
	switch p.mode() {
	case modeEditIdentity:
		p.identity.Update(msg)
	case modeProviderUser:
		p.picker.user.Update(msg)
	case modeTVCodeEntry:
		p.tvCodeIn.Update(msg)
	case modeCodeEntry:
		p.hold(modeTypingCode)
		fallthrough
	case modeTypingCode:
		p.codeIn.Update(msg)
	}
}

// next does the focused device's next step of the flow.
func (m *Model) next(p *pane) tea.Cmd {
	switch md := p.mode(); {
	case md == modeUnlinked:
		return m.signInAgain(p)
	case md == modeIdentity:
		id := strings.TrimSpace(p.identity.Value())
		if id == "" {
			p.say(levelErr, "The identity is empty: press e and type one, such as "+DefaultIdentity+".")
			return nil
		}
		p.say(levelInfo, "Signing in as "+id+"…")
		return m.start(m.focus, opSignIn, id, nil)
	case md == modeDevices && p.primary() && p.canProvider() && p.providers != nil && len(p.providers.Profiles) == 0:
		m.pick(p)
	case md == modeDevices && p.primary():
		p.card.autoCodes = 0
		p.say(levelInfo, "Asking for a link code…")
		return m.start(m.focus, opLink, "", nil)
	case md == modeLinkCard:
		p.say(levelInfo, "The TV is next: type the code there (tab switches device).")
	case md == modeTVCode && p.tvCode.signIn != nil:
		p.say(levelInfo, "a plays a resource with the TV provider sign-in.")
	case md == modeTVCode:
		p.say(levelInfo, "Activate the code on a phone: the phone pane's A, or the page under the QR image.")
	case md == modePhonePage:
		p.release()
	case md == modeCodeEntry && p.codeIn.Value() == "":
		p.hold(modeTypingCode)
		p.say(levelInfo, "Type the code the phone shows, then enter.")
	case md == modeCodeEntry, md == modeTypingCode:
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
	p.startedOver = true
	p.state.SignedIn = false
	p.table.devices, p.table.listed = nil, false
	p.card.link, p.card.showLink = nil, false
	p.tvCode, p.play, p.activating = tvCodeCard{}, playResult{}, ""
	p.providers, p.providerNote, p.authn, p.authnNote = nil, "", nil, ""
	p.release()
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
		for _, r := range p.table.devices {
			if r.key == k {
				n := present.Safe(present.DeviceName(r.entry))
				if r.self {
					n += " (this device)"
				}
				names = append(names, n)
			}
		}
	}
	return fmt.Sprintf("%d %s: %s", len(keys), present.Plural(len(keys), "device", "devices"), strings.Join(names, ", "))
}
