package sandbox

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// TestSignJWTParsesWithGoJose: the hand-written HS256 serialization is a JWS that
// go-jose parses and verifies, with the header and claims it was given; a token
// signed under another secret fails its check.
func TestSignJWTParsesWithGoJose(t *testing.T) {
	key := Key{ID: "k-1", Secret: []byte("0123456789abcdef0123456789abcdef")}
	now := time.Unix(1_700_000_000, 0)
	in := serviceClaims{
		Claims: jwt.Claims{Issuer: serviceTokenIssuer, Subject: "alice", Audience: jwt.Audience{"demo"},
			NotBefore: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(time.Hour)), ID: "join.abc"},
		DeviceKey: "dk", Namespace: nsSSO,
	}
	raw, err := signJWT(key, in)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.ParseSigned(raw, tokenAlgorithms)
	if err != nil {
		t.Fatalf("go-jose cannot parse %q: %v", raw, err)
	}
	if h := tok.Headers[0]; h.KeyID != "k-1" || h.Algorithm != "HS256" || h.ExtraHeaders[jose.HeaderType] != "JWT" {
		t.Errorf("header = %+v", h)
	}
	var out serviceClaims
	if err := tok.Claims(key.Secret, &out); err != nil {
		t.Fatalf("go-jose refuses the signature: %v", err)
	}
	if out.Subject != "alice" || out.DeviceKey != "dk" || out.Namespace != nsSSO || out.ID != "join.abc" ||
		len(out.Audience) != 1 || out.Audience[0] != "demo" || !out.Expiry.Time().Equal(now.Add(time.Hour)) {
		t.Errorf("claims = %+v", out)
	}
	if err := tok.Claims([]byte("another secret, another secret!!"), &out); err == nil {
		t.Error("a token verified under the wrong secret")
	}
}

// TestServiceClaimsJSON: the hand-written claims are the JSON encoding/json writes for
// them, tricky strings included.
func TestServiceClaimsJSON(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	for _, sub := range []string{"alice", `a"b\\c`, "<tag>&amp;", "\u2028é\x00\x1f", "\xff\xfeinvalid"} {
		c := serviceClaims{
			Claims: jwt.Claims{Issuer: serviceTokenIssuer, Subject: sub, Audience: jwt.Audience{"demo"},
				NotBefore: jwt.NewNumericDate(now), IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(time.Hour)), ID: "j." + sub},
			DeviceKey: "dk+/=", Namespace: nsSSO,
		}
		want, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		got := appendServiceClaims(nil, c)
		var gm, wm map[string]any
		if err := json.Unmarshal(got, &gm); err != nil {
			t.Fatalf("%q is not JSON: %v", got, err)
		}
		_ = json.Unmarshal(want, &wm)
		if !reflect.DeepEqual(gm, wm) {
			t.Errorf("subject %q:\n got %s\nwant %s", sub, got, want)
		}
	}
}
