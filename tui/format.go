package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/handoff-sso/handoff/client"
)

// GroupCode writes a six-digit code as people read it: "123 456". The CLI prints
// codes the same way.
func GroupCode(code string) string {
	if len(code) == 6 {
		return code[:3] + " " + code[3:]
	}
	return code
}

func clock(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.Local().Format("15:04:05")
}

// countdown writes what is left: "9:58", "1:02:03", "expired".
func countdown(d time.Duration) string {
	if d <= 0 {
		return "expired"
	}
	d = d.Round(time.Second)
	h, mi, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, mi, s)
	}
	return fmt.Sprintf("%d:%02d", mi, s)
}

// ago writes how long since: "just now", "2 min ago", "3 h ago", "2 days ago".
func ago(now, t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return fmt.Sprintf("%d min ago", int(d.Minutes()))
	case d < 48*time.Hour:
		return fmt.Sprintf("%d h ago", int(d.Hours()))
	}
	return fmt.Sprintf("%d days ago", int(d.Hours()/24))
}

// deviceName is what a person calls a listed device: "Samsung QN65S95D".
func deviceName(e client.DeviceEntry) string {
	name := strings.TrimSpace(e.Manufacturer + " " + e.Model)
	if name == "" {
		name = e.DeviceType
	}
	if name == "" {
		name = "a device"
	}
	return name
}

// joinedVia words the list's type.
func joinedVia(t string) string {
	switch t {
	case "regular":
		return "sign-in"
	case "sso":
		return "link code"
	case "platformSSO":
		return "platform"
	}
	return t
}

// bar draws a countdown bar of width cells, full when left equals total.
func bar(s Styles, width int, left, total time.Duration) string {
	if width < 1 {
		return ""
	}
	filled := 0
	if total > 0 && left > 0 {
		filled = int(float64(width)*float64(left)/float64(total) + 0.5)
	}
	filled = max(0, min(width, filled))
	return s.BarFull.Render(strings.Repeat(s.BarFullCh, filled)) + s.BarEmpty.Render(strings.Repeat(s.BarEmptyCh, width-filled))
}

// truncate cuts s to width cells (ASCII-safe for table cells), marking the cut.
func truncate(s string, width int) string {
	r := []rune(s)
	if len(r) <= width {
		return s
	}
	if width <= 1 {
		return string(r[:max(0, width)])
	}
	return string(r[:width-1]) + "…"
}

func pad(s string, width int) string {
	s = truncate(s, width)
	if n := width - len([]rune(s)); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}
