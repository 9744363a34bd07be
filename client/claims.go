package client

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
)

// maxTokenLen bounds what DecodeClaims reads: a service token is a few hundred bytes.
const maxTokenLen = 16 << 10

// DecodeClaims reads a service token's claims without verifying it.
func DecodeClaims(token string) (TokenClaims, error) {
	_, raw, err := splitJWT(token)
	if err != nil {
		return TokenClaims{}, err
	}
	var c TokenClaims
	str := func(k string, dst *string) error {
		v, ok := raw[k]
		if !ok || v == nil {
			return nil
		}
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("token: claim %q is not a string", k)
		}
		*dst = s
		return nil
	}
	num := func(k string, dst *int64) error {
		v, ok := raw[k]
		if !ok || v == nil {
			return nil
		}
		n, ok := v.(json.Number)
		if !ok {
			return fmt.Errorf("token: claim %q is not a number", k)
		}
		if i, err := n.Int64(); err == nil {
			*dst = i
			return nil
		}
		f, err := n.Float64()
		if err != nil || math.IsInf(f, 0) || f > math.MaxInt64 || f < math.MinInt64 {
			return fmt.Errorf("token: claim %q is out of range", k)
		}
		*dst = int64(f)
		return nil
	}
	for _, err := range []error{
		str("iss", &c.Issuer), str("sub", &c.Subject), str("jti", &c.ID), str("did", &c.DeviceKey),
		num("nbf", &c.NotBefore), num("iat", &c.IssuedAt), num("exp", &c.Expiry),
	} {
		if err != nil {
			return TokenClaims{}, err
		}
	}
	return c, nil
}

// splitJWT decodes the header and claims of a compact JWS. A JWE (five parts) has
// no readable claims.
func splitJWT(token string) (header, claims map[string]any, err error) {
	if len(token) > maxTokenLen {
		return nil, nil, errors.New("token: too long")
	}
	parts := strings.Split(token, ".")
	if len(parts) == 5 {
		return nil, nil, errors.New("token: encrypted (JWE), claims are not readable")
	}
	if len(parts) != 3 {
		return nil, nil, errors.New("token: not a JWT (want header.claims.signature)")
	}
	if header, err = decodeSegment(parts[0]); err != nil {
		return nil, nil, fmt.Errorf("token header: %w", err)
	}
	if claims, err = decodeSegment(parts[1]); err != nil {
		return nil, nil, fmt.Errorf("token claims: %w", err)
	}
	return header, claims, nil
}

func decodeSegment(seg string) (map[string]any, error) {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(seg, "="))
	if err != nil {
		return nil, errors.New("not base64url")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, errors.New("not a JSON object")
	}
	if dec.More() {
		return nil, errors.New("trailing data after the JSON object")
	}
	return m, nil
}
