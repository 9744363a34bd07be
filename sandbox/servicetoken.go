package sandbox

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

const (
	serviceTokenIssuer = "ssoservicetoken"
	// nbfSkew is how far in the future a token's nbf may be before it is refused.
	nbfSkew = 60 * time.Second
)

// tokenAlgorithms is the allow-list for every JWT the sandbox verifies.
var tokenAlgorithms = []jose.SignatureAlgorithm{jose.HS256}

// serviceClaims are a service token's claims. did is the device key; jti starts with
// the device's join id, so a token dies with the membership it was issued for; aud is
// the service provider it was issued under and ns the profile's namespace, so that
// it speaks for its profile under that {sp} only.
type serviceClaims struct {
	jwt.Claims
	DeviceKey string `json:"did"`
	Namespace string `json:"ns,omitempty"`
}

// profileID is the store ID of the profile the token speaks for.
func (c serviceClaims) profileID() string {
	sp := ""
	if len(c.Audience) == 1 {
		sp = c.Audience[0]
	}
	return profileID(c.Namespace, sp, c.Subject)
}

// joinIDOf returns the join id that prefixes a jti ("<join>.<random>").
func joinIDOf(jti string) string {
	for i := 0; i < len(jti); i++ {
		if jti[i] == '.' {
			return jti[:i]
		}
	}
	return ""
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// signJWT signs claims with HS256 under key, with typ JWT and kid, in the JWS compact
// serialization. It is written out by hand because go-jose's builder marshals the
// claims three times and builds a signer per call (most of a serviceToken call's
// cost); go-jose still parses and verifies every token (verifySignature), and a test
// checks that it accepts these.
func signJWT(key Key, claims any) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	return signJWTPayload(key, payload), nil
}

// signJWTPayload signs the JSON payload with HS256 under key.
func signJWTPayload(key Key, payload []byte) string {
	return string(appendSignedJWT(nil, key, payload))
}

// appendSignedJWT appends the JWS compact serialization of payload, signed with HS256
// under key, to dst.
func appendSignedJWT(dst []byte, key Key, payload []byte) []byte {
	enc := base64.RawURLEncoding
	start := len(dst)
	dst = slices.Grow(dst, len(jwtHeader(key.ID))+1+enc.EncodedLen(len(payload))+1+enc.EncodedLen(sha256.Size))
	dst = append(dst, jwtHeader(key.ID)...)
	dst = append(dst, '.')
	dst = enc.AppendEncode(dst, payload)
	m := jwtMACs.get(key.Secret)
	m.mac.Write(dst[start:])
	dst = append(dst, '.')
	dst = enc.AppendEncode(dst, m.mac.Sum(m.sum[:0]))
	jwtMACs.put(m)
	return dst
}

// jwtMACs serves appendSignedJWT.
var jwtMACs macPool

// jwtHeaders caches the encoded JOSE header of each key ID: a handful of keys live at
// a time, so it stays small.
var jwtHeaders sync.Map // kid → base64url of {"alg":"HS256","kid":…,"typ":"JWT"}

func jwtHeader(kid string) string {
	if h, ok := jwtHeaders.Load(kid); ok {
		return h.(string)
	}
	raw := appendJSONString([]byte(`{"alg":"HS256","kid":`), kid)
	h := base64.RawURLEncoding.EncodeToString(append(raw, `,"typ":"JWT"}`...))
	jwtHeaders.Store(kid, h)
	return h
}

// appendServiceClaims writes c as JSON, with the names jwt.Claims gives its fields
// (and none of its reflection); the claims a service token does not use are left out.
func appendServiceClaims(b []byte, c serviceClaims) []byte {
	b = append(b, `{"iss":`...)
	b = appendJSONString(b, c.Issuer)
	b = append(b, `,"sub":`...)
	b = appendJSONString(b, c.Subject)
	if len(c.Audience) == 1 {
		b = append(b, `,"aud":`...)
		b = appendJSONString(b, c.Audience[0])
	}
	b = appendNumericDate(b, `,"exp":`, c.Expiry)
	b = appendNumericDate(b, `,"nbf":`, c.NotBefore)
	b = appendNumericDate(b, `,"iat":`, c.IssuedAt)
	b = append(b, `,"jti":`...)
	b = appendJSONString(b, c.ID)
	b = append(b, `,"did":`...)
	b = appendJSONString(b, c.DeviceKey)
	if c.Namespace != "" {
		b = append(b, `,"ns":`...)
		b = appendJSONString(b, c.Namespace)
	}
	return append(b, '}')
}

// appendNumericDate appends the claim name and its date, when there is one.
func appendNumericDate(b []byte, name string, at *jwt.NumericDate) []byte {
	if at == nil {
		return b
	}
	return strconv.AppendInt(append(b, name...), int64(*at), 10)
}

// signingKey is the key that signs service tokens now. It is fetched before a
// request's transaction, because rotating it is a transaction of its own.
func (s *Server) signingKey(now time.Time) (Key, error) {
	return s.keys.current(now, s.cfg.KeyRotation, s.cfg.ServiceTokenTTL+s.cfg.RefreshGrace+nbfSkew)
}

// appendServiceToken appends a service token for device d of its profile, signed
// with key, to dst, and says when it starts and ends.
func (s *Server) appendServiceToken(dst []byte, key Key, d Device, now time.Time) (b []byte, nbf, exp time.Time, err error) {
	nbf = now.Truncate(time.Second)
	exp = nbf.Add(s.cfg.ServiceTokenTTL)
	ns, sp, common, ok := splitProfileID(d.ProfileID)
	if !ok {
		return dst, nbf, exp, errors.New("a device of an unscoped profile")
	}
	var random [8]byte
	var jti [2 * len(random)]byte
	_, _ = rand.Read(random[:])
	hex.Encode(jti[:], random[:])
	buf := claimBuffers.Get().(*[]byte)
	claims := appendServiceClaims((*buf)[:0], serviceClaims{
		Namespace: ns,
		Claims: jwt.Claims{
			Issuer: serviceTokenIssuer, Subject: common, Audience: jwt.Audience{sp},
			NotBefore: jwt.NewNumericDate(nbf), IssuedAt: jwt.NewNumericDate(nbf), Expiry: jwt.NewNumericDate(exp),
			ID: d.JoinID + "." + string(jti[:]),
		},
		DeviceKey: d.Key,
	})
	dst = appendSignedJWT(dst, key, claims)
	*buf = claims
	claimBuffers.Put(buf)
	return dst, nbf, exp, nil
}

// claimBuffers keeps the buffers service-token claims are written in before they are
// signed (and copied, in base64, into the answer).
var claimBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// verifiedTokens remembers the claims of token strings whose signature checked out,
// so that a device's repeated calls skip the JOSE parse and HMAC (the largest cost of
// a list call). Keyed by the exact string, the cache can only answer for bytes that
// were verified; the time checks and the key's retirement are still made every time.
type verifiedTokens struct {
	mu sync.Mutex
	m  map[string]verifiedToken
}

type verifiedToken struct {
	kid    string
	claims serviceClaims
}

// maxVerifiedTokens bounds the cache; past it, the cache starts over.
const maxVerifiedTokens = 4096

func (v *verifiedTokens) get(raw string) (verifiedToken, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	t, ok := v.m[raw]
	return t, ok
}

func (v *verifiedTokens) put(raw string, t verifiedToken) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.m == nil || len(v.m) >= maxVerifiedTokens {
		v.m = make(map[string]verifiedToken, 64)
	}
	v.m[raw] = t
}

// verifyServiceToken checks a token's signature and claims (not yet whether its device
// is still linked) for use under service provider sp at now, the request's time. grace
// is how long past exp the token still counts (GET serviceToken only). The errors are
// the catalogue's.
func (s *Server) verifyServiceToken(raw, sp string, grace time.Duration, now time.Time) (serviceClaims, *apiError) {
	v, ok := s.verified.get(raw)
	if ok {
		if _, live := s.keys.verifying(v.kid, now); !live {
			return serviceClaims{}, errTokenSignature
		}
	} else {
		var e *apiError
		if v, e = s.verifySignature(raw, now); e != nil {
			return serviceClaims{}, e
		}
		s.verified.put(raw, v)
	}
	c := v.claims
	switch {
	case c.Subject == "":
		return c, errTokenNoSubject
	case c.Issuer != serviceTokenIssuer:
		return c, errTokenIssuer
	case c.NotBefore != nil && c.NotBefore.Time().After(now.Add(nbfSkew)):
		return c, errTokenNotYet
	case c.Expiry == nil || !now.Before(c.Expiry.Time().Add(grace)):
		return c, errTokenExpired
	case c.DeviceKey == "" || joinIDOf(c.ID) == "":
		return c, errTokenClaims
	case len(c.Audience) != 1 || c.Audience[0] != sp || c.Namespace == "":
		return c, errTokenOtherSP
	}
	return c, nil
}

// verifySignature parses raw under the algorithm allow-list and checks its HMAC with
// the key its kid names.
func (s *Server) verifySignature(raw string, now time.Time) (verifiedToken, *apiError) {
	var c serviceClaims
	tok, err := jwt.ParseSigned(raw, tokenAlgorithms)
	if err != nil || len(tok.Headers) != 1 {
		return verifiedToken{}, errTokenUnparsable
	}
	kid := tok.Headers[0].KeyID
	key, ok := s.keys.verifying(kid, now)
	if !ok {
		return verifiedToken{}, errTokenSignature
	}
	if err := tok.Claims(key.Secret, &c); err != nil {
		if errors.Is(err, jose.ErrCryptoFailure) {
			return verifiedToken{}, errTokenSignature
		}
		return verifiedToken{}, errTokenUnparsable
	}
	return verifiedToken{kid: kid, claims: c}, nil
}
