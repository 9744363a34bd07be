package tui

import "charm.land/bubbles/v2/key"

// shortHelp is the bottom bar: the keys that do something now, on the focused device,
// named for what they do there. The keys that always work (tab, ?, q) come first, so
// that a narrow bar cuts the others.
func (m *Model) shortHelp() []key.Binding {
	k := m.keys
	p := m.focused()
	as := func(b key.Binding, desc string) key.Binding {
		b.SetHelp(b.Help().Key, desc)
		return b
	}
	var always []key.Binding
	if len(m.panes) > 1 {
		always = append(always, k.Switch)
	}
	always = append(always, k.Help, k.Quit)
	if m.tour.on {
		always = append(always, as(k.TourNext, "tour next"), as(k.TourPrev, "back"))
	}
	if p == nil {
		return always
	}
	if m.layer() == layerHTTP {
		if p.http.detail {
			return append(always, as(k.Back, "list"), as(k.CopyCurl, "copy as curl"), as(k.SaveHAR, "save as HAR"))
		}
		return append(always, as(k.Next, "full view"), as(k.Back, "close"), as(k.CopyCurl, "copy as curl"), as(k.SaveHAR, "save as HAR"), as(k.Polls, "polls"))
	}
	var out []key.Binding
	switch p.mode() {
	case modeEditIdentity:
		return []key.Binding{as(k.Next, "sign in"), as(k.Back, "keep the old identity"), as(k.Quit, "quit (ctrl+c)")}
	case modePickProvider:
		return append([]key.Binding{as(k.Next, "choose it"), as(k.Back, "cancel")}, always...)
	case modeProviderUser:
		return []key.Binding{as(k.Next, "sign in"), as(k.Back, "back to the list"), k.Switch}
	case modeTypingCode:
		return []key.Binding{as(k.Next, "join with the code"), as(k.Back, "stop typing"), k.Switch, key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit"))}
	case modeConfirmUnlink:
		return []key.Binding{as(k.Yes, "unlink"), as(k.No, "keep (default)")}
	case modeTVCodeEntry:
		return []key.Binding{as(k.Next, "pick the TV provider"), as(k.Back, "cancel"), k.Switch, key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit"))}
	case modePhonePage:
		out = []key.Binding{as(k.PhonePage, "close"), as(k.ShowQR, "QR full screen")}
	case modeTVCode:
		if p.tvCode.pending() {
			out = []key.Binding{as(k.ShowQR, "QR full screen"), as(k.ShowCode, "new code"), as(k.Back, "type a code instead")}
		} else if p.tvCode.signIn == nil {
			out = []key.Binding{as(k.ShowCode, "new code"), as(k.Back, "type a code instead")}
		}
		if p.authenticated() {
			out = append(out, as(k.Play, "play"))
		}
	case modeUnlinked:
		out = []key.Binding{k.SignInAgain}
	case modeIdentity:
		out = []key.Binding{as(k.Next, "sign in"), k.Edit}
		if p.canSecondScreen() {
			out = append(out, as(k.Activate, "activate a TV's code"))
		}
	case modeLinkCard:
		out = []key.Binding{k.Copy, k.ShowQR, as(k.Link, "new code"), as(k.DevicesTab, "hide the code")}
	case modeCodeEntry:
		out = []key.Binding{as(k.TypeCode, "type the code")}
		if p.canSecondScreen() {
			out = append(out, as(k.ShowCode, "show a code"))
		}
		if p.canRoku() {
			out = append(out, k.Roku)
		}
	case modeDevices:
		if p.primary() {
			out = append(out, as(k.Link, "link a device"))
			if p.canProvider() {
				out = append(out, as(k.Provider, "TV provider"))
				if _, _, has := p.provider(); has {
					out = append(out, as(k.SignOut, "provider sign-out"))
				}
			}
		}
		if !p.primary() && p.canSecondScreen() && p.authenticated() {
			out = append(out, as(k.Play, "play"))
		}
		if p.primary() && p.canSecondScreen() {
			out = append(out, as(k.Activate, "activate a TV's code"))
		}
		out = append(out, k.Unlink)
		if len(m.ghosts(p)) > 0 {
			out = append(out, as(k.Ghosts, "unlink leftovers"))
		}
	}
	return append(append(always, out...), k.HTTP, k.Tour)
}
