package client

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
)

// ConnectToken is what the sandbox's simulated Roku identity service issues (sandbox
// only: on a real Roku the platform hands the app its token).
type ConnectToken struct {
	Token        string `json:"token"`
	Format       string `json:"format"` // "jws" or "jwe"
	SubscriberID string `json:"subscriberId"`
	DeviceID     string `json:"deviceId"`
	NotAfter     Millis `json:"notAfter"`
}

// RokuConnectToken is POST /sandbox/roku/connect-token: a connect token for a Roku
// subscriber on one device, signed (format "jws") or signed and encrypted ("jwe").
func (c *Client) RokuConnectToken(ctx context.Context, subscriberID, deviceID, format string) (*ConnectToken, error) {
	subscriberID = strings.TrimSpace(subscriberID)
	if subscriberID == "" {
		return nil, &InputError{Msg: "Give the Roku subscriber id to get a connect token for."}
	}
	body, err := json.Marshal(map[string]string{"subscriberId": subscriberID, "deviceId": deviceID, "format": format})
	if err != nil {
		return nil, err
	}
	var out ConnectToken
	if err := c.do(ctx, call{method: http.MethodPost, path: "/sandbox/roku/connect-token", body: body, ctype: "application/json"}, &out); err != nil {
		return nil, err
	}
	if out.Token == "" {
		return nil, &ProtocolError{Server: c.server, HTTPStatus: http.StatusCreated, Problem: "no token in the connect-token answer"}
	}
	return &out, nil
}

// RokuSignIn joins the profile of a Roku subscriber without a link code (seed 000):
// it gets a connect token from the sandbox's Roku identity service and presents it in
// X-Roku-Reserved-Roku-Connect-Token. Only a device whose preset is a Roku can.
func (d *Device) RokuSignIn(ctx context.Context, subscriberID string) (*ServiceToken, error) {
	if !d.preset.PlatformSSO {
		return nil, &InputError{Msg: "Only a Roku device can sign in with its platform identity: open the TV with --preset roku."}
	}
	ct, err := d.client.RokuConnectToken(ctx, subscriberID, d.headers.Key, "jws")
	if err != nil {
		return nil, err
	}
	return d.JoinWithPlatformToken(ctx, ct.Token)
}
