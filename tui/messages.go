package tui

import (
	"time"

	"github.com/handoff-sso/handoff/client"
)

// resultMsg is the outcome of one step of one device, with the device's state as it
// was right after.
type resultMsg struct {
	dev   int
	op    op
	arg   string   // the identity, the code or the TV provider the step was run with
	keys  []string // the devices an unlink named; the TV provider user id
	state client.DeviceState
	err   error

	token    *client.ServiceToken
	code     *client.LinkCode
	list     *client.DeviceList
	unlinked *client.UnlinkResult
	login    *client.MVPDLogin
	profiles *client.Profiles
	authn    *client.Authentication
	logout   *client.Logout

	public     client.PublicServer
	tvCode     *client.TVCode // the code the TV shows; also what a poll asks about
	codeSignIn *client.CodeSignIn
	decision   *client.Decision
}

// retryMsg runs a step again after a backoff.
type retryMsg struct {
	dev  int
	op   op
	arg  string
	keys []string
}

// probeMsg is whether the server answered; probeAgainMsg asks again.
type (
	probeMsg      struct{ err error }
	probeAgainMsg struct{}
)

// tickMsg drives countdowns, token refresh and the device-list poll.
type tickMsg time.Time

// ExchangeMsg carries one HTTP exchange of a device to the HTTP panel.
type ExchangeMsg client.Exchange
