package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

var codeOnScreen = regexp.MustCompile(`code (\d{3}) (\d{3})`)

func countOf(s, sub string) int { return strings.Count(s, sub) }

// TestTwoDevicesFlow is the whole flow on `handoff`'s two-device screen, typed into a
// real terminal: the phone signs in, signs in with a TV provider as a user id typed
// there and makes a code, the TV types the code read off the phone's side of the
// screen and gets that TV provider sign-in, both list two devices, the phone unlinks the TV, the TV says it
// was unlinked, and joins again with a new code.
func TestTwoDevicesFlow(t *testing.T) {
	requireTmux(t)
	bin := binary(t)
	term := newTerm(t, 160, 50, bin+" --memory --keystore memory")
	term.waitText("X-SSO-ID › demo-user@example.com", 10*time.Second)

	term.keys("Enter")
	term.waitText("Signed in as demo-user@example.com", 10*time.Second)

	term.keys("Enter")
	term.waitText("Step 3: sign in with your TV provider", 10*time.Second)
	term.keys("Enter")
	term.waitText("user id › demo-subscriber", 10*time.Second)
	term.keys("C-u")
	term.text("jane.doe@xfinity")
	term.keys("Enter")
	term.waitText("Signed in with Xfinity as jane.doe@xfinity", 10*time.Second)

	term.keys("l")
	s := term.waitFor("a link code on the phone", 10*time.Second, codeOnScreen.MatchString)
	m := codeOnScreen.FindStringSubmatch(s)
	code := m[1] + " " + m[2]
	if !strings.Contains(s, "/sandbox/link?code="+m[1]+m[2]) {
		t.Errorf("the phone does not show where its QR image points:\n%s", s)
	}

	term.keys("Tab")
	term.text(code)
	term.keys("Enter")
	term.waitText("Joined the profile of demo-user@example.com", 10*time.Second)
	term.waitText("TV provider: Xfinity as jane.doe@xfinity, shared through the link", 10*time.Second)
	term.waitText("v1 authn (legacy API): Xfinity, user jane.doe@xfinity", 10*time.Second)

	term.waitFor("both devices listing two devices", 20*time.Second, func(s string) bool {
		return countOf(s, "Devices on this profile: 2") == 2
	})

	term.keys("Tab", "Down", "u")
	term.waitText("Unlink 1 device: Samsung Tizen TV?", 10*time.Second)
	term.keys("y")
	term.waitText("Unlinked 1 device.", 10*time.Second)
	term.waitText("This device was unlinked from the profile", 20*time.Second)

	// The unlinked TV joins again with a new code.
	term.keys("l")
	s = term.waitFor("a new link code", 10*time.Second, func(s string) bool {
		m := codeOnScreen.FindStringSubmatch(s)
		return m != nil && m[1]+" "+m[2] != code
	})
	m = codeOnScreen.FindStringSubmatch(s)
	term.keys("Tab")
	term.text(m[1] + m[2])
	term.keys("Enter")
	term.waitText("Joined the profile of demo-user@example.com", 10*time.Second)
	term.keys("Tab")

	kb := rssKB(t, term.programPID())
	t.Logf("resident memory after the flow: %.1f MB", float64(kb)/1024)
	if kb > 40*1024 {
		t.Errorf("handoff holds %d kB resident after the flow, more than 40 MB", kb)
	}

	term.keys("q")
	term.waitText("EXITED 0", 10*time.Second)
}
