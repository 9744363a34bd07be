//go:build unix

package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestScreenExitCodes: q quits the screen with 0, Ctrl-C with 130, as a shell reports
// an interrupted program.
func TestScreenExitCodes(t *testing.T) {
	requireTmux(t)
	bin := binary(t)
	for key, want := range map[string]string{"q": "EXITED 0", "C-c": "EXITED 130"} {
		term := newTerm(t, 120, 40, bin+" --memory")
		term.waitFor("the server address", 10*time.Second, serverOnScreen.MatchString)
		term.keys(key)
		term.waitText(want, 10*time.Second)
	}
}

// TestStepCommandsOnATerminal: unlink asks before it unlinks other devices (No by
// default), and link --wait counts down until the TV joins.
func TestStepCommandsOnATerminal(t *testing.T) {
	requireTmux(t)
	bin := binary(t)
	home := t.TempDir()
	serve := newTermIn(t, home, 120, 20, "HANDOFF_KEYSTORE=file", bin+" serve --memory --addr 127.0.0.1:0")
	server := regexp.MustCompile(`serving on (http://\S+)`).FindStringSubmatch(serve.waitText("serving on", 10*time.Second))[1]
	run := func(command string) *term {
		return newTermIn(t, home, 120, 30, "HANDOFF_KEYSTORE=file HANDOFF_SERVER="+server, bin+" "+command)
	}
	run("signin --sso-id olga@example.com").waitText("EXITED 0", 10*time.Second)

	phone := run("link --wait")
	s := phone.waitFor("a countdown", 10*time.Second, regexp.MustCompile(`waiting for a device to join… \d+:\d\d left`).MatchString)
	code := regexp.MustCompile(`handoff redeem (\d{6})`).FindStringSubmatch(s)
	if code == nil {
		t.Fatalf("no code on screen:\n%s", s)
	}
	run("redeem "+code[1]).waitText("EXITED 0", 10*time.Second)
	phone.waitText("joined the profile", 10*time.Second)
	phone.waitText("EXITED 0", 5*time.Second)

	ask := run("unlink --all-others")
	ask.waitText("Unlink 1 other device from profile olga@example.com? They will have to sign in again. [y/N]", 10*time.Second)
	ask.keys("Enter") // the default: no
	ask.waitText("Nothing was unlinked (not confirmed)", 5*time.Second)
	ask.waitText("EXITED 1", 5*time.Second)

	quit := run("unlink --all-others")
	quit.waitText("[y/N]", 10*time.Second)
	// Ctrl-C at the question (SIGINT to handoff alone: in tmux the key would also stop
	// the shell that reports the exit code): nothing unlinked, exit 130.
	if err := syscall.Kill(quit.programPID(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	quit.waitText("EXITED 130", 5*time.Second)

	yes := run("unlink --all-others")
	yes.waitText("[y/N]", 10*time.Second)
	yes.text("y")
	yes.keys("Enter")
	yes.waitText("unlinked 1 device(s)", 5*time.Second)
	yes.waitText("EXITED 0", 5*time.Second)

	if _, err := os.Stat(filepath.Join(home, "config", "handoff", "keystore.json")); err != nil {
		t.Fatalf("the devices' records were not where the test looked: %v", err)
	}
	if s := run("status").waitText("EXITED", 10*time.Second); !strings.Contains(s, "phone") || !strings.Contains(s, "signed in") {
		t.Errorf("status on a terminal:\n%s", s)
	}
}
