package tui

import (
	"strings"
	"time"
)

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
