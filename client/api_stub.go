package client

// THIS FILE IS A CONTRACT STUB: the signatures are fixed, the bodies are to be written.

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/keystore"
)

var errTODO = errors.New("not implemented yet")

// APIError is a refusal by the server: the SSO envelope, the flat v2 object, the v1
// small shape, or the OAuth shape of the DCR calls, all read into one type.
type APIError struct {
	HTTPStatus int           // 400, 401, …
	Status     string        // "BAD_REQUEST" (SSO envelope) when sent
	Code       string        // "header_missing", or the OAuth "error"
	Message    string        // the message, or the OAuth "error_description"
	Action     string        // "check_headers", "get_new_token", "retry", "none", …
	HelpURL    string        //
	Trace      string        // error.trace, or the X-Request-Id header
	RetryAfter time.Duration // from Retry-After on 429
}

func (e *APIError) Error() string { return "" }

// Explain turns any error of this package into one line a person can act on
// ("The link code is wrong, expired or already used: ask the phone for a new one.").
// It never shows a Go error string.
func Explain(err error) string { return "" }

// Exchange is one HTTP request and its response, secrets redacted, for the trace hook.
type Exchange struct {
	Device         string // the device name that made it ("" for a bare Client)
	Started        time.Time
	Latency        time.Duration
	Method         string
	URL            string // path and query; query secrets redacted
	RequestHeader  http.Header
	RequestBody    []byte
	Status         int // 0 when no response came
	ResponseHeader http.Header
	ResponseBody   []byte
	Err            string         // Explain(err) when the exchange failed on the network
	Tokens         []DecodedToken // JWTs seen in headers and bodies, decoded (header and claims only)
}

// DecodedToken is a JWT found in an exchange: where it was, and its header and claims.
type DecodedToken struct {
	Where  string // "AD-Service-Token header", "response serviceToken", …
	Header map[string]any
	Claims map[string]any
}

// Options configure a Client.
type Options struct {
	HTTPClient *http.Client // nil: a client with sane timeouts
	// Cache keeps the registration and access token between calls and runs; nil: memory.
	Cache RegistrationCache
	// SoftwareStatement for DCR; empty: fetched from the sandbox's /sandbox/software-statement.
	SoftwareStatement string
	Trace             func(Exchange)
	Now               func() time.Time
	UserAgent         string
	DeviceInfo        string // Base64 X-Device-Info sent on registration
}

// RegistrationCache keeps one application's client credentials and access token.
type RegistrationCache interface {
	LoadRegistration() (Registration, bool)
	SaveRegistration(Registration) error
}

// DeviceHeaders identify the calling device on each SSO request.
type DeviceHeaders struct {
	Key       string // AP-Device-Identifier payload (Base64 of SHA-256 of a UUID)
	Info      string // X-Device-Info (Base64 JSON)
	UserAgent string
}

// Identity is the one identity source of POST serviceToken.
type Identity struct {
	SSOID     string // X-SSO-ID
	LinkCode  string // X-SSO-LINK
	RokuToken string // X-Roku-Reserved-Roku-Connect-Token
}

// Client calls one server. Safe for concurrent use.
type Client struct{}

// New makes a client for a server base URL ("http://127.0.0.1:8765").
func New(server string, opts Options) (*Client, error) { return nil, errTODO }

func (c *Client) Server() string { return "" }

func (c *Client) CreateServiceToken(ctx context.Context, sp string, dev DeviceHeaders, id Identity) (*ServiceToken, error) {
	return nil, errTODO
}
func (c *Client) RefreshServiceToken(ctx context.Context, sp string, dev DeviceHeaders, serviceToken string) (*ServiceToken, error) {
	return nil, errTODO
}
func (c *Client) CreateLinkCode(ctx context.Context, sp string, dev DeviceHeaders, serviceToken string) (*LinkCode, error) {
	return nil, errTODO
}
func (c *Client) ListDevices(ctx context.Context, sp string, dev DeviceHeaders, serviceToken string) (*DeviceList, error) {
	return nil, errTODO
}
func (c *Client) UnlinkDevices(ctx context.Context, sp string, dev DeviceHeaders, serviceToken string, keys []string) (*UnlinkResult, error) {
	return nil, errTODO
}

// NormalizeLinkCode turns what a person typed ("123 456", "123-456") into six digits,
// or says what is wrong with it.
func NormalizeLinkCode(input string) (string, error) { return "", errTODO }

// DecodeClaims reads a service token's claims without verifying it.
func DecodeClaims(token string) (TokenClaims, error) { return TokenClaims{}, errTODO }

// DeviceConfig describes a simulated device.
type DeviceConfig struct {
	Name       string // "phone", "tv", "tv2"
	Server     string // base URL
	SP         string // service provider, default "demo"
	Preset     string // used when the device is first created; default by Role
	Role       assets.Role
	Store      keystore.Store // nil: memory
	HTTPClient *http.Client
	Trace      func(Exchange)
	Now        func() time.Time
	// SoftwareStatement for a real server; empty: the sandbox's.
	SoftwareStatement string
}

// DeviceState is a snapshot of a device for display. It holds no secret.
type DeviceState struct {
	Name      string
	Account   string // keystore account
	StoreKind string
	Key       string // the device key (AP-Device-Identifier payload)
	Preset    assets.Preset
	Server    string
	SP        string
	SignedIn  bool        // holds a service token
	Claims    TokenClaims // of the current service token
	NotAfter  time.Time   // when the current service token expires
	JoinedVia string      // "regular", "sso", "platformSSO", "" when not joined
	Unlinked  bool        // the service said this device was unlinked
}

// Device is a simulated device of the flow. Its methods are the steps; each saves the
// device's record to its store before it returns. Safe for concurrent use.
type Device struct{}

// OpenDevice loads a device from its store, or creates it (new key, preset) when the
// store has no record. It makes no network call.
func OpenDevice(cfg DeviceConfig) (*Device, error) { return nil, errTODO }

func (d *Device) State() DeviceState { return DeviceState{} }

// SignIn is step 2: POST serviceToken with X-SSO-ID.
func (d *Device) SignIn(ctx context.Context, ssoID string) (*ServiceToken, error) {
	return nil, errTODO
}

// Redeem is step 5: POST serviceToken with X-SSO-LINK.
func (d *Device) Redeem(ctx context.Context, code string) (*ServiceToken, error) { return nil, errTODO }

// Refresh is GET serviceToken.
func (d *Device) Refresh(ctx context.Context) (*ServiceToken, error) { return nil, errTODO }

// EnsureFresh refreshes the service token when it expires within margin (or expired
// within the refresh grace); it does nothing otherwise.
func (d *Device) EnsureFresh(ctx context.Context, margin time.Duration) error { return errTODO }

// Link is step 4: POST link.
func (d *Device) Link(ctx context.Context) (*LinkCode, error) { return nil, errTODO }

// Devices is GET list.
func (d *Device) Devices(ctx context.Context) (*DeviceList, error) { return nil, errTODO }

// Unlink is POST unlink.
func (d *Device) Unlink(ctx context.Context, keys ...string) (*UnlinkResult, error) {
	return nil, errTODO
}

// Forget removes the device's record from its store.
func (d *Device) Forget() error { return errTODO }
