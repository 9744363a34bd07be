package roku

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

var (
	keysOnce         sync.Once
	ourKeys, strange *Keys
	keysErr          error
)

// testKeys generates two key sets once per test binary: RSA generation is slow.
func testKeys(t testing.TB) (ours, other *Keys) {
	t.Helper()
	keysOnce.Do(func() {
		ourKeys, keysErr = GenerateKeys()
		if keysErr == nil {
			strange, keysErr = GenerateKeys()
		}
	})
	if keysErr != nil {
		t.Fatal(keysErr)
	}
	return ourKeys, strange
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newClock() *clock { return &clock{t: time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)} }

func TestIssueAndVerify(t *testing.T) {
	ours, _ := testKeys(t)
	clk := newClock()
	svc := New(ours, clk.now)
	for _, f := range []Format{JWS, JWE} {
		t.Run(string(f), func(t *testing.T) {
			tok, issued, err := svc.Issue("sub-42", "roku-dev-1", f)
			if err != nil {
				t.Fatal(err)
			}
			if parts := strings.Count(tok, ".") + 1; (f == JWS && parts != 3) || (f == JWE && parts != 5) {
				t.Fatalf("%s token has %d parts", f, parts)
			}
			got, err := svc.Verify(tok)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			want := Identity{Subscriber: "sub-42", DeviceID: "roku-dev-1", Format: f,
				IssuedAt: clk.t, Expiry: clk.t.Add(DefaultTTL)}
			if !got.IssuedAt.Equal(want.IssuedAt) || !got.Expiry.Equal(want.Expiry) ||
				got.Subscriber != want.Subscriber || got.DeviceID != want.DeviceID || got.Format != want.Format {
				t.Fatalf("Verify = %+v, want %+v", got, want)
			}
			if !issued.Expiry.Equal(want.Expiry) {
				t.Fatalf("Issue identity expiry = %v, want %v", issued.Expiry, want.Expiry)
			}
		})
	}
}

func TestKeysSurviveARestart(t *testing.T) {
	ours, _ := testKeys(t)
	b, err := ours.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	before := New(ours, nil)
	jws, _, _ := before.Issue("sub-1", "", JWS)
	jwe, _, _ := before.Issue("sub-1", "", JWE)
	reloaded, err := ParseKeys(b)
	if err != nil {
		t.Fatal(err)
	}
	after := New(reloaded, nil)
	for _, tok := range []string{jws, jwe} {
		if id, err := after.Verify(tok); err != nil || id.Subscriber != "sub-1" {
			t.Fatalf("token issued before the restart: %+v, %v", id, err)
		}
	}
}

func TestParseKeysRefusesGarbage(t *testing.T) {
	ours, _ := testKeys(t)
	good, _ := ours.MarshalBinary()
	var swapped map[string]json.RawMessage
	if err := json.Unmarshal(good, &swapped); err != nil {
		t.Fatal(err)
	}
	swapped["sign"], swapped["enc"] = swapped["enc"], swapped["sign"]
	swappedBytes, _ := json.Marshal(swapped)
	for name, b := range map[string][]byte{
		"empty":    nil,
		"not json": []byte("roku"),
		"no keys":  []byte("{}"),
		"swapped":  swappedBytes,
	} {
		if _, err := ParseKeys(b); err == nil {
			t.Errorf("%s: ParseKeys accepted it", name)
		}
	}
}

// signClaims signs arbitrary claims with a key set's ES256 key, for tokens the service
// would never issue itself.
func signClaims(t *testing.T, k *Keys, c any) string {
	t.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: k.sign}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jwt.Signed(signer).Claims(c).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func encryptTo(t *testing.T, k *Keys, alg jose.KeyAlgorithm, enc jose.ContentEncryption, cty string, payload string) string {
	t.Helper()
	opts := &jose.EncrypterOptions{}
	if cty != "" {
		opts = opts.WithContentType(jose.ContentType(cty))
	}
	e, err := jose.NewEncrypter(enc, jose.Recipient{Algorithm: alg, Key: &k.enc.PublicKey}, opts)
	if err != nil {
		t.Fatal(err)
	}
	obj, err := e.Encrypt([]byte(payload))
	if err != nil {
		t.Fatal(err)
	}
	s, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func TestVerifyRefuses(t *testing.T) {
	ours, other := testKeys(t)
	clk := newClock()
	svc := New(ours, clk.now)
	good := func(f Format) string {
		tok, _, err := svc.Issue("sub-42", "dev", f)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	now := clk.t
	base := claims{Claims: jwt.Claims{Issuer: Issuer, Audience: jwt.Audience{Audience}, Subject: "sub-42",
		IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(time.Minute))}}
	with := func(edit func(*claims)) claims { c := base; edit(&c); return c }

	pubDER, err := x509.MarshalPKIXPublicKey(&ours.sign.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	hsHeader := b64(`{"alg":"HS256","typ":"JWT"}`)
	payload, _ := json.Marshal(base)
	hsInput := hsHeader + "." + b64(string(payload))
	mac := hmac.New(sha256.New, pubDER)
	mac.Write([]byte(hsInput))
	hsConfusion := hsInput + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))

	tamperJWS := func() string {
		p := strings.Split(good(JWS), ".")
		var c map[string]any
		raw, _ := base64.RawURLEncoding.DecodeString(p[1])
		_ = json.Unmarshal(raw, &c)
		c["sub"] = "someone-else"
		forged, _ := json.Marshal(c)
		return p[0] + "." + b64(string(forged)) + "." + p[2]
	}
	tamperJWE := func() string {
		p := strings.Split(good(JWE), ".")
		ct := []byte(p[3])
		if ct[5] == 'A' {
			ct[5] = 'B'
		} else {
			ct[5] = 'A'
		}
		p[3] = string(ct)
		return strings.Join(p, ".")
	}
	otherSvc := New(other, clk.now)
	wrongSignerJWE := func() string {
		mixed := New(&Keys{sign: other.sign, enc: ours.enc}, clk.now)
		tok, _, err := mixed.Issue("sub-42", "", JWE)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	otherJWS, _, _ := otherSvc.Issue("sub-42", "", JWS)
	otherJWE, _, _ := otherSvc.Issue("sub-42", "", JWE)

	cases := map[string]struct{ tok, reason string }{
		"empty":                        {"", "empty"},
		"not a token":                  {"hello", "neither"},
		"three parts of garbage":       {"a.b.c", "not a JWS"},
		"five parts of garbage":        {"a.b.c.d.e", "not a JWE"},
		"too long":                     {strings.Repeat("a", MaxTokenLen+1), "too long"},
		"tampered JWS":                 {tamperJWS(), "signature is invalid"},
		"tampered JWE":                 {tamperJWE(), "could not be decrypted"},
		"JWS signed by another key":    {otherJWS, "signature is invalid"},
		"JWE encrypted to another key": {otherJWE, "could not be decrypted"},
		"JWE wrapping a JWS signed by another key": {wrongSignerJWE(), "signature is invalid"},
		"alg none":                  {b64(`{"alg":"none","typ":"JWT"}`) + "." + b64(string(payload)) + ".", "not a JWS"},
		"HS256 with the public key": {hsConfusion, "not a JWS"},
		"wrong iss":                 {signClaims(t, ours, with(func(c *claims) { c.Issuer = "rokux" })), "issuer"},
		"wrong aud":                 {signClaims(t, ours, with(func(c *claims) { c.Audience = jwt.Audience{"someone"} })), "audience"},
		"no exp":                    {signClaims(t, ours, with(func(c *claims) { c.Expiry = nil })), "no expiry"},
		"iat in the future":         {signClaims(t, ours, with(func(c *claims) { c.IssuedAt = jwt.NewNumericDate(now.Add(time.Hour)) })), "future"},
		"no sub":                    {signClaims(t, ours, with(func(c *claims) { c.Subject = "" })), "subject"},
		"sub with spaces":           {signClaims(t, ours, with(func(c *claims) { c.Subject = "a b" })), "subject"},
		"JWE without a signature":   {encryptTo(t, ours, jose.RSA_OAEP_256, jose.A256GCM, "JWT", string(payload)), "does not hold a JWS"},
		"JWE without cty":           {encryptTo(t, ours, jose.RSA_OAEP_256, jose.A256GCM, "", good(JWS)), "cty"},
		"JWE with RSA1_5":           {encryptTo(t, ours, jose.RSA1_5, jose.A256GCM, "JWT", good(JWS)), "not a JWE"},
		"JWE with A128CBC-HS256":    {encryptTo(t, ours, jose.RSA_OAEP_256, jose.A128CBC_HS256, "JWT", good(JWS)), "not a JWE"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			id, err := svc.Verify(tc.tok)
			if err == nil {
				t.Fatalf("accepted: %+v", id)
			}
			var e *Error
			if !errors.As(err, &e) || e.Reason == "" {
				t.Fatalf("error %v is not a *roku.Error with a reason", err)
			}
			if strings.Contains(e.Reason, "go-jose") {
				t.Fatalf("reason leaks a library error: %q", e.Reason)
			}
			if !strings.Contains(e.Reason, tc.reason) {
				t.Fatalf("refused for %q, want a reason about %q", e.Reason, tc.reason)
			}
		})
	}
}

func TestVerifyRefusesExpired(t *testing.T) {
	ours, _ := testKeys(t)
	clk := newClock()
	svc := New(ours, clk.now)
	svc.TTL = time.Minute
	for _, f := range []Format{JWS, JWE} {
		tok, _, err := svc.Issue("sub-42", "", f)
		if err != nil {
			t.Fatal(err)
		}
		clk.t = clk.t.Add(59 * time.Second)
		if _, err := svc.Verify(tok); err != nil {
			t.Fatalf("%s one second before expiry: %v", f, err)
		}
		clk.t = clk.t.Add(time.Second)
		_, err = svc.Verify(tok)
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(e.Reason, "expired") {
			t.Fatalf("%s at expiry: %v, want an expiry refusal", f, err)
		}
	}
}

func TestIssueRefusesBadInput(t *testing.T) {
	ours, _ := testKeys(t)
	svc := New(ours, nil)
	for name, in := range map[string][3]string{
		"no subscriber":          {"", "dev", "jws"},
		"subscriber with spaces": {"a b", "dev", "jws"},
		"huge device id":         {"sub", strings.Repeat("d", 300), "jws"},
		"unknown format":         {"sub", "dev", "jwx"},
	} {
		_, _, err := svc.Issue(in[0], in[1], Format(in[2]))
		var ie *InputError
		if !errors.As(err, &ie) || ie.Msg == "" {
			t.Errorf("%s: Issue gave %v, want an *InputError", name, err)
		}
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]Format{"": JWS, "jws": JWS, " JWE ": JWE} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseFormat("jwt"); err == nil {
		t.Error(`ParseFormat("jwt") accepted it`)
	}
}

// FuzzVerify feeds mangled tokens to the verifier: it must never panic, and whatever it
// accepts must carry the only subscriber the seeds were issued for.
func FuzzVerify(f *testing.F) {
	ours, _ := testKeys(f)
	clk := newClock()
	svc := New(ours, clk.now)
	for _, format := range []Format{JWS, JWE} {
		tok, _, err := svc.Issue("fuzz-subscriber", "fuzz-device", format)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(tok)
	}
	f.Add("")
	f.Add("a.b.c")
	f.Add("a.b.c.d.e")
	f.Add(b64(`{"alg":"none"}`) + "." + b64(`{"iss":"roku","aud":"adobe","sub":"x","exp":9999999999}`) + ".")
	f.Fuzz(func(t *testing.T, tok string) {
		id, err := svc.Verify(tok)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("refusal is not a *roku.Error: %v", err)
			}
			return
		}
		if id.Subscriber != "fuzz-subscriber" || id.DeviceID != "fuzz-device" {
			t.Fatalf("accepted a token nobody issued: %+v", id)
		}
	})
}
