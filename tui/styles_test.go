package tui

import (
	"image/color"
	"math"
	"reflect"
	"testing"

	"charm.land/lipgloss/v2"
)

// luminance is WCAG 2's relative luminance of c.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// TestTextReachesContrastInBothPalettes checks every text style's colour against a
// black background (dark palette) and a white one (light palette): 4.5:1, WCAG AA.
func TestTextReachesContrastInBothPalettes(t *testing.T) {
	for _, tc := range []struct {
		dark bool
		bg   color.Color
	}{{true, color.Black}, {false, color.White}} {
		s := NewStyles(tc.dark, false)
		check := func(name string, st lipgloss.Style) {
			fg := st.GetForeground()
			if _, none := fg.(lipgloss.NoColor); none || fg == nil {
				return // the terminal's own foreground
			}
			if c := contrast(fg, tc.bg); c < 4.5 {
				t.Errorf("dark=%v: %s is %.2f:1 on its background, want 4.5:1", tc.dark, name, c)
			}
		}
		v := reflect.ValueOf(s)
		checked := 0
		for i := range v.NumField() {
			name := v.Type().Field(i).Name
			if name == "Selected" || name == "BarEmpty" {
				continue
			}
			switch st := v.Field(i).Interface().(type) {
			case Ink:
				check(name, st.Style)
				checked++
			case lipgloss.Style:
				check(name, st)
				checked++
			}
		}
		h := reflect.ValueOf(s.Help)
		for i := range h.NumField() {
			check("Help."+h.Type().Field(i).Name, h.Field(i).Interface().(lipgloss.Style))
			checked++
		}
		if checked < 20 {
			t.Fatalf("only %d styles checked", checked)
		}
		// Borders and the countdown bar's empty part are graphics: 3:1 (WCAG 1.4.11).
		for name, st := range map[string]lipgloss.Style{"Pane": s.Pane.Paint.Style, "PaneFocus": s.PaneFocus.Paint.Style, "BarEmpty": s.BarEmpty.Style} {
			if c := contrast(st.GetForeground(), tc.bg); c < 3 {
				t.Errorf("dark=%v: the %s border is %.2f:1, want 3:1", tc.dark, name, c)
			}
		}
	}
}

// TestInkPaintsAsRenderDoes checks the precomputed paint against Style.Render.
func TestInkPaintsAsRenderDoes(t *testing.T) {
	for _, dark := range []bool{true, false} {
		s := NewStyles(dark, false)
		for _, in := range []Ink{s.Muted, s.Err, s.TabActive, s.Selected, s.StepNext} {
			for _, text := range []string{"plain words", "", "a", "two\nlines"} {
				if got, want := in.Render(text), in.Style.Render(text); got != want {
					t.Errorf("dark=%v: Ink.Render(%q) = %q, Style.Render = %q", dark, text, got, want)
				}
			}
		}
	}
}
