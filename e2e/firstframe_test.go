package e2e

import (
	"strings"
	"testing"
	"time"
)

// BenchmarkFirstFrame measures how long `handoff` takes from exec to its first frame
// with the embedded sandbox: a shell in a 160×50 tmux pane waits on `read`, the clock
// starts when the Enter that lets it exec handoff is sent, and stops when
// capture-pane first shows the title bar. tmux's own latency (send-keys, the pane
// redraw, each capture-pane) is included; the tmux-baseline case, a shell that just
// prints the title, measures it. Reported as ms/frame.
func BenchmarkFirstFrame(b *testing.B) {
	requireTmux(b)
	bin := binary(b)
	b.Run("memory", func(b *testing.B) { firstFrame(b, "exec "+bin+" --memory --keystore memory") })
	b.Run("durable", func(b *testing.B) { firstFrame(b, "exec "+bin+" --data "+b.TempDir()+" --keystore memory") })
	b.Run("tmux-baseline", func(b *testing.B) { firstFrame(b, `echo "handoff · server"; read y`) })
}

func firstFrame(b *testing.B, command string) {
	var total time.Duration
	for range b.N {
		b.StopTimer()
		term := newTerm(b, 160, 50, "sh -c 'read x; "+strings.ReplaceAll(command, "'", `'"'"'`)+"'")
		time.Sleep(100 * time.Millisecond) // the shell reaches read
		b.StartTimer()
		start := time.Now()
		term.keys("Enter")
		for !strings.Contains(term.screen(), "handoff · server") {
			if time.Since(start) > 10*time.Second {
				b.Fatalf("no first frame after 10 s:\n%s", term.screen())
			}
		}
		total += time.Since(start)
		b.StopTimer()
		term.keys("q", "Enter")
		term.waitText("EXITED", 10*time.Second)
	}
	b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/frame")
}
