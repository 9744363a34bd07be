package client

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// REST v2 decisions/authorize: may this device play a resource? A permit carries a
// media token for the player's backend to verify.

// Decision is the service's answer for one resource.
type Decision struct {
	Resource        string         `json:"resource"`
	ServiceProvider string         `json:"serviceProvider"`
	MVPD            string         `json:"mvpd"`
	Source          string         `json:"source"`
	Authorized      bool           `json:"authorized"`
	Token           *MediaToken    `json:"token,omitempty"`
	Error           *DecisionError `json:"error,omitempty"` // why not, when not authorized
}

// MediaToken is the short-lived, single-use proof of a permit decision. Only the
// issuer's verifier can read SerializedToken: it is opaque to the client.
type MediaToken struct {
	IssuedAt        Millis `json:"issuedAt"`
	NotBefore       Millis `json:"notBefore"`
	NotAfter        Millis `json:"notAfter"`
	SerializedToken string `json:"serializedToken"`
}

// DecisionError is the reason of a deny decision, in the v2 error vocabulary
// ("authorization_denied_by_mvpd").
type DecisionError struct {
	Status  int    `json:"status"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Action  string `json:"action"`
}

// Decisions is the answer of POST decisions/authorize, one decision per resource.
type Decisions struct {
	Decisions []Decision `json:"decisions"`
}

// IsNotAuthenticated reports a request-level refusal of a decision: the device has no
// TV provider authentication (missing, or expired). The TV should show a code or
// join a profile that has one.
func IsNotAuthenticated(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && (ae.Code == "authenticated_profile_missing" || ae.Code == "authenticated_profile_expired")
}

// Authorize is POST /api/v2/{sp}/decisions/authorize[/{mvpd}] for the resources. The
// device is known by its key, and by its service token when it holds one (pass ""
// for a TV that signed in with a code). mvpd empty lets the service use the device's
// longest-lasting authentication.
func (c *Client) Authorize(ctx context.Context, sp string, dev DeviceHeaders, serviceToken, mvpd string, resources ...string) (*Decisions, error) {
	if err := checkSP(sp); err != nil {
		return nil, err
	}
	if dev.Key == "" {
		return nil, &InputError{Msg: "An authorization decision needs this device's key (AP-Device-Identifier)."}
	}
	var clean []string
	for _, r := range resources {
		if r = strings.TrimSpace(r); r != "" {
			clean = append(clean, r)
		}
	}
	if len(clean) == 0 {
		return nil, &InputError{Msg: "Name the resource to play (a channel or show id, such as live)."}
	}
	body, err := json.Marshal(map[string][]string{"resources": clean})
	if err != nil {
		return nil, err
	}
	h := deviceHeader(dev)
	if serviceToken != "" {
		h.Set("AD-Service-Token", serviceToken)
	}
	path := "/api/v2/" + sp + "/decisions/authorize"
	if mvpd = strings.TrimSpace(mvpd); mvpd != "" {
		path += "/" + url.PathEscape(mvpd)
	}
	var out Decisions
	cl := call{method: http.MethodPost, path: path, header: h, body: body, ctype: "application/json", auth: true, serviceToken: serviceToken != ""}
	if err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	if len(out.Decisions) != len(clean) {
		return nil, &ProtocolError{Server: c.server, HTTPStatus: http.StatusOK, Problem: "not one decision per resource"}
	}
	return &out, nil
}
