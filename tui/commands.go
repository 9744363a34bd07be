package tui

import (
	"context"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/handoff-sso/handoff/client"
)

// stepTimeout bounds one step; a keyring prompt or a dead server must not hang a
// command forever.
const stepTimeout = 20 * time.Second

// refreshMargin is how long before expiry a service token is refreshed.
const refreshMargin = 2 * time.Minute

// probe asks whether the server answers at all.
func probe(check func(context.Context) error) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
		defer cancel()
		return probeMsg{err: check(ctx)}
	}
}

// retryAfter schedules a step again.
func retryAfter(wait time.Duration, r retryMsg) tea.Cmd {
	return tea.Tick(wait, func(time.Time) tea.Msg { return r })
}

func tick() tea.Cmd {
	return tea.Tick(time.Second, func(t time.Time) tea.Msg { return tickMsg(t) })
}

// transient says whether an error is worth retrying on its own: the server could not
// be reached, timed out, or failed (5xx). Refusals (4xx) are the user's to act on.
func transient(err error) bool { return client.IsUnavailable(err) }

// backoff is the wait before retry number n (1, 2, 4 … 30 s).
func backoff(n int) time.Duration {
	d := time.Second << min(n, 5)
	return min(d, 30*time.Second)
}
