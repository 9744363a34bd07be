package tui

// mode is what a device's part of the screen is doing: what it shows, what its keys
// do and what the bottom bar offers. It is worked out in one place, paneMode.
type mode int

const (
	modeIdentity      mode = iota // a signed-out phone: the identity offered, enter signs in
	modeEditIdentity              // typing the identity
	modeCodeEntry                 // a TV not joined: its code entry waits (a digit starts typing)
	modeTypingCode                // the code entry has the keyboard, letters included
	modePickProvider              // step 3: choosing a TV provider
	modeProviderUser              // step 3: typing the user id at the TV provider
	modeConfirmUnlink             // waiting for y/n before unlinking
	modeUnlinked                  // this device was unlinked from its profile
	modeLinkCard                  // the phone shows its link code
	modeDevices                   // signed in: token, TV provider, devices
)

// hold enters a mode on purpose (an entry, a list, a question) until a key ends it;
// the other modes follow from the device's state. Only the held entry has focus.
func (p *pane) hold(md mode) {
	p.held = md
	p.identity.Blur()
	p.picker.user.Blur()
	p.codeIn.Blur()
	switch md {
	case modeEditIdentity:
		p.identity.Focus()
	case modeProviderUser:
		p.picker.user.Focus()
	case modeTypingCode:
		p.codeIn.Focus()
	}
}

// release ends a held mode: the device's state decides again.
func (p *pane) release() { p.hold(modeIdentity) }

// mode is the device's mode, the precedence written once: a held mode while it still
// makes sense, then unlinked, then what the device's state shows.
func (p *pane) mode() mode {
	signed := p.signedIn()
	switch h := p.held; {
	case h == modeEditIdentity && p.primary() && !signed && !p.unlinked():
		return h
	case h == modeTypingCode && !p.primary() && !signed:
		return h
	case (h == modePickProvider || h == modeProviderUser || h == modeConfirmUnlink) && signed:
		return h
	}
	switch {
	case p.unlinked() && p.primary():
		return modeUnlinked
	case p.primary() && !signed:
		return modeIdentity
	case !signed:
		return modeCodeEntry
	case p.primary() && p.card.showLink && p.card.link != nil:
		return modeLinkCard
	}
	return modeDevices
}

// layer is what has the whole screen's keyboard: an overlay, the HTTP panel, or the
// focused device. Like mode, its precedence is written once.
type layer int

const (
	layerDevice layer = iota
	layerHelp
	layerQR
	layerHTTP
)

func (m *Model) layer() layer {
	p := m.focused()
	switch {
	case m.showHelp:
		return layerHelp
	case m.showQR && p != nil && p.card.link != nil && p.card.showLink:
		return layerQR
	case m.showHTTP && p != nil && !p.typing():
		return layerHTTP
	}
	return layerDevice
}

// typing is whether the device's keys go to an entry or a question first.
func (p *pane) typing() bool {
	switch p.mode() {
	case modeEditIdentity, modeTypingCode, modeProviderUser, modePickProvider, modeConfirmUnlink:
		return true
	}
	return false
}
