package tui

import (
	"bytes"
	"testing"
	"time"

	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/handoff-sso/handoff/client"
)

// TestTraceRelayFeedsTheHTTPPanel runs a real program: exchanges reported through the
// relay reach the focused device's HTTP panel, in order.
func TestTraceRelayFeedsTheHTTPPanel(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	prog := teatest.NewTestModel(t, tm.Model, teatest.WithInitialTermSize(120, 40))
	relay := NewTraceRelay()
	relay.Attach(prog.GetProgram())
	relay.Trace(client.Exchange{Device: "tv", Method: "GET", URL: "/api/demo/not-the-phone", Status: 200})
	for _, path := range []string{"/api/demo/serviceToken", "/api/demo/link", "/api/demo/zzz-last"} {
		relay.Trace(client.Exchange{Device: "phone", Method: "POST", URL: path, Status: 201, Started: fixedNow})
	}
	prog.Send(press("h"))
	teatest.WaitFor(t, prog.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("zzz-last")) },
		teatest.WithDuration(5*time.Second))
	if err := prog.Quit(); err != nil {
		t.Fatal(err)
	}
	final := prog.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	got := final.panes[0].http.recs
	if len(got) != 3 || got[0].ex.URL != "/api/demo/serviceToken" || got[2].ex.URL != "/api/demo/zzz-last" {
		t.Fatalf("the phone's panel holds %+v", got)
	}
	if len(final.panes[1].http.recs) != 1 {
		t.Fatal("the TV's exchange should go to the TV")
	}
}
