package client

import (
	"encoding/base64"
	"net/url"
	"testing"
)

func mustURL(t *testing.T, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestDecodeClaims(t *testing.T) {
	seg := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	hdr := seg(`{"alg":"HS256","typ":"JWT"}`)
	tests := []struct {
		name, token string
		want        TokenClaims
		ok          bool
	}{
		{"full", hdr + "." + seg(`{"iss":"ssoservicetoken","sub":"alice","nbf":1,"iat":2,"exp":3,"jti":"j","did":"d"}`) + ".sig",
			TokenClaims{Issuer: "ssoservicetoken", Subject: "alice", NotBefore: 1, IssuedAt: 2, Expiry: 3, ID: "j", DeviceKey: "d"}, true},
		{"float times, padding", hdr + "." + base64.URLEncoding.EncodeToString([]byte(`{"sub":"a","exp":1700000000.5}`)) + ".sig",
			TokenClaims{Subject: "a", Expiry: 1700000000}, true},
		{"unknown claims ignored", hdr + "." + seg(`{"sub":"a","extra":{"x":1}}`) + ".", TokenClaims{Subject: "a"}, true},
		{"empty", "", TokenClaims{}, false},
		{"two parts", hdr + "." + seg(`{}`), TokenClaims{}, false},
		{"jwe", "a.b.c.d.e", TokenClaims{}, false},
		{"not base64", hdr + ".!!!.sig", TokenClaims{}, false},
		{"not an object", hdr + "." + seg(`[1]`) + ".sig", TokenClaims{}, false},
		{"sub a number", hdr + "." + seg(`{"sub":1}`) + ".sig", TokenClaims{}, false},
		{"exp a string", hdr + "." + seg(`{"exp":"soon"}`) + ".sig", TokenClaims{}, false},
		{"exp huge", hdr + "." + seg(`{"exp":1e300}`) + ".sig", TokenClaims{}, false},
		{"trailing data", hdr + "." + seg(`{"sub":"a"}x`) + ".sig", TokenClaims{}, false},
	}
	for _, tt := range tests {
		got, err := DecodeClaims(tt.token)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("%s: DecodeClaims = %+v, %v; want %+v ok=%v", tt.name, got, err, tt.want, tt.ok)
		}
	}
}

func FuzzDecodeClaims(f *testing.F) {
	f.Add(fakeJWT(map[string]any{"iss": "ssoservicetoken", "sub": "alice", "exp": 3}))
	f.Add("a.b.c")
	f.Add("eyJ9.eyJ9.")
	f.Add("a.b.c.d.e")
	f.Fuzz(func(t *testing.T, token string) {
		c, err := DecodeClaims(token)
		if err != nil && c != (TokenClaims{}) {
			t.Fatalf("error with claims: %+v, %v", c, err)
		}
		// Redaction must never panic nor keep a signature.
		r := &redactor{}
		masked := r.token(token, "fuzz")
		if len(token) >= minScrubLen && masked == token {
			t.Fatalf("token %q left unmasked", token)
		}
	})
}
