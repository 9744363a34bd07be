package tui

import (
	"context"
	"strings"
	"testing"

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
	if p.link != nil || p.showLink || !strings.HasPrefix(p.status, "Something unexpected went wrong") {
		t.Fatalf("link %v shown %v, status %q", p.link, p.showLink, p.status)
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

// TestHTTPDetailIsLaidOutInUpdate checks that the open exchange scrolls no further
// than its last page and that drawing it changes nothing.
func TestHTTPDetailIsLaidOutInUpdate(t *testing.T) {
	tm := newTestModel(t, 120, 30, Options{})
	traffic(tm)
	tm.press("h", "up", "enter")
	p := tm.panes[0]
	if len(p.httpLines) == 0 {
		t.Fatal("enter should lay the exchange out")
	}
	for range 100 {
		tm.press("down")
	}
	last := len(p.httpLines) - tm.httpRows()
	if last <= 0 || p.httpScroll != last {
		t.Fatalf("scrolled to %d of %d lines, %d rows: want the last page at %d", p.httpScroll, len(p.httpLines), tm.httpRows(), last)
	}
	before := tm.Render()
	if tm.Render() != before || p.httpScroll != last {
		t.Fatal("drawing the panel changed it")
	}
	tm.wantScreen(t, "expires 2026-11-22 14:59:00", "the last page lacks the token's expiry")
	tm.press("up")
	if p.httpScroll != last-1 {
		t.Fatalf("one up from the end should show line %d, shows %d", last-1, p.httpScroll)
	}
	send(tm.Model, windowSize(70, 30))
	for _, l := range p.httpLines {
		if w := len([]rune(l)); w > 70 {
			t.Fatalf("after a resize a line is %d wide: %q", w, l)
		}
	}
	tm.press("esc")
	if p.httpDetail || p.httpLines != nil {
		t.Fatal("esc should close the exchange")
	}
}
