package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

var serverOnScreen = regexp.MustCompile(`server (http://127\.0\.0\.1:\d+)`)

// TestTVInAnotherTerminal joins a `handoff tv` running in its own terminal to the
// sandbox of `handoff`, whose address it reads off the first screen.
func TestTVInAnotherTerminal(t *testing.T) {
	requireTmux(t)
	bin := binary(t)
	main := newTerm(t, 160, 50, bin+" --memory")
	s := main.waitFor("the server address", 10*time.Second, serverOnScreen.MatchString)
	server := serverOnScreen.FindStringSubmatch(s)[1]

	tv := newTerm(t, 80, 24, bin+" tv --server "+server+" --device living-room")
	tv.waitText("code ›", 10*time.Second)
	if s := tv.screen(); strings.Contains(s, "Phone") {
		t.Fatalf("handoff tv should show the TV alone:\n%s", s)
	}

	main.keys("Enter")
	main.waitText("Signed in as demo-user@example.com", 10*time.Second)
	main.keys("l")
	m := codeOnScreen.FindStringSubmatch(main.waitFor("a link code", 10*time.Second, codeOnScreen.MatchString))

	tv.text(m[1] + "-" + m[2])
	tv.keys("Enter")
	tv.waitText("Joined the profile of demo-user@example.com", 10*time.Second)
	tv.waitText("Devices on this profile: 2", 10*time.Second)
	main.waitText("Devices on this profile: 2", 20*time.Second)
}

// TestUnreachableServerKeepsRetrying starts a phone against a port where nothing
// listens: it must say so at once and keep trying, and a step tried meanwhile is
// retried too; nothing dies.
func TestUnreachableServerKeepsRetrying(t *testing.T) {
	requireTmux(t)
	bin := binary(t)
	phone := newTerm(t, 100, 30, bin+" phone --server http://127.0.0.1:1")
	phone.waitText("Cannot reach the SSO service at http://127.0.0.1:1", 10*time.Second)
	phone.waitText("Trying again in 2s (attempt 2)", 10*time.Second)
	phone.keys("Enter")
	phone.waitFor("the sign-in being retried", 10*time.Second, regexp.MustCompile(`signing in in \d+s \(attempt \d+\)`).MatchString)
	phone.keys("q")
	phone.waitText("EXITED 0", 10*time.Second)
}

// TestRokuJoinsWithoutACode is the seed's variant: a Roku TV joins through its
// platform identity, with no link code.
func TestRokuJoinsWithoutACode(t *testing.T) {
	requireTmux(t)
	term := newTerm(t, 160, 50, binary(t)+" --memory --tv-preset roku")
	term.waitText("Or press R to sign in with Roku", 10*time.Second)
	term.keys("Tab", "R")
	term.waitText("Joined by Roku identity", 10*time.Second)
	term.waitFor("the Roku listed as joined by its Roku identity", 10*time.Second,
		regexp.MustCompile(`\(this device\) Roku.*Roku identity`).MatchString)
}
