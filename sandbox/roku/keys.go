package roku

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/go-jose/go-jose/v4"
)

// rsaBits is the size of the encryption key: RSA-OAEP-256 below 2048 bits is not
// worth simulating.
const rsaBits = 2048

// Keys are the simulated Roku identity service's secrets: an ES256 key that signs every
// connect token and an RSA key that JWE tokens are encrypted to. Only the sandbox holds
// them, so only the sandbox can issue or read a connect token.
type Keys struct {
	sign *ecdsa.PrivateKey
	enc  *rsa.PrivateKey
}

// GenerateKeys makes a fresh pair of keys. It is slow (an RSA key), so the sandbox
// generates them once and keeps them with MarshalBinary.
func GenerateKeys() (*Keys, error) {
	sign, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("roku: signing key: %w", err)
	}
	enc, err := rsa.GenerateKey(rand.Reader, rsaBits)
	if err != nil {
		return nil, fmt.Errorf("roku: encryption key: %w", err)
	}
	return &Keys{sign: sign, enc: enc}, nil
}

// storedKeys is the serialised form: two private JWKs.
type storedKeys struct {
	Sign jose.JSONWebKey `json:"sign"`
	Enc  jose.JSONWebKey `json:"enc"`
}

// MarshalBinary serialises both private keys (as JWKs in a JSON object) so that tokens
// issued before a restart still verify after it. The bytes are secret.
func (k *Keys) MarshalBinary() ([]byte, error) {
	return json.Marshal(storedKeys{
		Sign: jose.JSONWebKey{Key: k.sign, Algorithm: string(jose.ES256), Use: "sig"},
		Enc:  jose.JSONWebKey{Key: k.enc, Algorithm: string(jose.RSA_OAEP_256), Use: "enc"},
	})
}

// ParseKeys reads what MarshalBinary wrote.
func ParseKeys(b []byte) (*Keys, error) {
	var s storedKeys
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("roku: stored keys: %w", err)
	}
	sign, ok := s.Sign.Key.(*ecdsa.PrivateKey)
	if !ok || sign.Curve != elliptic.P256() {
		return nil, errors.New("roku: stored keys: the signing key is not a P-256 private key")
	}
	enc, ok := s.Enc.Key.(*rsa.PrivateKey)
	if !ok || enc.N.BitLen() < rsaBits {
		return nil, errors.New("roku: stored keys: the encryption key is not a 2048-bit RSA private key")
	}
	return &Keys{sign: sign, enc: enc}, nil
}
