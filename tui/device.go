package tui

import (
	"context"
	"time"

	"github.com/handoff-sso/handoff/client"
)

// Device is what the interface needs of a simulated device: the steps of the flow.
// *client.Device is the one used outside tests.
type Device interface {
	State() client.DeviceState
	SignIn(ctx context.Context, ssoID string) (*client.ServiceToken, error)
	Redeem(ctx context.Context, code string) (*client.ServiceToken, error)
	Refresh(ctx context.Context) (*client.ServiceToken, error)
	EnsureFresh(ctx context.Context, margin time.Duration) error
	Link(ctx context.Context) (*client.LinkCode, error)
	Devices(ctx context.Context) (*client.DeviceList, error)
	Unlink(ctx context.Context, keys ...string) (*client.UnlinkResult, error)
}

// ProviderDevice is a device that can sign in with a TV provider (MVPD, step 3), read
// the profile's TV provider authentications (step 5) and sign the profile out of
// them. The steps show only for devices that have them.
type ProviderDevice interface {
	MVPDSignIn(ctx context.Context, mvpdID, userID string) (*client.MVPDLogin, error)
	Profiles(ctx context.Context) (*client.Profiles, error)
	SignOut(ctx context.Context) (*client.Logout, error)
}

// LegacyDevice is a device that can read its TV provider authentication through the
// legacy v1 call (seed 004), as an app that predates REST v2 would.
type LegacyDevice interface {
	Authn(ctx context.Context, asXML bool) (*client.Authentication, error)
}

// PlatformDevice is a device that can join through its platform identity (Roku).
type PlatformDevice interface {
	RokuSignIn(ctx context.Context, subscriberID string) (*client.ServiceToken, error)
}

// PublicDevice is a device that can ask where other devices reach its server (the
// sandbox's GET /sandbox/info): the QR images carry that address.
type PublicDevice interface {
	PublicServer(ctx context.Context) (client.PublicServer, error)
}

// SecondScreenDevice takes part in the direction most TV apps know (docs/second-screen.md):
// a TV shows a code and polls; a phone activates it and signs in with the TV
// provider; the TV then plays.
type SecondScreenDevice interface {
	ShowCode(ctx context.Context, legacy bool, mvpd string) (*client.TVCode, error)
	PollCodeSignIn(ctx context.Context, code *client.TVCode) (*client.CodeSignIn, error)
	ActivateCode(ctx context.Context, code, mvpd, userID string) (*client.MVPDLogin, error)
	Authorize(ctx context.Context, resource string) (*client.Decision, error)
}

var (
	_ PublicDevice       = (*client.Device)(nil)
	_ SecondScreenDevice = (*client.Device)(nil)
	_ Device             = (*client.Device)(nil)
	_ ProviderDevice     = (*client.Device)(nil)
	_ PlatformDevice     = (*client.Device)(nil)
	_ LegacyDevice       = (*client.Device)(nil)
)
