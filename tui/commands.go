package tui

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/handoff-sso/handoff/client"
)

// stepTimeout bounds one step; a keyring prompt or a dead server must not hang a
// command forever.
const stepTimeout = 20 * time.Second

// refreshMargin is how long before expiry a service token is refreshed.
const refreshMargin = 2 * time.Minute

// runStep returns the command that runs one step of device dev. It only reads d and
// returns what happened; the model changes in Update.
func runStep(d Device, dev int, o op, arg string, keys []string) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), stepTimeout)
		defer cancel()
		msg := resultMsg{dev: dev, op: o, arg: arg, keys: keys}
		switch o {
		case opSignIn:
			msg.token, msg.err = d.SignIn(ctx, arg)
		case opRedeem:
			msg.token, msg.err = d.Redeem(ctx, arg)
		case opFresh:
			msg.err = d.EnsureFresh(ctx, refreshMargin)
		case opRefresh:
			msg.token, msg.err = d.Refresh(ctx)
		case opLink:
			msg.code, msg.err = d.Link(ctx)
		case opList:
			msg.list, msg.err = d.Devices(ctx)
		case opUnlink:
			msg.unlinked, msg.err = d.Unlink(ctx, keys...)
		case opMVPD:
			msg.login, msg.err = d.(ProviderDevice).MVPDSignIn(ctx, arg, keys[0])
		case opProfiles:
			msg.profiles, msg.err = d.(ProviderDevice).Profiles(ctx)
		case opAuthn:
			msg.authn, msg.err = d.(LegacyDevice).Authn(ctx, false)
		case opSignOut:
			msg.logout, msg.err = d.(ProviderDevice).SignOut(ctx)
		case opRoku:
			msg.token, msg.err = d.(PlatformDevice).RokuSignIn(ctx, arg)
		}
		msg.state = d.State()
		if msg.err == nil && msg.empty() {
			msg.err = errEmptyAnswer
		}
		return msg
	}
}

// errEmptyAnswer is a step that brought back neither an answer nor an error; the
// screen says something unexpected happened instead of crashing on it.
var errEmptyAnswer = errors.New("tui: the device step returned no answer and no error")

// empty says whether a step that succeeded lacks the answer Update reads.
func (r resultMsg) empty() bool {
	switch r.op {
	case opLink:
		return r.code == nil
	case opList:
		return r.list == nil
	case opUnlink:
		return r.unlinked == nil
	case opMVPD:
		return r.login == nil
	}
	return false
}

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
