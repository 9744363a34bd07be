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
	modePhonePage                 // the phone shows the QR image of the sandbox's phone page
	modeTVCodeEntry               // the phone types a code a TV shows, to activate it
	modeTVCode                    // a TV not joined shows a code for a second screen
)

// hold enters a mode on purpose (an entry, a list, a question) until a key ends it;
// the other modes follow from the device's state. Only the held entry has focus.
func (p *pane) hold(md mode) {
	p.held = md
	p.identity.Blur()
	p.picker.user.Blur()
	p.codeIn.Blur()
	p.tvCodeIn.Blur()
	switch md {
	case modeTVCodeEntry:
		p.tvCodeIn.Focus()
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
	case (h == modePickProvider || h == modeProviderUser) && (signed || p.activating != ""):
		return h
	case h == modeConfirmUnlink && signed:
		return h
	case (h == modeTVCodeEntry || h == modePhonePage) && p.primary():
		return h
	}
	switch {
	case p.unlinked() && p.primary():
		return modeUnlinked
	case p.primary() && !signed:
		return modeIdentity
	case !signed && p.tvCode.code != nil:
		return modeTVCode
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
	case m.showQR && p != nil && p.fullQR() != nil:
		return layerQR
	case m.showHTTP && p != nil && !p.typing():
		return layerHTTP
	}
	return layerDevice
}

// typing is whether the device's keys go to an entry or a question first.
func (p *pane) typing() bool {
	switch p.mode() {
	case modeEditIdentity, modeTypingCode, modeProviderUser, modePickProvider, modeConfirmUnlink, modeTVCodeEntry:
		return true
	}
	return false
}

// fullQR is the QR image the mode shows, which z puts alone on the screen, with its
// caption; nil when the mode shows none.
func (p *pane) fullQR() *qrImages {
	var q *qrImages
	switch p.mode() {
	case modeLinkCard:
		q = &p.card.qr
	case modePhonePage:
		q = &p.phone.qr
	case modeTVCode:
		if p.tvCode.pending() {
			q = &p.tvCode.qr
		}
	}
	if q == nil || q.small() == "" {
		return nil
	}
	return q
}
