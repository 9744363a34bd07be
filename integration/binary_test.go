package integration

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// buildHandoff builds the handoff binary for a test that runs it as a process.
func buildHandoff(t testing.TB) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "handoff")
	if out, err := exec.Command("go", "build", "-o", bin, "../cmd/handoff").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}
