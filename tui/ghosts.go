package tui

import (
	"fmt"
	"time"

	"github.com/handoff-sso/handoff/present"
)

// staleAfter is how long a device of the profile may go unseen before it is taken
// for a leftover of an earlier run: a running handoff reads the list every 5 s.
const staleAfter = time.Minute

// ghosts are the devices of p's profile that look like this machine's leftovers:
// the same kind of device as one on this screen (an earlier run without a keyring
// made a new identity for it), not on this screen now, and not seen for a while.
func (m *Model) ghosts(p *pane) []string {
	here := map[string]bool{}
	kinds := map[string]bool{}
	for _, q := range m.panes {
		here[q.state.Key] = true
	}
	for _, r := range p.table.devices {
		if here[r.key] {
			kinds[present.DeviceName(r.entry)] = true
		}
	}
	var keys []string
	now := m.now()
	for _, r := range p.table.devices {
		if !here[r.key] && kinds[present.DeviceName(r.entry)] && now.Sub(r.entry.LastSeen.Time()) > staleAfter {
			keys = append(keys, r.key)
		}
	}
	return keys
}

// offerGhosts says, once per list that holds them, that x unlinks the leftovers.
func (m *Model) offerGhosts(p *pane) {
	g := m.ghosts(p)
	if len(g) == 0 || p.ghostsOffered == len(g) {
		return
	}
	p.ghostsOffered = len(g)
	p.say(levelWarn, fmt.Sprintf("%d %s of the same kind as this screen's, unseen for over a minute, look like leftovers of earlier runs (no keyring kept their identity). x unlinks them.",
		len(g), present.Plural(len(g), "device", "devices")))
}
