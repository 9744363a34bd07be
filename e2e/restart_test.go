package e2e

import (
	"path/filepath"
	"testing"
	"time"
)

// TestDevicesResumeAfterARestart runs `handoff` twice on the same durable sandbox and
// the same (file) keystore: the second time the phone and the TV resume where they
// were, signed in to the same profile.
func TestDevicesResumeAfterARestart(t *testing.T) {
	requireTmux(t)
	bin := binary(t)
	home := t.TempDir()
	command := bin + " --data " + filepath.Join(home, "sandbox")

	first := newTermIn(t, home, 160, 50, "HANDOFF_KEYSTORE=file", command)
	first.waitText("X-SSO-ID ›", 10*time.Second)
	first.keys("Enter")
	first.waitText("Signed in as demo-user@example.com", 10*time.Second)
	first.keys("l")
	m := codeOnScreen.FindStringSubmatch(first.waitFor("a link code", 10*time.Second, codeOnScreen.MatchString))
	first.keys("Tab")
	first.text(m[1] + m[2])
	first.keys("Enter")
	first.waitText("Joined the profile of demo-user@example.com", 10*time.Second)
	first.keys("q")
	first.waitText("EXITED 0", 10*time.Second)

	second := newTermIn(t, home, 160, 50, "HANDOFF_KEYSTORE=file", command)
	second.waitText("Resuming as demo-user@example.com", 10*time.Second)
	second.waitFor("both devices listing two devices", 20*time.Second, func(s string) bool {
		return countOf(s, "Devices on this profile: 2") == 2
	})
}
