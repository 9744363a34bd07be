package tui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	"charm.land/lipgloss/v2"
)

// Styles are every style the interface uses, built once per background (dark or light)
// and once more for --plain, where nothing is drawn with boxes or colours.
type Styles struct {
	Plain bool
	Dark  bool

	Title      lipgloss.Style // the top bar
	Muted      lipgloss.Style
	Bold       lipgloss.Style
	Pane       Frame // a device's frame
	PaneFocus  Frame // the focused device's frame
	PaneTitle  lipgloss.Style
	Tab        lipgloss.Style
	TabActive  lipgloss.Style
	StepDone   lipgloss.Style
	StepNext   lipgloss.Style // the next action; the tour highlights it too
	StepLater  lipgloss.Style
	OK         lipgloss.Style
	Warn       lipgloss.Style
	Err        lipgloss.Style
	Digits     lipgloss.Style
	Selected   lipgloss.Style // the row under the cursor
	Header     lipgloss.Style // table headers
	Tour       lipgloss.Style
	BarFull    lipgloss.Style
	BarEmpty   lipgloss.Style
	Help       help.Styles
	BarFullCh  string
	BarEmptyCh string
}

// NewStyles builds the styles for a dark or light background; plain drops borders,
// colours and block characters that screen readers stumble on.
func NewStyles(dark, plain bool) Styles {
	if plain {
		n := lipgloss.NewStyle()
		return Styles{
			Plain: true, Dark: dark,
			Title: n, Muted: n, Bold: n, PaneTitle: n, Tab: n, TabActive: n,
			StepDone: n, StepNext: n, StepLater: n, OK: n, Warn: n, Err: n, Digits: n, Selected: n,
			Header: n, Tour: n, BarFull: n, BarEmpty: n,
			Help:      help.Styles{ShortKey: n, ShortDesc: n, ShortSeparator: n, Ellipsis: n, FullKey: n, FullDesc: n, FullSeparator: n},
			BarFullCh: "#", BarEmptyCh: "-",
		}
	}
	ld := lipgloss.LightDark(dark)
	accent := ld(lipgloss.Color("#5A3FC0"), lipgloss.Color("#B8A6FF"))
	muted := ld(lipgloss.Color("#6B6B6B"), lipgloss.Color("#9A9A9A"))
	green := ld(lipgloss.Color("#1B7F3B"), lipgloss.Color("#6BD68A"))
	yellow := ld(lipgloss.Color("#8A5A00"), lipgloss.Color("#F2C85B"))
	red := ld(lipgloss.Color("#B3261E"), lipgloss.Color("#FF8A80"))
	// Borders are not text, but must still read (3:1 on the background, WCAG 1.4.11);
	// every text colour here reaches 4.5:1 on black and on white (styles_test.go).
	frame := ld(lipgloss.Color("#8A8A8A"), lipgloss.Color("#767676"))
	base := lipgloss.NewStyle()
	return Styles{
		Dark:      dark,
		Title:     base.Bold(true).Foreground(accent),
		Muted:     base.Foreground(muted),
		Bold:      base.Bold(true),
		Pane:      Frame{Border: lipgloss.RoundedBorder(), Paint: base.Foreground(frame)},
		PaneFocus: Frame{Border: lipgloss.ThickBorder(), Paint: base.Foreground(accent)},
		PaneTitle: base.Bold(true).Foreground(accent),
		Tab:       base.Foreground(muted).Padding(0, 1),
		TabActive: base.Bold(true).Reverse(true).Padding(0, 1),
		StepDone:  base.Foreground(green),
		StepNext:  base.Bold(true).Foreground(accent),
		StepLater: base.Foreground(muted),
		OK:        base.Foreground(green),
		Warn:      base.Foreground(yellow),
		Err:       base.Bold(true).Foreground(red),
		Digits:    base.Bold(true).Foreground(accent),
		Selected:  base.Reverse(true),
		Header:    base.Bold(true),
		Tour:      base.Border(lipgloss.NormalBorder(), true, false).BorderForeground(accent).Foreground(accent),
		BarFull:   base.Foreground(accent),
		BarEmpty:  base.Foreground(frame),
		Help: help.Styles{
			ShortKey: base.Bold(true), ShortDesc: base.Foreground(muted), ShortSeparator: base.Foreground(muted), Ellipsis: base.Foreground(muted),
			FullKey: base.Bold(true), FullDesc: base.Foreground(muted), FullSeparator: base.Foreground(muted),
		},
		BarFullCh:  "█",
		BarEmptyCh: "░",
	}
}

// Frame is a box drawn around a device: its border characters and their colour. The
// box is drawn by hand rather than by Style.Render, which would measure every line of
// the pane again on each frame.
type Frame struct {
	Border lipgloss.Border
	Paint  lipgloss.Style
}

// draw boxes lines that are each exactly inner cells wide, with one space of padding.
func (f Frame) draw(lines []string, inner int) []string {
	b := f.Border
	left, right := f.Paint.Render(b.Left)+" ", " "+f.Paint.Render(b.Right)
	out := make([]string, 0, len(lines)+2)
	out = append(out, f.Paint.Render(b.TopLeft+strings.Repeat(b.Top, inner+2)+b.TopRight))
	for _, l := range lines {
		out = append(out, left+l+right)
	}
	return append(out, f.Paint.Render(b.BottomLeft+strings.Repeat(b.Bottom, inner+2)+b.BottomRight))
}
