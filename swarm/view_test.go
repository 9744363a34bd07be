package swarm

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/client"
)

// On a terminal the view redraws its lines in place: the second drawing goes back
// over the first.
func TestViewRedrawsInPlaceOnATerminal(t *testing.T) {
	var out bytes.Buffer
	v := newView(&out, true, "http://127.0.0.1:1")
	v.draw(Progress{TVs: 10, Started: 2, Elapsed: time.Second})
	first := out.String()
	v.draw(Progress{TVs: 10, Started: 7, Requests: 40, Elapsed: 2 * time.Second})
	second := strings.TrimPrefix(out.String(), first)
	if strings.Contains(first, "\x1b") || strings.Count(first, "\n") != 3 {
		t.Errorf("first drawing: %q", first)
	}
	if !strings.HasPrefix(second, "\x1b[3F\x1b[J") || !strings.Contains(second, "7/10 started") || !strings.Contains(second, "(40/s now)") {
		t.Errorf("second drawing: %q", second)
	}
}

// A code a server sent reaches the terminal escaped, and a server that sends a new
// code each time does not grow the report past its bound.
func TestReportTextIsTerminalSafeAndBounded(t *testing.T) {
	tally := newErrorTally()
	tally.add(stepList, &client.APIError{HTTPStatus: 400, Code: "\x1b]0;owned\x07\x1b[2J"})
	for i := range 1000 {
		tally.add(stepList, &client.APIError{HTTPStatus: 400, Code: strings.Repeat("x", i%200+1)})
	}
	tally.add(stepRedeem, &client.UnreachableError{Server: "http://x", Err: errors.New("refused")})
	tally.add(stepRedeem, errors.New("something else"))
	r := Report{Errors: tally.report()}
	if len(r.Errors) > maxErrorKinds+1 {
		t.Errorf("%d kinds of error kept", len(r.Errors))
	}
	var n int64
	for _, e := range r.Errors {
		n += e.Count
		if len(e.Code) > maxCodeLen+len("…") {
			t.Errorf("code kept at %d bytes", len(e.Code))
		}
	}
	if n != 1003 || tally.count() != 1003 {
		t.Errorf("%d errors counted, want 1003", n)
	}
	var out bytes.Buffer
	if err := r.WriteText(&out); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	if strings.ContainsAny(text, "\x1b\x07") || !strings.Contains(text, `\x1b]0;owned`) {
		t.Errorf("text report: %q", text)
	}
	for _, want := range []string{"redeem  network", "redeem  other", "HTTP 400"} {
		if !strings.Contains(text, want) {
			t.Errorf("text report lacks %q:\n%s", want, text)
		}
	}
}
