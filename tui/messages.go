package tui

import (
	"time"

	"github.com/handoff-sso/handoff/client"
)

// op is one step a device runs over the network.
type op int

const (
	opSignIn op = iota
	opRedeem
	opFresh   // EnsureFresh: refresh the service token when it is about to expire
	opRefresh // Refresh, asked for with a key
	opLink
	opList
	opUnlink
	opMVPD     // step 3: sign in with a TV provider
	opProfiles // read the profile's TV provider authentications
	opRoku     // join through the Roku platform identity
	opAuthn    // read the TV provider authentication through the v1 API
	opSignOut  // end the profile's TV provider authentication
)

func (o op) doing() string {
	return [...]string{"signing in", "joining with the code", "refreshing the token",
		"refreshing the token", "asking for a link code", "listing devices", "unlinking",
		"signing in with the TV provider", "reading the TV provider sign-in", "signing in with Roku", "reading the v1 authentication",
		"signing out of the TV provider"}[o]
}

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
