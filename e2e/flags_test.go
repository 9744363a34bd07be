//go:build unix

package e2e

import (
	"errors"
	"os/exec"
	"strings"
	"syscall"
	"testing"
)

// TestInteractiveCommandsRefuseBadFlags checks that `handoff`, `handoff phone` and
// `handoff tv` say what is wrong with their command line (exit 2) before they take
// the terminal.
func TestInteractiveCommandsRefuseBadFlags(t *testing.T) {
	bin := binary(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--phone-preset", "nokia"}, `unknown preset "nokia"`},
		{[]string{"--memory", "--data", t.TempDir()}, "memory"},
		{[]string{"phone", "--json"}, "--json is not for phone"},
		{[]string{"tv", "extra"}, `tv takes no arguments, but got "extra"`},
		{[]string{"tv", "--preset", "nokia"}, `unknown preset "nokia"`},
		{[]string{"--keystore", "vault"}, "vault"},
	} {
		cmd := exec.Command(bin, tc.args...)
		cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=/usr/bin:/bin"}
		out, err := cmd.CombinedOutput()
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != 2 {
			t.Errorf("handoff %v: exit %v, want 2\n%s", tc.args, err, out)
			continue
		}
		if !strings.Contains(string(out), tc.want) {
			t.Errorf("handoff %v says %q, want it to mention %q", tc.args, out, tc.want)
		}
	}
}

// TestWithoutATerminalSaysWhatToDo starts the screen with no controlling terminal (a
// new session, stdin from /dev/null), as a cron job or a pipe would.
func TestWithoutATerminalSaysWhatToDo(t *testing.T) {
	cmd := exec.Command(binary(t), "tv", "--server", "http://127.0.0.1:1", "--keystore", "memory")
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=/usr/bin:/bin"}
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != 2 {
		t.Fatalf("exit %v, want 2\n%s", err, out)
	}
	if s := string(out); !strings.Contains(s, "needs a terminal") || strings.Contains(s, "bubbletea") || strings.Contains(s, "/dev/tty") {
		t.Fatalf("without a terminal handoff should say what to do, in its own words: %q", s)
	}
}

func TestHelpListsTheDeviceCommands(t *testing.T) {
	out, err := exec.Command(binary(t), "help").CombinedOutput()
	if err != nil {
		t.Fatalf("handoff help: %v\n%s", err, out)
	}
	for _, want := range []string{"phone ", "tv ", "a phone and a TV side by side"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("help lacks %q:\n%s", want, out)
		}
	}
}
