package tui

import (
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/handoff-sso/handoff/client"
)

// emptyLink breaks the Device contract: its link step answers neither a code nor an
// error.
type emptyLink struct{ *fakeDevice }

func (emptyLink) Link(context.Context) (*client.LinkCode, error) { return nil, nil }

func TestAStepWithoutAnAnswerIsExplainedNotACrash(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	tm.Model = New(Options{Devices: []DeviceSpec{{"Phone", emptyLink{tm.phone}}}, Now: tm.opts.Now})
	tm.Update(windowSize(120, 40))
	tm.press("enter", "l")
	p := tm.panes[0]
	if p.card.link != nil || p.card.showLink || !strings.HasPrefix(p.status, "Something unexpected went wrong") {
		t.Fatalf("link %v shown %v, status %q", p.card.link, p.card.showLink, p.status)
	}
	tm.wantScreen(t, "Something unexpected", "the failure is not on screen")
}

func TestNoDevicesDrawsAScreen(t *testing.T) {
	m := New(Options{})
	for _, k := range []string{"h", "z", "?", "enter"} {
		send(m, windowSize(120, 40))
		send(m, press(k))
		if s := m.Render(); !strings.Contains(s, "handoff") {
			t.Fatalf("after %s the screen is %q", k, s)
		}
	}
}

// TestHTTPDetailIsLaidOutInUpdate checks that the open exchange fills the screen,
// scrolls no further than its last page, and that drawing it changes nothing.
func TestHTTPDetailIsLaidOutInUpdate(t *testing.T) {
	tm := newTestModel(t, 120, 30, Options{})
	traffic(tm)
	tm.press("h", "up", "enter")
	p := tm.panes[0]
	if !p.http.detail || p.http.view.TotalLineCount() == 0 {
		t.Fatal("enter should lay the exchange out")
	}
	if n := strings.Count(tm.Render(), "\n") + 1; n != 30 || !strings.Contains(tm.Render(), "Response headers:") {
		t.Fatalf("the exchange should take the whole screen (%d lines):\n%s", n, tm.Render())
	}
	for range 100 {
		tm.press("down")
	}
	if !p.http.view.AtBottom() {
		t.Fatal("100 downs should reach the last page")
	}
	last := p.http.view.YOffset()
	before := tm.Render()
	if tm.Render() != before || p.http.view.YOffset() != last {
		t.Fatal("drawing the panel changed it")
	}
	tm.wantScreen(t, "← 22 Nov 2026", "the token's expiry is not written as a date")
	tm.press("up")
	if p.http.view.YOffset() != last-1 {
		t.Fatalf("one up from the end should show line %d, shows %d", last-1, p.http.view.YOffset())
	}
	send(tm.Model, windowSize(70, 30))
	for _, l := range strings.Split(tm.Render(), "\n") {
		if w := ansi.StringWidth(l); w > 70 {
			t.Fatalf("after a resize a line is %d wide: %q", w, l)
		}
	}
	tm.press("esc")
	if p.http.detail {
		t.Fatal("esc should close the exchange")
	}
}
