package tui

import (
	"fmt"
	"testing"
	"time"
)

// BenchmarkView draws the busiest screen: both devices side by side at 160×50, the
// phone's link card with its colour QR image, the guided tour, and the HTTP panel
// holding its full history.
func BenchmarkView(b *testing.B) {
	tm := newTestModel(b, 160, 50, Options{Tour: true})
	tm.linked(b)
	tm.press("l")
	for i := range maxExchanges {
		send(tm.Model, ExchangeMsg{Device: "phone", Started: fixedNow, Latency: time.Duration(i) * time.Millisecond,
			Method: "GET", URL: fmt.Sprintf("/api/demo/list?n=%d", i), Status: 200})
	}
	tm.press("h")
	if !tm.panes[0].showLink || tm.panes[0].qr == "" || len(tm.panes[0].http.recs) != maxExchanges {
		b.Fatal("the busiest screen is not set up")
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = tm.View()
	}
}
