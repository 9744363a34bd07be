package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/handoff-sso/handoff/present"
)

func unix(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0)
}

// deviceTable draws the profile's devices: who is this device, what each is, when it
// was last seen and how it joined; the cursor row and the selection are marked with
// symbols, not only colour.
func (m *Model) deviceTable(p *pane, width, height int) []string {
	s := m.styles
	switch {
	case height < 3:
		return nil
	case !p.listed:
		return []string{"Listing the profile's devices…"}
	case len(p.devices) == 0:
		return []string{"No devices on this profile."}
	}
	out := []string{s.Bold.Render(fmt.Sprintf("Devices on this profile: %d", len(p.devices)))}
	now := m.now()
	// Columns as wide as what they hold; the name takes the rest, and the type, then
	// the OS, give way when the name would be cut.
	head := []string{"Device", "Type", "OS", "Last seen", "Joined by"}
	cells := make([][]string, len(p.devices))
	widths := make([]int, len(head))
	for c, h := range head {
		widths[c] = len(h)
	}
	for i, r := range p.devices {
		name := present.DeviceName(r.entry)
		if r.self {
			name = "(this device) " + name
		}
		cells[i] = []string{name, r.entry.DeviceType, strings.TrimSpace(r.entry.OS + " " + r.entry.OSVersion),
			present.Ago(now, r.entry.LastSeen.Time()), present.JoinedBy(r.entry.Type)}
		for c, v := range cells[i] {
			widths[c] = max(widths[c], ansi.StringWidth(v))
		}
	}
	show := []bool{true, true, true, true, true}
	const lead = 6 // cursor and selection marks
	room := func() int {
		w := width - lead
		for c := 1; c < len(head); c++ {
			if show[c] {
				w -= widths[c] + 1
			}
		}
		return w
	}
	for _, drop := range []int{1, 2} {
		if room() >= widths[0] {
			break
		}
		show[drop] = false
	}
	widths[0] = max(8, room())
	line := func(row []string) string {
		var b strings.Builder
		for c, v := range row {
			if show[c] {
				if c > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(pad(v, widths[c]))
			}
		}
		return b.String()
	}
	out = append(out, s.Header.Render(ansi.Truncate("      "+line(head), width, "…")))
	rows := height - len(out) - 1
	start := max(0, min(p.cursor-rows+1, len(p.devices)-rows))
	for i := start; i < len(p.devices) && i < start+rows; i++ {
		r := p.devices[i]
		cur, sel := "  ", "[ ] "
		if i == p.cursor {
			cur = "▸ "
			if s.Plain {
				cur = "> "
			}
		}
		if p.selected[r.key] {
			sel = "[x] "
		}
		l := ansi.Truncate(cur+sel+line(cells[i]), width, "…")
		if i == p.cursor {
			l = s.Selected.Render(l)
		}
		out = append(out, l)
	}
	out = append(out, s.Muted.Render("↑/↓ move · space selects · u unlinks"))
	return out
}
