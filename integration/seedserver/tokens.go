package seedserver

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// signer signs and checks the service tokens (JWS compact, seed 003 step 2) with one
// of the three algorithms a real service may choose.
type signer struct {
	alg  string
	kid  string
	hmac []byte
	rsa  *rsa.PrivateKey
	ec   *ecdsa.PrivateKey
}

func newSigner(alg string) (*signer, error) {
	if alg == "" {
		alg = "HS256"
	}
	s := &signer{alg: alg, kid: newTrace()[:8]}
	var err error
	switch alg {
	case "HS256":
		s.hmac = randomBytes(32)
	case "RS256":
		s.rsa, err = rsa.GenerateKey(rand.Reader, 2048)
	case "ES256":
		s.ec, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	default:
		return nil, fmt.Errorf("seedserver: unknown alg %q", alg)
	}
	return s, err
}

var b64 = base64.RawURLEncoding

func (s *signer) sign(claims map[string]any) string {
	h, _ := json.Marshal(map[string]any{"alg": s.alg, "typ": "JWT", "kid": s.kid})
	c, _ := json.Marshal(claims)
	input := b64.EncodeToString(h) + "." + b64.EncodeToString(c)
	return input + "." + b64.EncodeToString(s.signature([]byte(input)))
}

func (s *signer) signature(input []byte) []byte {
	sum := sha256.Sum256(input)
	switch s.alg {
	case "RS256":
		sig, _ := rsa.SignPKCS1v15(rand.Reader, s.rsa, crypto.SHA256, sum[:])
		return sig
	case "ES256":
		r, ss, _ := ecdsa.Sign(rand.Reader, s.ec, sum[:])
		sig := make([]byte, 64)
		r.FillBytes(sig[:32])
		ss.FillBytes(sig[32:])
		return sig
	}
	m := hmac.New(sha256.New, s.hmac)
	m.Write(input)
	return m.Sum(nil)
}

var errSignature = errors.New("invalid JWT signature in AD-Service-Token")

// verify checks a token's signature and returns its claims.
func (s *signer) verify(tok string) (map[string]any, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return nil, errSignature
	}
	sig, err := b64.DecodeString(parts[2])
	if err != nil {
		return nil, errSignature
	}
	input := []byte(parts[0] + "." + parts[1])
	sum := sha256.Sum256(input)
	ok := false
	switch s.alg {
	case "RS256":
		ok = rsa.VerifyPKCS1v15(&s.rsa.PublicKey, crypto.SHA256, sum[:], sig) == nil
	case "ES256":
		ok = len(sig) == 64 && ecdsa.Verify(&s.ec.PublicKey, sum[:], new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:]))
	default:
		ok = hmac.Equal(sig, s.signature(input))
	}
	if !ok {
		return nil, errSignature
	}
	raw, err := b64.DecodeString(parts[1])
	if err != nil {
		return nil, errSignature
	}
	var claims map[string]any
	if json.Unmarshal(raw, &claims) != nil {
		return nil, errSignature
	}
	return claims, nil
}

// SoftwareStatement is a statement as the programmer's dashboard issues it: a JWT
// this server's registration accepts.
func (s *Server) SoftwareStatement() []byte {
	h, _ := json.Marshal(map[string]any{"alg": "HS256", "typ": "JWT"})
	c, _ := json.Marshal(map[string]any{"iss": "seed-dashboard", "software_id": "handoff-tests", "software_version": "1.0.0"})
	input := b64.EncodeToString(h) + "." + b64.EncodeToString(c)
	m := hmac.New(sha256.New, s.dashboard)
	m.Write([]byte(input))
	return []byte(input + "." + b64.EncodeToString(m.Sum(nil)))
}

func (s *Server) statementValid(st string) bool {
	i := strings.LastIndexByte(st, '.')
	if i < 0 || strings.Count(st, ".") != 2 {
		return false
	}
	sig, err := b64.DecodeString(st[i+1:])
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, s.dashboard)
	m.Write([]byte(st[:i]))
	return hmac.Equal(sig, m.Sum(nil))
}
