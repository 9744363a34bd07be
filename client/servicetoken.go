package client

import (
	"context"
	"net/http"
)

// serviceTokenBody reads the token under the spec's name or the seed's ("jws").
type serviceTokenBody struct {
	Status       string `json:"status"`
	ServiceToken string `json:"serviceToken"`
	JWS          string `json:"jws"`
	NotBefore    Millis `json:"notBefore"`
	NotAfter     Millis `json:"notAfter"`
}

func (c *Client) readServiceToken(ctx context.Context, cl call) (*ServiceToken, error) {
	var b serviceTokenBody
	raw, err := c.doRaw(ctx, cl, &b)
	if err != nil {
		return nil, err
	}
	tok := b.ServiceToken
	if tok == "" {
		tok = b.JWS
	}
	if tok == "" {
		return nil, &ProtocolError{Server: c.server, HTTPStatus: http.StatusOK, Problem: "no serviceToken (or jws) in the answer"}
	}
	st := &ServiceToken{Status: b.Status, Token: tok, NotBefore: b.NotBefore, NotAfter: b.NotAfter, Raw: raw}
	// The seed's samples leave the times out of some answers; the token knows them.
	if claims, err := DecodeClaims(tok); err == nil {
		if st.NotAfter == 0 && claims.Expiry > 0 {
			st.NotAfter = Millis(claims.Expiry * 1000)
		}
		if st.NotBefore == 0 && claims.NotBefore > 0 {
			st.NotBefore = Millis(claims.NotBefore * 1000)
		}
	}
	return st, nil
}

// CreateServiceToken is POST /api/{sp}/serviceToken with exactly one identity source.
func (c *Client) CreateServiceToken(ctx context.Context, sp string, dev DeviceHeaders, id Identity) (*ServiceToken, error) {
	if err := checkSP(sp); err != nil {
		return nil, err
	}
	h := deviceHeader(dev)
	n := 0
	for name, v := range map[string]string{"X-SSO-ID": id.SSOID, "X-SSO-LINK": id.LinkCode, "X-Roku-Reserved-Roku-Connect-Token": id.RokuToken} {
		if v != "" {
			h.Set(name, v)
			n++
		}
	}
	if n != 1 {
		return nil, &InputError{Msg: "Give exactly one way to join: a common identifier, a link code or a platform token."}
	}
	return c.readServiceToken(ctx, call{method: http.MethodPost, path: "/api/" + sp + "/serviceToken", header: h, auth: true})
}

// RefreshServiceToken is GET /api/{sp}/serviceToken: a new token for the same
// profile, accepted up to the refresh grace after the old one expired.
func (c *Client) RefreshServiceToken(ctx context.Context, sp string, dev DeviceHeaders, serviceToken string) (*ServiceToken, error) {
	if err := checkSP(sp); err != nil {
		return nil, err
	}
	h := deviceHeader(dev)
	h.Set("AD-Service-Token", serviceToken)
	return c.readServiceToken(ctx, call{method: http.MethodGet, path: "/api/" + sp + "/serviceToken", header: h, auth: true, serviceToken: true})
}
