package tui

import (
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/keystore"
	"github.com/handoff-sso/handoff/sandboxtest"
)

// TestSecondScreenAgainstTheSandbox is the pull direction on real devices over a
// loopback socket: the TV shows a v2 code, the phone activates it with the sandbox's
// simulated TV provider, the TV's next poll finds the sign-in and its play is
// authorized; then a shifted sandbox clock shows in the header.
func TestSecondScreenAgainstTheSandbox(t *testing.T) {
	sb := sandboxtest.New(t)
	s := &sandboxed{store: keystore.NewMemory(), base: sb.URL}
	s.open(t)
	s.press("tab", "g")
	tv := s.panes[1]
	if tv.tvCode.code == nil || len(tv.tvCode.code.Code) < 4 {
		t.Fatalf("g should show the sandbox's code: %q", tv.status)
	}
	code := tv.tvCode.code.Code
	screen := ansi.Strip(s.Render())
	if !strings.Contains(screen, "code "+code) || !strings.Contains(screen, "/sandbox/activate?code="+code) {
		t.Fatalf("the TV should show its code and the activation page:\n%s", screen)
	}
	s.tick()
	if tv.tvCode.signIn != nil || !tv.tvCode.pending() {
		t.Fatalf("nobody signed in yet: %q", tv.status)
	}

	s.press("tab", "A")
	send(s.Model, pasteMsg(strings.ToLower(code)))
	s.press("enter", "enter", "enter")
	if !strings.Contains(s.panes[0].status, "Activated the TV's code") {
		t.Fatalf("the phone should activate the code: %q", s.panes[0].status)
	}
	s.tick()
	if tv.tvCode.signIn == nil || tv.tvCode.signIn.UserID != DefaultProviderUser {
		t.Fatalf("the TV's poll should find the sign-in: %q", tv.status)
	}
	s.press("tab", "a")
	if d := tv.play.decision; d == nil || !d.Authorized || d.Resource != playResource || d.Token == nil {
		t.Fatalf("the TV should be authorized to play: %+v, %q", d, tv.status)
	}

	// The phone's link card: the sandbox says it is on loopback.
	s.press("tab", "enter", "l")
	if screen := ansi.Strip(s.Render()); !strings.Contains(screen, "A phone cannot open this loopback address") {
		t.Fatalf("a loopback link card should say a phone cannot open it:\n%s", screen)
	}

	sb.Advance(10 * time.Minute)
	s.press("r")
	s.mu.Lock()
	seen := append([]client.Exchange(nil), s.seen...)
	s.mu.Unlock()
	for _, x := range seen {
		send(s.Model, ExchangeMsg(x))
	}
	if screen := ansi.Strip(s.Render()); !strings.Contains(screen, "sandbox clock +10m") {
		t.Fatalf("the header should say the sandbox clock is shifted:\n%s", screen)
	}
	sb.ResetClock()
	s.press("r")
	s.mu.Lock()
	last := s.seen[len(s.seen)-1]
	s.mu.Unlock()
	send(s.Model, ExchangeMsg(last))
	if screen := ansi.Strip(s.Render()); strings.Contains(screen, "sandbox clock") {
		t.Fatalf("a reset clock leaves the header:\n%s", screen)
	}
}

// TestLegacyCodeAgainstTheSandbox: G shows a v1 registration code; seed 004's authn
// call answers 404 until the phone activates it, and the TV's next poll finds it.
func TestLegacyCodeAgainstTheSandbox(t *testing.T) {
	sb := sandboxtest.New(t)
	s := &sandboxed{store: keystore.NewMemory(), base: sb.URL}
	s.open(t)
	s.press("tab", "G")
	tv := s.panes[1]
	if tv.tvCode.code == nil || !tv.tvCode.code.Legacy {
		t.Fatalf("G should show a regcode: %q", tv.status)
	}
	s.tick()
	if tv.tvCode.signIn != nil || !tv.tvCode.pending() {
		t.Fatalf("the 404 of seed 004's call means nobody signed in yet: %q", tv.status)
	}
	s.press("tab", "A")
	send(s.Model, pasteMsg(tv.tvCode.code.Code))
	s.press("enter", "enter", "enter")
	if !strings.Contains(s.panes[0].status, "Activated the TV's code") {
		t.Fatalf("the phone should activate the regcode: %q", s.panes[0].status)
	}
	s.tick()
	if tv.tvCode.signIn == nil {
		t.Fatalf("the TV's poll should find the v1 authentication: %q", tv.status)
	}
	s.press("tab", "a")
	if d := tv.play.decision; d == nil || !d.Authorized {
		t.Fatalf("the TV should be authorized to play: %+v, %q", d, tv.status)
	}
}
