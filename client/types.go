package client

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Millis is an epoch-milliseconds timestamp as the SSO service writes it in bodies.
type Millis int64

// UnmarshalJSON reads the spec's integer, and what other servers write for the same
// instant: a number with a fraction or an exponent (1.6238e12), or a string of
// digits (v1 writes "expires" so). null is zero.
func (m *Millis) UnmarshalJSON(data []byte) error {
	t := strings.Trim(strings.TrimSpace(string(data)), `"`)
	if t == "null" || t == "" {
		*m = 0
		return nil
	}
	if n, err := strconv.ParseInt(t, 10, 64); err == nil {
		*m = Millis(n)
		return nil
	}
	f, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsNaN(f) || f < -9.2e18 || f > 9.2e18 {
		return fmt.Errorf("client: %.40q is not epoch milliseconds", data)
	}
	*m = Millis(f)
	return nil
}

// Time converts the timestamp; zero stays the zero time.
func (m Millis) Time() time.Time {
	if m == 0 {
		return time.Time{}
	}
	return time.UnixMilli(int64(m))
}

// ServiceToken is the answer of POST and GET serviceToken.
type ServiceToken struct {
	Status    string `json:"status"`
	Token     string `json:"serviceToken"`
	NotBefore Millis `json:"notBefore"`
	NotAfter  Millis `json:"notAfter"`
	// Raw is the answer as received, for --json (unknown fields and number forms kept).
	Raw json.RawMessage `json:"-"`
}

// TokenClaims are a service token's claims, decoded without verification (the client
// cannot verify: only the service holds the key). JWT times are epoch seconds.
type TokenClaims struct {
	Issuer    string `json:"iss"`
	Subject   string `json:"sub"`
	NotBefore int64  `json:"nbf"`
	IssuedAt  int64  `json:"iat"`
	Expiry    int64  `json:"exp"`
	ID        string `json:"jti,omitempty"`
	DeviceKey string `json:"did,omitempty"`
}

// LinkCode is the answer of POST link: the code another device types, digits or
// letters and digits (the seed allows both), of no fixed length.
type LinkCode struct {
	Status    string `json:"status"`
	Code      string `json:"code"`
	NotBefore Millis `json:"notBefore"`
	NotAfter  Millis `json:"notAfter"`
	// Raw is the answer as received, for --json (unknown fields and number forms kept).
	Raw json.RawMessage `json:"-"`
}

// DeviceList is the answer of GET list, keyed by device key.
type DeviceList struct {
	Devices map[string]DeviceEntry `json:"devices"`
	// Raw is the answer as received, for --json (unknown fields and number forms kept).
	Raw json.RawMessage `json:"-"`
}

// UnlinkResult is the answer of POST unlink.
type UnlinkResult struct {
	Status          string   `json:"status"`
	UnlinkedDevices []string `json:"unlinkedDevices"`
	// Raw is the answer as received, for --json (unknown fields and number forms kept).
	Raw json.RawMessage `json:"-"`
}

// Registration is what Dynamic Client Registration gives an application, and the
// access token it currently holds.
type Registration struct {
	ClientID          string    `json:"clientId"`
	ClientSecret      string    `json:"clientSecret"`
	AccessToken       string    `json:"accessToken,omitempty"`
	AccessTokenExpiry time.Time `json:"accessTokenExpiry,omitzero"`
}

// ClientRegistration is the answer of POST /o/client/register.
type ClientRegistration struct {
	ClientID         string   `json:"client_id"`
	ClientSecret     string   `json:"client_secret"`
	ClientIDIssuedAt int64    `json:"client_id_issued_at"`
	RedirectURIs     []string `json:"redirect_uris"`
	GrantTypes       []string `json:"grant_types"`
	Scopes           []string `json:"scopes"`
}

// AccessTokenGrant is the answer of POST /o/client/token. ExpiresIn is in seconds.
type AccessTokenGrant struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int64  `json:"expires_in"`
	CreatedAt   Millis `json:"created_at"`
}
