package tui

import (
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/handoff-sso/handoff/assets"
)

// BenchmarkView draws the busiest screen: both devices side by side at 160×50, the
// phone's link card with its colour QR image, the guided tour, and the HTTP panel
// holding its full history. The bare case, the same size with only the title and the
// bottom bar (no device), is the baseline in the same run. The goal: busiest ≤ 1 ms.
func BenchmarkView(b *testing.B) {
	b.Run("busiest", func(b *testing.B) {
		tm := newTestModel(b, 160, 50, Options{Tour: true})
		tm.linked(b)
		tm.press("l")
		for i := range maxExchanges {
			send(tm.Model, ExchangeMsg{Device: "phone", Started: fixedNow, Latency: time.Duration(i) * time.Millisecond,
				Method: "POST", URL: fmt.Sprintf("/api/demo/link?n=%d", i), Status: 201})
		}
		tm.press("h")
		if !tm.panes[0].card.showLink || tm.panes[0].card.qr.small() == "" || len(tm.panes[0].http.recs) != maxExchanges || tm.chrome.tour == "" {
			b.Fatal("the busiest screen is not set up")
		}
		b.ReportAllocs()
		for b.Loop() {
			_ = tm.View()
		}
	})
	b.Run("bare", func(b *testing.B) {
		m := New(Options{Devices: []DeviceSpec{}, Now: func() time.Time { return fixedNow }})
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 50})
		b.ReportAllocs()
		for b.Loop() {
			_ = m.View()
		}
	})
}

// BenchmarkFirstFrame is what the interface does before its first frame: New, the
// first window size, Init's commands built (not run: they are the network) and the
// first View, with two devices at 160×50. The goal: ≤ 60 ms (the whole program's
// first frame over a real terminal is e2e's BenchmarkFirstFrame).
func BenchmarkFirstFrame(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		ph := newFake("phone", assets.RolePrimary, "cGhvbmUta2V5")
		tv := newFake("tv", assets.RoleSecondary, "dHYta2V5")
		m := New(Options{Devices: []DeviceSpec{{"Phone", ph}, {"TV", tv}}, Server: "http://127.0.0.1:8765", Tour: true,
			Now: func() time.Time { return fixedNow }})
		_ = m.Init()
		m.Update(tea.WindowSizeMsg{Width: 160, Height: 50})
		if m.View().Content == "" {
			b.Fatal("no first frame")
		}
	}
}
