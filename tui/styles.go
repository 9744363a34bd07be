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

	Title      Ink // the top bar
	Muted      Ink
	Bold       Ink
	Pane       Frame // a device's frame
	PaneFocus  Frame // the focused device's frame
	PaneTitle  Ink
	Tab        Ink
	TabActive  Ink
	StepDone   Ink
	StepNext   Ink // the next action; the tour highlights it too
	StepLater  Ink
	OK         Ink
	Warn       Ink
	Err        Ink
	Digits     Ink
	Selected   Ink // the row under the cursor
	Header     Ink // table headers
	Tour       lipgloss.Style
	BarFull    Ink
	BarEmpty   Ink
	Help       help.Styles
	BarFullCh  string
	BarEmptyCh string
}

// NewStyles builds the styles for a dark or light background; plain drops borders,
// colours and block characters that screen readers stumble on.
func NewStyles(dark, plain bool) Styles {
	if plain {
		n := inkOf(lipgloss.NewStyle())
		p := lipgloss.NewStyle()
		return Styles{
			Plain: true, Dark: dark,
			Title: n, Muted: n, Bold: n, PaneTitle: n, Tab: n, TabActive: n,
			StepDone: n, StepNext: n, StepLater: n, OK: n, Warn: n, Err: n, Digits: n, Selected: n,
			Header: n, Tour: p, BarFull: n, BarEmpty: n,
			Help:      help.Styles{ShortKey: p, ShortDesc: p, ShortSeparator: p, Ellipsis: p, FullKey: p, FullDesc: p, FullSeparator: p},
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
		Title:     inkOf(base.Bold(true).Foreground(accent)),
		Muted:     inkOf(base.Foreground(muted)),
		Bold:      inkOf(base.Bold(true)),
		Pane:      Frame{Border: lipgloss.RoundedBorder(), Paint: inkOf(base.Foreground(frame))},
		PaneFocus: Frame{Border: lipgloss.ThickBorder(), Paint: inkOf(base.Foreground(accent))},
		PaneTitle: inkOf(base.Bold(true).Foreground(accent)),
		Tab:       inkOf(base.Foreground(muted).Padding(0, 1)),
		TabActive: inkOf(base.Bold(true).Reverse(true).Padding(0, 1)),
		StepDone:  inkOf(base.Foreground(green)),
		StepNext:  inkOf(base.Bold(true).Foreground(accent)),
		StepLater: inkOf(base.Foreground(muted)),
		OK:        inkOf(base.Foreground(green)),
		Warn:      inkOf(base.Foreground(yellow)),
		Err:       inkOf(base.Bold(true).Foreground(red)),
		Digits:    inkOf(base.Bold(true).Foreground(accent)),
		Selected:  inkOf(base.Reverse(true)),
		Header:    inkOf(base.Bold(true)),
		Tour:      base.Border(lipgloss.NormalBorder(), true, false).BorderForeground(accent).Foreground(accent),
		BarFull:   inkOf(base.Foreground(accent)),
		BarEmpty:  inkOf(base.Foreground(frame)),
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
	Paint  Ink
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

// Ink is a style whose opening and closing sequences are worked out once, so that
// painting one line of text is two concatenations instead of a Style.Render, which
// measures and rebuilds its input on every frame. Text of several lines still goes
// through Render.
type Ink struct {
	lipgloss.Style
	pre, post string
}

func inkOf(st lipgloss.Style) Ink {
	const probe = "X" // no SGR sequence holds an X
	pre, post, _ := strings.Cut(st.Render(probe), probe)
	return Ink{Style: st, pre: pre, post: post}
}

// Render paints text as Style.Render would.
func (i Ink) Render(strs ...string) string {
	s := strings.Join(strs, " ")
	if strings.ContainsAny(s, "\n\t") {
		return i.Style.Render(s)
	}
	return i.pre + s + i.post
}
