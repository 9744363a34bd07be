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

var _ Device = (*client.Device)(nil)
