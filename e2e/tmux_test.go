package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// requireTmux finds tmux; without it the test fails in CI and is skipped elsewhere.
func requireTmux(tb testing.TB) {
	tb.Helper()
	if _, err := exec.LookPath("tmux"); err != nil {
		if os.Getenv("CI") != "" {
			tb.Fatal("tmux is missing: install tmux")
		}
		tb.Skip("tmux not found: install tmux to run the end-to-end test")
	}
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
	buildDir  string
)

// binary builds cmd/handoff once per test run.
func binary(tb testing.TB) string {
	tb.Helper()
	buildOnce.Do(func() {
		buildDir, buildErr = os.MkdirTemp("", "handoff-e2e-bin")
		if buildErr != nil {
			return
		}
		binPath = filepath.Join(buildDir, "handoff")
		out, err := exec.Command("go", "build", "-o", binPath, "../cmd/handoff").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		tb.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// term is one tmux server (its own socket, so that the user's sessions are left
// alone) with one session that runs a command.
type term struct {
	tb     testing.TB
	socket string
}

var sessions int

// newTerm opens a width×height terminal running command in an isolated home, with
// the secrets kept in memory. The shell around the command stays after it exits and
// prints its exit status, so that a crash is seen, not lost.
func newTerm(tb testing.TB, width, height int, command string) *term {
	tb.Helper()
	return newTermIn(tb, tb.TempDir(), width, height, "HANDOFF_KEYSTORE=memory", command)
}

// newTermIn is newTerm with a given home directory and keystore setting.
func newTermIn(tb testing.TB, home string, width, height int, keystore, command string) *term {
	tb.Helper()
	sessions++
	t := &term{tb: tb, socket: fmt.Sprintf("handoff-e2e-%d-%d", os.Getpid(), sessions)}
	env := []string{
		"HOME=" + home, "XDG_STATE_HOME=" + filepath.Join(home, "state"), "XDG_CONFIG_HOME=" + filepath.Join(home, "config"),
		"XDG_DATA_HOME=" + filepath.Join(home, "data"), "XDG_CACHE_HOME=" + filepath.Join(home, "cache"),
		keystore, "TERM=xterm-256color", "LANG=C.UTF-8", "LC_ALL=C.UTF-8",
	}
	script := "env -i PATH=/usr/bin:/bin " + strings.Join(env, " ") + " " + command + `; echo "EXITED $?"; sleep 600`
	t.tmux("new-session", "-d", "-x", strconv.Itoa(width), "-y", strconv.Itoa(height), "-s", "e2e", "sh", "-c", script)
	tb.Cleanup(func() { _ = exec.Command("tmux", "-L", t.socket, "kill-server").Run() })
	return t
}

func (t *term) tmux(args ...string) string {
	t.tb.Helper()
	// -u: UTF-8 whatever the locale of the machine running the test says.
	out, err := exec.Command("tmux", append([]string{"-u", "-L", t.socket}, args...)...).CombinedOutput()
	if err != nil {
		t.tb.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// screen is what the terminal shows now.
func (t *term) screen() string { return t.tmux("capture-pane", "-p", "-t", "e2e") }

// keys sends tmux key names ("Enter", "Tab", "Down", "q").
func (t *term) keys(keys ...string) { t.tmux(append([]string{"send-keys", "-t", "e2e"}, keys...)...) }

// text types a string literally.
func (t *term) text(s string) { t.tmux("send-keys", "-t", "e2e", "-l", s) }

// waitFor polls the screen until ok says yes, or fails at the deadline showing the
// last screen.
func (t *term) waitFor(what string, timeout time.Duration, ok func(screen string) bool) string {
	t.tb.Helper()
	deadline := time.Now().Add(timeout)
	var s string
	for time.Now().Before(deadline) {
		s = t.screen()
		if ok(s) {
			return s
		}
		if strings.Contains(s, "EXITED") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.tb.Fatalf("waiting for %s: not on screen after %s:\n%s", what, timeout, s)
	return ""
}

// waitText waits for text, also when the screen wraps it over full-width lines.
func (t *term) waitText(text string, timeout time.Duration) string {
	t.tb.Helper()
	return t.waitFor(strconv.Quote(text), timeout, func(s string) bool {
		return strings.Contains(s, text) || strings.Contains(strings.Join(strings.Fields(s), " "), text)
	})
}

// programPID is the pid of the command under the session's shell.
func (t *term) programPID() int {
	t.tb.Helper()
	shell := strings.TrimSpace(t.tmux("display-message", "-p", "-t", "e2e", "#{pane_pid}"))
	b, err := os.ReadFile("/proc/" + shell + "/task/" + shell + "/children")
	if err != nil {
		t.tb.Fatalf("children of the shell: %v", err)
	}
	f := strings.Fields(string(b))
	if len(f) == 0 {
		t.tb.Fatal("the shell runs no program")
	}
	pid, _ := strconv.Atoi(f[0])
	return pid
}

var vmRSS = regexp.MustCompile(`VmRSS:\s+(\d+) kB`)

// rssKB reads a process's resident memory.
func rssKB(tb testing.TB, pid int) int {
	tb.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		tb.Fatalf("reading /proc/%d/status: %v", pid, err)
	}
	m := vmRSS.FindSubmatch(b)
	if m == nil {
		tb.Fatalf("no VmRSS in /proc/%d/status", pid)
	}
	kb, _ := strconv.Atoi(string(m[1]))
	return kb
}
