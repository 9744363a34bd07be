package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/sandboxtest"
)

// TestLegacyCodeAcrossTwoTerminals: `handoff tv` shows a legacy v1 registration code
// (G) in one terminal, `handoff phone` activates it in another (A), and the TV, polling
// seed 004's authn call, notices and plays.
func TestLegacyCodeAcrossTwoTerminals(t *testing.T) {
	requireTmux(t)
	bin := binary(t)
	sb := sandboxtest.New(t)
	tv := newTerm(t, 120, 40, bin+" tv --server "+sb.URL)
	phone := newTerm(t, 120, 40, bin+" phone --server "+sb.URL)

	tv.waitText("Or press g", 10*time.Second)
	tv.keys("G")
	s := tv.waitFor("the TV's regcode", 10*time.Second, tvCodeOnScreen.MatchString)
	if !strings.Contains(s, "legacy v1 registration code") {
		t.Fatalf("G should show a legacy code:\n%s", s)
	}
	code := tvCodeOnScreen.FindStringSubmatch(s)[1]

	phone.waitText("A activates a code a TV shows", 10*time.Second)
	phone.keys("A")
	phone.waitText("TV code ›", 5*time.Second)
	phone.text(code)
	phone.keys("Enter")
	phone.waitText("Activate the TV's code "+code, 5*time.Second)
	phone.keys("Enter")
	phone.waitText("user id ›", 5*time.Second)
	phone.keys("Enter")
	phone.waitText("Activated the TV's code "+code, 10*time.Second)

	tv.waitText("Signed in through the second screen", 10*time.Second)
	tv.keys("a")
	tv.waitText("▶ play live: authorized by", 10*time.Second)
}

// TestShiftedClockShowsInTheHeader: a tester moves the sandbox's clock; the next
// answer the screen's device gets (its poll, every few seconds) carries the shift
// and the header says so, through the trace relay of the real program; a reset
// clears it.
func TestShiftedClockShowsInTheHeader(t *testing.T) {
	requireTmux(t)
	sb := sandboxtest.New(t)
	phone := newTerm(t, 120, 40, binary(t)+" phone --server "+sb.URL)
	phone.waitText("X-SSO-ID ›", 10*time.Second)
	phone.keys("Enter")
	phone.waitText("Signed in as demo-user@example.com", 10*time.Second)
	if strings.Contains(phone.screen(), "sandbox clock") {
		t.Fatal("the clock is not shifted yet")
	}
	sb.Advance(10 * time.Minute)
	phone.waitText("handoff · sandbox clock +10m", 15*time.Second)
	sb.ResetClock()
	phone.waitFor("the shift gone from the header", 15*time.Second, func(s string) bool {
		return !strings.Contains(s, "sandbox clock")
	})
}
