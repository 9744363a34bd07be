package tui

import "charm.land/bubbles/v2/key"

// shortHelp is the bottom bar: the keys that do something now, on the focused device,
// named for what they do there.
func (m *Model) shortHelp() []key.Binding {
	k := m.keys
	p := m.focused()
	as := func(b key.Binding, desc string) key.Binding {
		b.SetHelp(b.Help().Key, desc)
		return b
	}
	var out []key.Binding
	switch {
	case p == nil:
	case p.editing:
		return []key.Binding{as(k.Next, "sign in"), as(k.Back, "keep the old identity")}
	case p.picking:
		return []key.Binding{k.Up, k.Down, as(k.Next, "choose it"), as(k.Back, "cancel")}
	case p.typingUser:
		return []key.Binding{as(k.Next, "sign in"), as(k.Back, "back to the list")}
	case p.confirm != nil:
		return []key.Binding{as(k.Yes, "unlink"), as(k.No, "keep (default)")}
	case m.showHTTP:
		out = []key.Binding{k.Up, k.Down, as(k.Next, "details"), as(k.Back, "back")}
	case p.unlinked:
		out = []key.Binding{k.SignInAgain}
	case p.primary() && !p.signedIn():
		out = []key.Binding{as(k.Next, "sign in"), k.Edit}
	case p.primary() && p.showLink:
		out = []key.Binding{k.Copy, k.ShowQR, as(k.Link, "new code"), as(k.DevicesTab, "hide the code")}
	case p.primary():
		if p.canProvider() {
			out = append(out, as(k.Provider, "TV provider"))
			if _, _, has := p.provider(); has {
				out = append(out, as(k.SignOut, "provider sign-out"))
			}
		}
		out = append(out, as(k.Link, "link a device"), k.Select, k.Unlink)
	case !p.signedIn():
		out = []key.Binding{as(k.Next, "join with the code")}
		if p.canRoku() {
			out = append(out, k.Roku)
		}
	default:
		out = []key.Binding{k.Select, k.Unlink, k.Refresh}
	}
	if len(m.panes) > 1 {
		out = append(out, k.Switch)
	}
	return append(out, k.Help, k.Quit, k.HTTP, k.Tour)
}
