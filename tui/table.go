package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

// deviceTable is the profile's devices as last listed, with a cursor and a selection
// for unlinking.
type deviceTable struct {
	devices  []deviceRow
	listed   bool
	cursor   int
	selected map[string]bool
}

// deviceRow is one line of the devices table.
type deviceRow struct {
	key   string
	entry client.DeviceEntry
	self  bool
}

// set takes in a new list of the profile's devices; self is this device's key.
func (t *deviceTable) set(list *client.DeviceList, self string) {
	t.listed = true
	t.devices = t.devices[:0]
	for _, k := range present.SortDevices(list.Devices, self) {
		t.devices = append(t.devices, deviceRow{key: k, entry: list.Devices[k], self: k == self})
	}
	for k := range t.selected {
		if !t.has(k) {
			delete(t.selected, k)
		}
	}
	t.cursor = max(0, min(t.cursor, len(t.devices)-1))
}

func (t *deviceTable) has(key string) bool {
	for _, r := range t.devices {
		if r.key == key {
			return true
		}
	}
	return false
}

// toUnlink is what `u` acts on: the selected devices, or the one under the cursor.
func (t *deviceTable) toUnlink() []string {
	var keys []string
	for _, r := range t.devices {
		if t.selected[r.key] {
			keys = append(keys, r.key)
		}
	}
	if len(keys) == 0 && t.cursor < len(t.devices) {
		keys = []string{t.devices[t.cursor].key}
	}
	return keys
}

// Update moves the cursor and toggles the selection; it reports whether the key was
// the table's.
func (t *deviceTable) Update(msg tea.KeyPressMsg, k KeyMap) bool {
	switch {
	case key.Matches(msg, k.Up):
		t.cursor = max(0, t.cursor-1)
	case key.Matches(msg, k.Down):
		t.cursor = max(0, min(len(t.devices)-1, t.cursor+1))
	case key.Matches(msg, k.Select) && t.cursor < len(t.devices):
		r := t.devices[t.cursor]
		if t.selected == nil {
			t.selected = map[string]bool{}
		}
		t.selected[r.key] = !t.selected[r.key]
		if !t.selected[r.key] {
			delete(t.selected, r.key)
		}
	default:
		return false
	}
	return true
}

func unix(sec int64) time.Time {
	if sec == 0 {
		return time.Time{}
	}
	return time.Unix(sec, 0)
}

// deviceTable draws the profile's devices: who is this device, what each is, when it
// was last seen and how it joined; the cursor row and the selection are marked with
// symbols, not only colour.
func (t *deviceTable) View(width, height int, now time.Time, s Styles) []string {
	switch {
	case height < 3:
		return nil
	case !t.listed:
		return []string{"Listing the profile's devices…"}
	case len(t.devices) == 0:
		return []string{"No devices on this profile."}
	}
	out := []string{s.Bold.Render(fmt.Sprintf("Devices on this profile: %d", len(t.devices)))}
	// Columns as wide as what they hold; the name takes the rest, and the type, then
	// the OS, give way when the name would be cut.
	head := []string{"Device", "Type", "OS", "Last seen", "Joined by"}
	cells := make([][]string, len(t.devices))
	widths := make([]int, len(head))
	for c, h := range head {
		widths[c] = len(h)
	}
	for i, r := range t.devices {
		name := present.Safe(present.DeviceName(r.entry))
		if r.self {
			name = "(this device) " + name
		}
		cells[i] = []string{name, present.Safe(r.entry.DeviceType), present.Safe(strings.TrimSpace(r.entry.OS + " " + r.entry.OSVersion)),
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
	var details []string
	if t.cursor < len(t.devices) {
		details = detailLines(t.devices[t.cursor].entry, width, s)
	}
	rows := height - len(out) - 1 - len(details)
	if rows < 1 {
		rows, details = height-len(out)-1, nil
	}
	start := max(0, min(t.cursor-rows+1, len(t.devices)-rows))
	for i := start; i < len(t.devices) && i < start+rows; i++ {
		r := t.devices[i]
		cur, sel := "  ", "[ ] "
		if i == t.cursor {
			cur = "▸ "
			if s.Plain {
				cur = "> "
			}
		}
		if t.selected[r.key] {
			sel = "[x] "
		}
		l := ansi.Truncate(cur+sel+line(cells[i]), width, "…")
		if i == t.cursor {
			l = s.Selected.Render(l)
		}
		out = append(out, l)
	}
	out = append(out, details...)
	out = append(out, s.Muted.Render("↑/↓ move · space selects · u unlinks"))
	return out
}

// shownAttributes are the attributes the table's columns already show.
var shownAttributes = map[string]bool{"deviceType": true, "os": true, "osVersion": true, "lastSeen": true, "type": true}

// detailLines are the cursor device's other attributes, the ones handoff does not know
// included (the seed names no closed set), as name=value on up to two lines; every
// name and value came from a server and is drawn escaped.
func detailLines(e client.DeviceEntry, width int, s Styles) []string {
	var parts []string
	for _, name := range e.Names() {
		if shownAttributes[name] {
			continue
		}
		// Two lines show no more than this; a huge value must not be escaped each frame.
		parts = append(parts, present.Safe(truncate(name, 64))+"="+present.Safe(truncate(e.Text(name), 160)))
	}
	if len(parts) == 0 {
		return nil
	}
	lines := wrap("▸ details: "+strings.Join(parts, " · "), width)
	if len(lines) > 2 {
		lines = lines[:2]
		lines[1] = ansi.Truncate(lines[1], width-1, "") + "…"
	}
	for i, l := range lines {
		lines[i] = s.Muted.Render(l)
	}
	return lines
}
