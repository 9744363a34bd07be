package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// tvCodeOnScreen is the code the TV shows for a second screen: letters and digits.
var tvCodeOnScreen = regexp.MustCompile(`code ([A-Z0-9]{4,12}) · expires in`)

// TestTVShowsACodeThePhoneActivates is the pull direction in a real terminal on the
// embedded sandbox: the TV shows a code (g), the phone pane activates it (A, the
// TV provider, the user id), the TV notices on its own and plays. `--memory` alone
// keeps the secrets in memory (no keystore variable is set), and --reveal-secrets is
// taken.
func TestTVShowsACodeThePhoneActivates(t *testing.T) {
	requireTmux(t)
	term := newTermIn(t, t.TempDir(), 160, 50, "HANDOFF_E2E=1", binary(t)+" --memory --reveal-secrets")
	s := term.waitText("X-SSO-ID › demo-user@example.com", 10*time.Second)
	if countOf(s, "secrets: memory") != 2 {
		t.Fatalf("--memory should keep both devices' secrets in memory:\n%s", s)
	}

	term.keys("Tab")
	term.waitText("Or press g", 5*time.Second)
	term.keys("g")
	s = term.waitFor("the TV's code", 10*time.Second, tvCodeOnScreen.MatchString)
	code := tvCodeOnScreen.FindStringSubmatch(s)[1]
	if !strings.Contains(strings.Join(strings.Fields(s), ""), "/sandbox/activate?code="+code) {
		t.Fatalf("the TV should show the activation page under its QR image:\n%s", s)
	}
	if !strings.Contains(s, "█") {
		t.Fatalf("the TV should show its code in large type and a QR image:\n%s", s)
	}
	term.waitText("waiting for the second screen", 5*time.Second)

	term.keys("Tab", "A")
	term.waitText("TV code ›", 5*time.Second)
	term.text(strings.ToLower(code[:3]) + "-" + code[3:])
	term.keys("Enter")
	term.waitText("Activate the TV's code "+code, 5*time.Second)
	term.keys("Enter")
	term.waitText("user id › demo-subscriber", 5*time.Second)
	term.keys("Enter")
	term.waitText("Activated the TV's code "+code, 10*time.Second)

	// The TV asks once a second: it notices without a key.
	term.waitText("Signed in through the second screen", 10*time.Second)
	term.keys("Tab", "a")
	term.waitText("▶ play live: authorized by", 10*time.Second)
	term.waitText("Authorized to play live", 5*time.Second)

	term.keys("q")
	term.waitText("EXITED 0", 10*time.Second)
}
