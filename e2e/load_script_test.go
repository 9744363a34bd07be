//go:build linux

package e2e

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMakeLoadMeasuresAgainstBare runs the README's `make load` as written, cut to one
// short run of one endpoint: every row names bare's rate and the sandbox's as ratios,
// with no answer other than 2xx and the share of CPU time stolen meanwhile, each
// endpoint ends with its median, and the servers the script started are gone when
// it returns.
func TestMakeLoadMeasuresAgainstBare(t *testing.T) {
	tools := needTools(t, "make", "wrk", "jq", "curl", "bc")
	ctx, cancel := context.WithTimeout(t.Context(), 4*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tools["make"], "load")
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), "DUR=1s", "REPEAT=1", "ONLY=list (2 devices)")
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("make load: %v\n%s", err, out)
	}
	if err := syscall.Kill(-cmd.Process.Pid, 0); !errors.Is(err, syscall.ESRCH) {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		t.Errorf("make load left processes behind in its group (%v)", err)
	}
	row := regexp.MustCompile(`c=(\d+)\s+\| 200/\d+\s+\| bare\s+(\d+) \| memory\s+(\d+)\s+([\d.]+)x \(non-2xx (\d+)\) \| bbolt\s+(\d+)\s+([\d.]+)x \(non-2xx (\d+)\) \| steal (\d+)%`)
	rows := row.FindAllStringSubmatch(string(out), -1)
	if len(rows) != 2 {
		t.Fatalf("want a row for c=8 and one for c=64, got %d:\n%s", len(rows), out)
	}
	for _, r := range rows {
		if r[5] != "0" || r[8] != "0" {
			t.Errorf("c=%s: answers other than 2xx: %s", r[1], r[0])
		}
		if v, _ := strconv.Atoi(r[9]); v > 100 {
			t.Errorf("c=%s: stolen CPU time %s%% is not a share: %s", r[1], r[9], r[0])
		}
		for _, f := range []string{r[2], r[3], r[4], r[6], r[7]} {
			if v, err := strconv.ParseFloat(f, 64); err != nil || v <= 0 {
				t.Errorf("c=%s: %q is not a positive rate or ratio: %s", r[1], f, r[0])
			}
		}
	}
	if n := strings.Count(string(out), "median of 1 |"); n != 2 {
		t.Errorf("%d median lines, want 2:\n%s", n, out)
	}
}
