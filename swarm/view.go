package swarm

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/handoff-sso/handoff/client"
)

// view shows a run's progress: on a terminal a few lines redrawn in place, elsewhere
// (a log, a pipe) one plain line now and then.
type view struct {
	out      io.Writer
	terminal bool
	server   string
	drawn    int      // lines of the last drawing, to go back over on a terminal
	last     Progress // at the last measure of the rate
	rate     float64  // calls per second, as last measured
}

// How often the view draws.
const (
	terminalEvery = 250 * time.Millisecond
	plainEvery    = 5 * time.Second
)

func newView(out io.Writer, terminal bool, server string) *view {
	return &view{out: out, terminal: terminal, server: client.TerminalSafe(server)}
}

// follow draws the progress until ctx ends, then once more.
func (v *view) follow(ctx context.Context, progress func() Progress) {
	every := plainEvery
	if v.terminal {
		every = terminalEvery
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			v.draw(progress())
		case <-ctx.Done():
			v.draw(progress())
			return
		}
	}
}

func (v *view) draw(p Progress) {
	// The rate "now" is over the time since the last drawing, and kept when a final
	// drawing comes too soon after it to measure one.
	if dt := (p.Elapsed - v.last.Elapsed).Seconds(); dt >= 0.1 {
		v.rate = float64(p.Requests-v.last.Requests) / dt
		v.last = p
	}
	rate := v.rate
	lines := []string{
		fmt.Sprintf("swarm on %s  %s", v.server, p.Elapsed.Truncate(100*time.Millisecond)),
		fmt.Sprintf("TVs %d/%d started  %d joined  %d listed  %d active  %d unlinked  %d failed", p.Started, p.TVs, p.Joined, p.Listed, p.Active, p.Unlinked, p.Failed),
		fmt.Sprintf("calls %d  (%.0f/s now)  errors %d", p.Requests, rate, p.Errors),
	}
	if !v.terminal {
		fmt.Fprintln(v.out, strings.Join(lines, " | "))
		return
	}
	var b strings.Builder
	if v.drawn > 0 {
		// Back to the first line drawn, then clear to the end of the screen.
		fmt.Fprintf(&b, "\x1b[%dF\x1b[J", v.drawn)
	}
	for _, l := range lines {
		b.WriteString(l)
		b.WriteString("\n")
	}
	v.drawn = len(lines)
	_, _ = io.WriteString(v.out, b.String())
}
