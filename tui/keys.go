package tui

import "charm.land/bubbles/v2/key"

// KeyMap is every key binding; `?` lists them all.
type KeyMap struct {
	Quit, Help, Switch, SwitchBack     key.Binding
	Next, Edit, Link, Copy, DevicesTab key.Binding
	Up, Down, Select, Unlink           key.Binding
	Yes, No                            key.Binding
	Refresh, SignInAgain               key.Binding
	Provider, SignOut, Roku, ShowQR    key.Binding
	HTTP, Tour, TourNext, TourPrev     key.Binding
	Polls, CopyCurl, SaveHAR, Fresh    key.Binding
	TypeCode, Ghosts, Back             key.Binding
	ShowCode, LegacyCode, Play         key.Binding
	Activate, PhonePage                key.Binding
}

// DefaultKeyMap is the key map; letters never collide with what the code entry takes
// (digits, spaces and dashes).
func DefaultKeyMap() KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Quit:        b("q", "quit", "q", "ctrl+c"),
		Help:        b("?", "all keys", "?"),
		Switch:      b("tab", "other device", "tab"),
		SwitchBack:  b("shift+tab", "previous device", "shift+tab"),
		Next:        b("enter", "next step", "enter"),
		Edit:        b("e", "edit identity", "e"),
		Link:        b("l", "new link code", "l"),
		Copy:        b("c", "copy code", "c"),
		DevicesTab:  b("d", "devices", "d"),
		Up:          b("↑/k", "up", "up", "k"),
		Down:        b("↓/j", "down", "down", "j"),
		Select:      b("space", "select device", "space"),
		Unlink:      b("u", "unlink selected", "u"),
		Yes:         b("y", "yes", "y"),
		No:          b("n", "no", "n"),
		Refresh:     b("r", "refresh token", "r"),
		SignInAgain: b("s", "sign in again", "s"),
		Provider:    b("p", "TV provider sign-in", "p"),
		SignOut:     b("o", "TV provider sign-out", "o"),
		Roku:        b("R", "sign in with Roku", "R"),
		ShowQR:      b("z", "QR image full screen", "z"),
		HTTP:        b("h", "HTTP panel", "h"),
		Tour:        b("t", "guided tour", "t"),
		TourNext:    b("]", "tour: next", "]"),
		TourPrev:    b("[", "tour: back", "["),
		Back:        b("esc", "back", "esc"),
		Polls:       b("P", "HTTP: show/hide polls", "P"),
		CopyCurl:    b("y", "HTTP: copy as curl", "y"),
		SaveHAR:     b("E", "HTTP: save as HAR", "E"),
		Fresh:       b("f", "tour: fresh start", "f"),
		TypeCode:    b("i", "type the code", "i"),
		Ghosts:      b("x", "unlink leftovers of earlier runs", "x"),
		ShowCode:    b("g", "TV: show a code (second screen)", "g"),
		LegacyCode:  b("G", "TV: show a v1 regcode", "G"),
		Play:        b("a", "TV: play (authorize)", "a"),
		Activate:    b("A", "phone: activate a TV's code", "A"),
		PhonePage:   b("w", "phone: QR of the phone page", "w"),
	}
}

// FullHelp is what `?` shows, grouped by what the keys act on. (The bottom bar is
// Model.shortHelp: the keys that act now.)
func (k KeyMap) FullHelp() [][]key.Binding {
	return [][]key.Binding{
		{k.Next, k.Switch, k.SwitchBack, k.Edit, k.TypeCode, k.ShowCode, k.LegacyCode, k.Play, k.Refresh, k.SignInAgain},
		{k.Provider, k.SignOut, k.Roku, k.Link, k.Copy, k.ShowQR, k.PhonePage, k.Activate, k.DevicesTab, k.Back},
		{k.Up, k.Down, k.Select, k.Unlink, k.Ghosts, k.Yes, k.No},
		{k.HTTP, k.Polls, k.CopyCurl, k.SaveHAR, k.Tour, k.TourNext, k.TourPrev, k.Fresh, k.Help, k.Quit},
	}
}
