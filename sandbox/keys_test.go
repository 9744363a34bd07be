package sandbox

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4/jwt"
)

func kidOf(t *testing.T, tok string) string {
	t.Helper()
	p, err := jwt.ParseSigned(tok, tokenAlgorithms)
	if err != nil || len(p.Headers) != 1 || p.Headers[0].KeyID == "" {
		t.Fatalf("token %q has no kid (%v)", tok, err)
	}
	if p.Headers[0].Algorithm != "HS256" {
		t.Fatalf("alg %q", p.Headers[0].Algorithm)
	}
	return p.Headers[0].KeyID
}

// TestKeyRotation: a new kid signs after the rotation age; the old kid verifies its
// tokens through their lifetime and grace, and not after.
func TestKeyRotation(t *testing.T) {
	ts := startServer(t, "bbolt", "", Config{KeyRotation: time.Hour, ServiceTokenTTL: time.Hour, RefreshGrace: time.Hour, AccessTokenTTL: 100 * time.Hour})
	phone := device{key: deviceKey("phone"), access: ts.accessToken(t)}
	old := ts.serviceToken(t, phone, "alice")
	ts.clock.Advance(time.Hour)
	fresh := ts.serviceToken(t, phone, "alice")
	if kidOf(t, old) == kidOf(t, fresh) {
		t.Fatal("the signing key did not rotate after KeyRotation")
	}
	if r := ts.do(t, "GET", "/api/demo/serviceToken", phone.headers("AD-Service-Token", old), ""); r.status != 200 {
		t.Fatalf("old kid within grace: %d %s", r.status, r.raw)
	}
	// A token under the old kid with a fresh exp stands for "any token the old key
	// signed": it must die when the key retires (lifetime + grace + skew later).
	c := claimsFor(t, ts, "alice", phone.key, ts.clock.Now())
	c.Expiry = jwt.NewNumericDate(ts.clock.Now().Add(10 * time.Hour))
	oldKey, ok := ts.keys.verifying(kidOf(t, old), ts.clock.Now())
	if !ok {
		t.Fatal("the old key no longer verifies right after rotation")
	}
	forged, err := signJWT(oldKey, c)
	if err != nil {
		t.Fatal(err)
	}
	ts.clock.Advance(2*time.Hour + nbfSkew)
	r := ts.do(t, "GET", "/api/demo/list", phone.headers("AD-Service-Token", forged), "")
	checkEnvelope(t, r, 401, "header_invalid", "get_new_token")
	if !strings.Contains(r.str("error", "message"), "signature") {
		t.Errorf("message %q", r.str("error", "message"))
	}
}

// TestRotationUnderLoad: rotating while other requests verify tokens inside their
// transactions must neither deadlock nor refuse a good token.
func TestRotationUnderLoad(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			ts := startServer(t, driver, "", Config{KeyRotation: time.Minute, ServiceTokenTTL: time.Hour, AccessTokenTTL: 100 * time.Hour})
			phone := device{key: deviceKey("phone"), access: ts.accessToken(t)}
			tok := ts.serviceToken(t, phone, "alice")
			done := make(chan struct{})
			go func() {
				defer close(done)
				var wg sync.WaitGroup
				for round := range 5 {
					ts.clock.Advance(time.Minute)
					for i := range 8 {
						wg.Add(1)
						go func() {
							defer wg.Done()
							var r reply
							if i%2 == 0 {
								r = ts.do(t, "POST", "/api/demo/serviceToken", phone.headers("X-SSO-ID", "alice"), "")
							} else {
								r = ts.do(t, "GET", "/api/demo/list", phone.headers("AD-Service-Token", tok), "")
							}
							if r.status/100 != 2 {
								t.Errorf("round %d: %d %s", round, r.status, r.raw)
							}
						}()
					}
					wg.Wait()
				}
			}()
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				t.Fatal("requests did not finish across key rotations: deadlock")
			}
		})
	}
}
