//go:build linux

package e2e

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// child is the PID of the command the terminal's shell runs (env execs it).
func (t *term) child() int {
	t.tb.Helper()
	shell := strings.TrimSpace(t.tmux("display-message", "-p", "-t", "e2e", "#{pane_pid}"))
	raw, err := os.ReadFile("/proc/" + shell + "/task/" + shell + "/children")
	if err != nil {
		t.tb.Fatalf("the terminal's command: %v", err)
	}
	fields := strings.Fields(string(raw))
	if len(fields) != 1 {
		t.tb.Fatalf("the terminal's shell %s runs %q, want one command", shell, raw)
	}
	pid, err := strconv.Atoi(fields[0])
	if err != nil {
		t.tb.Fatal(err)
	}
	return pid
}

// TestSwarmProgressRedrawsInPlace runs `handoff swarm` in a real terminal against
// `handoff serve`: its progress is one block redrawn in place (never scrolled), and
// SIGINT (Ctrl-C) stops the TVs and still prints the report.
func TestSwarmProgressRedrawsInPlace(t *testing.T) {
	requireTmux(t)
	home := t.TempDir()
	server := startServe(t, []string{"HOME=" + home, "XDG_STATE_HOME=" + filepath.Join(home, "state")})
	tm := newTerm(t, 120, 40, binary(t)+" swarm --server "+server+" --tvs 100 --duration 1m --interval 100ms")
	tm.waitText("100 listed", 30*time.Second)
	time.Sleep(600 * time.Millisecond) // a few more drawings
	if s := tm.screen(); strings.Count(s, "swarm on ") != 1 || strings.Count(s, "calls ") != 1 {
		t.Fatalf("the progress should be one block redrawn in place:\n%s", s)
	}
	// Ctrl-C through the terminal would stop the shell around the command too (it
	// waits in the foreground): the same SIGINT goes to handoff alone, by its PID.
	if err := syscall.Kill(tm.child(), syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	s := tm.waitText("EXITED 1", 15*time.Second)
	for _, want := range []string{"swarm interrupted: 100 TVs", "GET /api/{sp}/list", "p99 ms", "no errors"} {
		if !strings.Contains(s, want) {
			t.Errorf("the report lacks %q:\n%s", want, s)
		}
	}
	if strings.Count(s, "swarm on ") != 1 {
		t.Errorf("the progress scrolled:\n%s", s)
	}
}
