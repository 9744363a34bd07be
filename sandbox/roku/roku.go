// Package roku simulates Roku's identity service for the sandbox (seed 000): it issues
// connect tokens for a subscriber, signed (JWS) or signed-then-encrypted (JWE), and
// verifies the X-Roku-Reserved-Roku-Connect-Token header against explicit algorithm
// allow-lists. Roku's real token layout is not public; this one is the sandbox's own.
package roku

import (
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// Format is how a connect token is wrapped.
type Format string

const (
	// JWS is a signed JWT (ES256).
	JWS Format = "jws"
	// JWE is a signed JWT encrypted to the sandbox's key (RSA-OAEP-256, A256GCM).
	JWE Format = "jwe"
)

// ParseFormat reads "jws" or "jwe" (any case); "" means JWS.
func ParseFormat(s string) (Format, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", string(JWS):
		return JWS, nil
	case string(JWE):
		return JWE, nil
	}
	return "", &InputError{Msg: `format must be "jws" or "jwe"`}
}

const (
	// Issuer and Audience are the claims every connect token carries.
	Issuer   = "roku"
	Audience = "adobe"
	// DefaultTTL is how long a connect token is good for.
	DefaultTTL = 15 * time.Minute
	// MaxTokenLen bounds the work a hostile header can cause; real tokens are ~1 KiB.
	MaxTokenLen = 8 << 10
	// maxIDLen bounds subscriber and device ids.
	maxIDLen = 256
	// clockSkew is how far in the future iat may be.
	clockSkew = time.Minute
)

// The allow-lists: anything else is refused before a key is touched, which rules out
// "alg":"none" and HS256-with-the-public-key confusion.
var (
	signatureAlgs = []jose.SignatureAlgorithm{jose.ES256}
	keyAlgs       = []jose.KeyAlgorithm{jose.RSA_OAEP_256}
	contentAlgs   = []jose.ContentEncryption{jose.A256GCM}
)

// Identity is what a verified connect token says.
type Identity struct {
	Subscriber string // sub: the platform identifier every device of one account shares
	DeviceID   string // did
	Format     Format
	IssuedAt   time.Time
	Expiry     time.Time
}

// Error is a refused connect token. Reason is a sentence written for the caller (the
// sandbox sends it as the 401 header_invalid message); it never holds a library error.
type Error struct{ Reason string }

func (e *Error) Error() string { return e.Reason }

func refuse(reason string) error { return &Error{Reason: reason} }

// InputError is a request Issue cannot serve (no subscriber, a malformed id, an
// unknown format); Msg is written for the caller.
type InputError struct{ Msg string }

func (e *InputError) Error() string { return e.Msg }

// Service issues and verifies connect tokens with one set of keys.
type Service struct {
	keys *Keys
	now  func() time.Time
	// TTL is the lifetime of issued tokens; zero means DefaultTTL.
	TTL time.Duration
}

// New makes a service; now nil means time.Now.
func New(keys *Keys, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{keys: keys, now: now}
}

type claims struct {
	jwt.Claims
	DeviceID string `json:"did,omitempty"`
}

// Issue makes a connect token for a subscriber on a device.
func (s *Service) Issue(subscriber, deviceID string, f Format) (string, Identity, error) {
	if err := checkID("subscriberId", subscriber, true); err != nil {
		return "", Identity{}, err
	}
	if err := checkID("deviceId", deviceID, false); err != nil {
		return "", Identity{}, err
	}
	ttl := s.TTL
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	now := s.now().Truncate(time.Second)
	id := Identity{Subscriber: subscriber, DeviceID: deviceID, Format: f, IssuedAt: now, Expiry: now.Add(ttl)}
	c := claims{
		Claims: jwt.Claims{
			Issuer:   Issuer,
			Audience: jwt.Audience{Audience},
			Subject:  subscriber,
			IssuedAt: jwt.NewNumericDate(id.IssuedAt),
			Expiry:   jwt.NewNumericDate(id.Expiry),
		},
		DeviceID: deviceID,
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: s.keys.sign},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", Identity{}, err
	}
	var tok string
	switch f {
	case JWS:
		tok, err = jwt.Signed(signer).Claims(c).Serialize()
	case JWE:
		var enc jose.Encrypter
		enc, err = jose.NewEncrypter(jose.A256GCM,
			jose.Recipient{Algorithm: jose.RSA_OAEP_256, Key: &s.keys.enc.PublicKey},
			(&jose.EncrypterOptions{}).WithContentType("JWT"))
		if err != nil {
			return "", Identity{}, err
		}
		tok, err = jwt.SignedAndEncrypted(signer, enc).Claims(c).Serialize()
	default:
		return "", Identity{}, &InputError{Msg: `format must be "jws" or "jwe"`}
	}
	if err != nil {
		return "", Identity{}, err
	}
	return tok, id, nil
}

func checkID(name, v string, required bool) error {
	if v == "" {
		if required {
			return &InputError{Msg: name + " is required"}
		}
		return nil
	}
	if len(v) > maxIDLen {
		return &InputError{Msg: name + " is longer than 256 bytes"}
	}
	for _, r := range v {
		if r < 0x21 || r == 0x7f {
			return &InputError{Msg: name + " must be printable, without spaces"}
		}
	}
	return nil
}

// Verify checks a connect token: its wrapping (JWS, or JWE around a JWS), the
// signature, iss, aud, exp and iat. Every refusal is an *Error.
func (s *Service) Verify(token string) (Identity, error) {
	token = strings.TrimSpace(token)
	if token == "" {
		return Identity{}, refuse("The Roku connect token is empty.")
	}
	if len(token) > MaxTokenLen {
		return Identity{}, refuse("The Roku connect token is too long.")
	}
	var (
		signed *jwt.JSONWebToken
		format Format
	)
	switch strings.Count(token, ".") {
	case 2:
		format = JWS
		t, err := jwt.ParseSigned(token, signatureAlgs)
		if err != nil {
			return Identity{}, refuse("The Roku connect token is not a JWS signed with ES256.")
		}
		signed = t
	case 4:
		format = JWE
		t, err := s.decrypt(token)
		if err != nil {
			return Identity{}, err
		}
		signed = t
	default:
		return Identity{}, refuse("The Roku connect token is neither a compact JWS nor a compact JWE.")
	}
	var c claims
	if err := signed.Claims(&s.keys.sign.PublicKey, &c); err != nil {
		return Identity{}, refuse("The Roku connect token's signature is invalid.")
	}
	return s.check(c, format)
}

// decrypt opens a JWE and parses the JWS inside it. An encrypted token that is not
// also signed is refused: encryption alone says nothing about who made it.
func (s *Service) decrypt(token string) (*jwt.JSONWebToken, error) {
	enc, err := jose.ParseEncryptedCompact(token, keyAlgs, contentAlgs)
	if err != nil {
		return nil, refuse("The Roku connect token is not a JWE with RSA-OAEP-256 and A256GCM.")
	}
	if cty, _ := enc.Header.ExtraHeaders[jose.HeaderContentType].(string); !strings.EqualFold(cty, "JWT") {
		return nil, refuse("The Roku connect token's JWE does not hold a signed JWT (cty must be JWT).")
	}
	inner, err := enc.Decrypt(s.keys.enc)
	if err != nil {
		return nil, refuse("The Roku connect token could not be decrypted.")
	}
	signed, err := jwt.ParseSigned(string(inner), signatureAlgs)
	if err != nil {
		return nil, refuse("The Roku connect token's JWE does not hold a JWS signed with ES256.")
	}
	return signed, nil
}

func (s *Service) check(c claims, f Format) (Identity, error) {
	now := s.now()
	switch {
	case c.Issuer != Issuer:
		return Identity{}, refuse(`The Roku connect token's issuer (iss) is not "roku".`)
	case !c.Audience.Contains(Audience):
		return Identity{}, refuse(`The Roku connect token's audience (aud) is not "adobe".`)
	case c.Expiry == nil:
		return Identity{}, refuse("The Roku connect token has no expiry (exp).")
	case !now.Before(c.Expiry.Time()):
		return Identity{}, refuse("The Roku connect token has expired: ask the Roku identity service for a new one.")
	case c.IssuedAt != nil && c.IssuedAt.Time().After(now.Add(clockSkew)):
		return Identity{}, refuse("The Roku connect token was issued in the future (iat).")
	}
	if err := checkID("sub", c.Subject, true); err != nil {
		return Identity{}, refuse("The Roku connect token's subject (sub) is missing or malformed.")
	}
	if err := checkID("did", c.DeviceID, false); err != nil {
		return Identity{}, refuse("The Roku connect token's device id (did) is malformed.")
	}
	id := Identity{Subscriber: c.Subject, DeviceID: c.DeviceID, Format: f, Expiry: c.Expiry.Time()}
	if c.IssuedAt != nil {
		id.IssuedAt = c.IssuedAt.Time()
	}
	return id, nil
}
