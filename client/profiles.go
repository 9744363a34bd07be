package client

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// Profiles is the answer of GET /api/v2/{sp}/profiles: the profile's TV provider
// authentications, keyed by MVPD id (empty when there is none).
type Profiles struct {
	Profiles map[string]MVPDProfile `json:"profiles"`
	// Raw is the answer as received, for --json (unknown fields and number forms kept).
	Raw json.RawMessage `json:"-"`
}

// MVPDProfile is one TV provider authentication as a device sees it.
type MVPDProfile struct {
	NotBefore Millis `json:"notBefore"`
	NotAfter  Millis `json:"notAfter"`
	Issuer    string `json:"issuer"`
	// Type is how this device holds it: "regular" on the device that signed in,
	// "serviceTokenSSO" on other devices of the profile, "platformSSO" through Roku.
	Type       string                      `json:"type"`
	Attributes map[string]ProfileAttribute `json:"attributes"`
}

// ProfileAttribute is one attribute the MVPD shared, such as userID.
type ProfileAttribute struct {
	Value string `json:"value"`
	State string `json:"state"` // "plain"
}

// UnmarshalJSON takes a value of any JSON type, as text (a number as it was
// written), like the list's attributes: an MVPD may share a zip code as a number.
func (a *ProfileAttribute) UnmarshalJSON(data []byte) error {
	var raw struct {
		Value json.RawMessage `json:"value"`
		State json.RawMessage `json:"state"`
	}
	if err := json.Unmarshal(data, &raw); err != nil {
		return err
	}
	*a = ProfileAttribute{Value: attributeText(raw.Value), State: attributeText(raw.State)}
	return nil
}

// UserID is the userID attribute, "" when the MVPD did not share it.
func (p MVPDProfile) UserID() string { return p.Attributes["userID"].Value }

// ProfileCredential says how a profiles call identifies the profile: the device's
// service token, or a platform identity token (Roku), exactly one of them.
type ProfileCredential struct {
	ServiceToken string
	RokuToken    string
}

// GetProfiles is GET /api/v2/{sp}/profiles, or /profiles/{mvpd} when mvpd is given.
func (c *Client) GetProfiles(ctx context.Context, sp string, dev DeviceHeaders, cred ProfileCredential, mvpd string) (*Profiles, error) {
	if err := checkSP(sp); err != nil {
		return nil, err
	}
	h := deviceHeader(dev)
	switch {
	case (cred.ServiceToken == "") == (cred.RokuToken == ""):
		return nil, &InputError{Msg: "Read the profiles either with this device's service token or with a platform token, not both or neither."}
	case cred.ServiceToken != "":
		h.Set("AD-Service-Token", cred.ServiceToken)
	default:
		h.Set("X-Roku-Reserved-Roku-Connect-Token", cred.RokuToken)
	}
	path := "/api/v2/" + sp + "/profiles"
	if mvpd = strings.TrimSpace(mvpd); mvpd != "" {
		path += "/" + url.PathEscape(mvpd)
	}
	var out Profiles
	cl := call{method: http.MethodGet, path: path, header: h, auth: true, serviceToken: cred.ServiceToken != ""}
	raw, err := c.doRaw(ctx, cl, &out)
	if err != nil {
		return nil, err
	}
	out.Raw = raw
	if out.Profiles == nil {
		out.Profiles = map[string]MVPDProfile{}
	}
	return &out, nil
}

// Logout is the answer of DELETE /api/v2/{sp}/logout, keyed by MVPD id.
type Logout struct {
	Logouts map[string]LogoutAction `json:"logouts"`
	// Raw is the answer as received, for --json (unknown fields and number forms kept).
	Raw json.RawMessage `json:"-"`
}

// LogoutAction says what is left to do for one MVPD ("none" on the sandbox).
type LogoutAction struct {
	ActionName      string `json:"actionName"`
	ActionType      string `json:"actionType"`
	URL             string `json:"url,omitempty"`
	MVPD            string `json:"mvpd"`
	ServiceProvider string `json:"serviceProvider"`
}

// SignOutMVPD is DELETE /api/v2/{sp}/logout: it ends the TV provider authentication
// of the whole profile.
func (c *Client) SignOutMVPD(ctx context.Context, sp string, dev DeviceHeaders, serviceToken string) (*Logout, error) {
	if err := checkSP(sp); err != nil {
		return nil, err
	}
	h := deviceHeader(dev)
	h.Set("AD-Service-Token", serviceToken)
	var out Logout
	raw, err := c.doRaw(ctx, call{method: http.MethodDelete, path: "/api/v2/" + sp + "/logout", header: h, auth: true, serviceToken: true}, &out)
	if err != nil {
		return nil, err
	}
	out.Raw = raw
	if out.Logouts == nil {
		out.Logouts = map[string]LogoutAction{}
	}
	return &out, nil
}

// Profiles reads the TV provider authentications this device can use (v2 profiles,
// with its service token).
func (d *Device) Profiles(ctx context.Context) (*Profiles, error) {
	return withServiceToken(ctx, d, func(tok string) (*Profiles, error) {
		return d.client.GetProfiles(ctx, d.sp, d.headers, ProfileCredential{ServiceToken: tok}, "")
	})
}

// SignOut ends the TV provider authentication for every device of the profile.
func (d *Device) SignOut(ctx context.Context) (*Logout, error) {
	return withServiceToken(ctx, d, func(tok string) (*Logout, error) {
		return d.client.SignOutMVPD(ctx, d.sp, d.headers, tok)
	})
}
