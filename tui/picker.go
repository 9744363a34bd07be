package tui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/present"
)

// providerPicker is the phone's step 3: the list of TV providers (MVPDs) with a
// cursor, then the user id typed at the chosen one.
type providerPicker struct {
	cursor  int
	user    entry
	forCode string // a TV's code the sign-in activates; "": the phone's step 3
}

// heading says what the sign-in is for.
func (pp *providerPicker) heading(name string) string {
	if pp.forCode != "" {
		return "Activate the TV's code " + present.GroupCode(pp.forCode) + ": sign in with " + name
	}
	return "Step 3: sign in with " + name
}

func newProviderPicker() providerPicker {
	u := newEntry("user id › ", "", 64, nil, false)
	u.SetValue(DefaultProviderUser)
	return providerPicker{user: u}
}

// chosen is the TV provider under the cursor.
func (pp *providerPicker) chosen() assets.MVPD { return assets.MVPDs()[pp.cursor] }

// Update moves in the list; it reports whether the key was the list's.
func (pp *providerPicker) Update(msg tea.KeyPressMsg, k KeyMap) bool {
	switch n := len(assets.MVPDs()); {
	case key.Matches(msg, k.Up):
		pp.cursor = max(0, pp.cursor-1)
	case key.Matches(msg, k.Down):
		pp.cursor = min(n-1, pp.cursor+1)
	default:
		return false
	}
	return true
}

// ListView is the list in width×height cells, scrolled to keep the cursor in sight.
func (pp *providerPicker) ListView(width, height int, s Styles) []string {
	list := assets.MVPDs()
	var out []string
	for _, l := range wrap(pp.heading("your TV provider (MVPD: the company that sells the TV subscription)"), width) {
		out = append(out, s.Bold.Render(l))
	}
	out = append(out, s.Muted.Render(cut("↑/↓ move · enter chooses it · esc cancels", width)))
	rows := max(1, height-len(out))
	start := max(0, min(pp.cursor-rows+1, len(list)-rows))
	for i := start; i < len(list) && i < start+rows; i++ {
		line := "  " + list[i].Name
		if i == pp.cursor {
			cur := "▸ "
			if s.Plain {
				cur = "> "
			}
			line = s.Selected.Render(cur + list[i].Name)
		}
		out = append(out, line)
	}
	return out
}

// UserView is the user id's entry at the chosen TV provider, width cells wide.
func (pp *providerPicker) UserView(width int, s Styles) []string {
	out := []string{s.Bold.Render(cut(pp.heading(pp.chosen().Name), width))}
	out = append(out, wrap("The user id at the TV provider; the sandbox's provider takes any.", width)...)
	return append(out, pp.user.View(), s.Muted.Render(cut("enter signs in · esc goes back to the list · ctrl+u clears", width)))
}
