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
	const typeW, osW, seenW, joinW = 12, 11, 11, 10
	showType := width >= 72
	flex := width - 6 - osW - seenW - joinW
	if showType {
		flex -= typeW
	}
	head := "      " + pad("Device", flex) + " "
	if showType {
		head += pad("Type", typeW-1) + " "
	}
	head += pad("OS", osW-1) + " " + pad("Last seen", seenW-1) + " " + pad("Joined by", joinW)
	out = append(out, s.Header.Render(ansi.Truncate(head, width, "")))
	rows := height - len(out) - 1
	start := max(0, min(p.cursor-rows+1, len(p.devices)-rows))
	now := m.now()
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
		name := present.DeviceName(r.entry)
		if r.self {
			name = "(this device) " + name
		}
		line := cur + sel + pad(name, flex) + " "
		if showType {
			line += pad(r.entry.DeviceType, typeW-1) + " "
		}
		line += pad(strings.TrimSpace(r.entry.OS+" "+r.entry.OSVersion), osW-1) + " " +
			pad(present.Ago(now, r.entry.LastSeen.Time()), seenW-1) + " " + pad(present.JoinedBy(r.entry.Type), joinW)
		line = ansi.Truncate(line, width, "")
		if i == p.cursor {
			line = s.Selected.Render(line)
		}
		out = append(out, line)
	}
	out = append(out, s.Muted.Render("↑/↓ move · space selects · u unlinks"))
	return out
}
