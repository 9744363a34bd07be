package main

import (
	"bytes"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeStopsCleanlyOnSIGTERM: a SIGTERM that comes as soon as /sandbox/healthz
// answers, and more behind it, end `handoff serve` with exit 0 after its shutdown,
// never by the signal's default action (exit 143 in a shell).
func TestServeStopsCleanlyOnSIGTERM(t *testing.T) {
	for _, store := range [][]string{{"--memory"}, {"--data", t.TempDir()}} {
		addr := strings.TrimPrefix(closedPort(t), "http://")
		var out bytes.Buffer
		cmd := exec.Command(handoffBinary(t), append([]string{"serve", "--addr", addr}, store...)...)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		deadline := time.Now().Add(15 * time.Second)
		for {
			resp, err := http.Get("http://" + addr + "/sandbox/healthz")
			if err == nil {
				resp.Body.Close()
				break
			}
			if time.Now().After(deadline) {
				_ = cmd.Process.Kill()
				t.Fatalf("%v: not healthy after 15s:\n%s", store, out.String())
			}
			time.Sleep(5 * time.Millisecond)
		}
		// SIGTERMs keep coming, as fast as they can be sent, until the process is gone:
		// each must find the signal still caught, up to the exit itself.
		stopAt := time.Now().Add(15 * time.Second)
	wait:
		for {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			select {
			case <-exited:
				break wait
			default:
			}
			if time.Now().After(stopAt) {
				_ = cmd.Process.Kill()
				<-exited
				t.Fatalf("%v: still running 15s after SIGTERM:\n%s", store, out.String())
			}
		}
		if code := cmd.ProcessState.ExitCode(); code != exitOK || !strings.Contains(out.String(), "shutting down") {
			t.Errorf("%v: %s (exit %d), want a clean shutdown:\n%s", store, cmd.ProcessState, code, out.String())
		}
	}
}
