package sandbox

import (
	"strconv"
	"testing"
	"time"
)

func TestServiceTokenExpiryAndGrace(t *testing.T) {
	ts := startServer(t, "memory", "", Config{ServiceTokenTTL: time.Hour, RefreshGrace: 2 * time.Hour, AccessTokenTTL: 48 * time.Hour})
	phone := device{key: deviceKey("phone"), access: ts.accessToken(t)}
	tok := ts.serviceToken(t, phone, "alice")
	list := func() reply { return ts.do(t, "GET", "/api/demo/list", phone.headers("AD-Service-Token", tok), "") }
	refresh := func() reply {
		return ts.do(t, "GET", "/api/demo/serviceToken", phone.headers("AD-Service-Token", tok), "")
	}

	ts.clock.Advance(59 * time.Minute)
	if r := list(); r.status != 200 {
		t.Fatalf("list before expiry: %d %s", r.status, r.raw)
	}
	ts.clock.Advance(time.Minute)
	checkEnvelope(t, list(), 401, "token_expired", "get_new_token")
	ts.clock.Advance(2*time.Hour - time.Second)
	r := refresh()
	if r.status != 200 {
		t.Fatalf("refresh within grace: %d %s", r.status, r.raw)
	}
	if nb, _ := r.body["notBefore"].(float64); int64(nb) != ts.clock.Now().UnixMilli() {
		t.Errorf("refreshed notBefore %v, want now", r.body["notBefore"])
	}
	fresh := r.str("serviceToken")
	ts.clock.Advance(time.Second)
	checkEnvelope(t, refresh(), 401, "token_expired", "get_new_token")
	if r := ts.do(t, "GET", "/api/demo/list", phone.headers("AD-Service-Token", fresh), ""); r.status != 200 {
		t.Fatalf("the refreshed token is refused: %d %s", r.status, r.raw)
	}
}

func TestLinkCodeExpiry(t *testing.T) {
	ts := startServer(t, "memory", "", Config{LinkCodeTTL: time.Minute})
	access := ts.accessToken(t)
	phone := device{key: deviceKey("phone"), access: access}
	code := ts.linkCode(t, phone, ts.serviceToken(t, phone, "alice"))
	ts.clock.Advance(time.Minute)
	r := ts.do(t, "POST", "/api/demo/serviceToken", device{key: deviceKey("tv"), access: access}.headers("X-SSO-LINK", code), "")
	checkEnvelope(t, r, 400, "invalid_parameter_code", "none")
}

func TestLinkCodesPerProfile(t *testing.T) {
	ts := startServer(t, "bbolt", "", Config{})
	access := ts.accessToken(t)
	phone := device{key: deviceKey("phone"), access: access}
	tok := ts.serviceToken(t, phone, "alice")
	var codes []string
	for range 6 {
		codes = append(codes, ts.linkCode(t, phone, tok))
		ts.clock.Advance(time.Second)
	}
	tv := device{key: deviceKey("tv"), access: access}
	checkEnvelope(t, ts.do(t, "POST", "/api/demo/serviceToken", tv.headers("X-SSO-LINK", codes[0]), ""), 400, "invalid_parameter_code", "none")
	for i, c := range codes[1:] {
		d := device{key: deviceKey("tv" + strconv.Itoa(i)), access: access}
		if r := ts.do(t, "POST", "/api/demo/serviceToken", d.headers("X-SSO-LINK", c[:2]+" "+c[2:]), ""); r.status != 201 {
			t.Fatalf("code %d of the last five: %d %s", i+2, r.status, r.raw)
		}
	}
}

func TestLinkLimiter(t *testing.T) {
	ts := startServer(t, "memory", "", Config{LinkCodeTTL: time.Hour})
	access := ts.accessToken(t)
	phone := device{key: deviceKey("phone"), access: access}
	code := ts.linkCode(t, phone, ts.serviceToken(t, phone, "alice"))
	tv := device{key: deviceKey("tv"), access: access}
	wrong := "000000"
	if code == wrong {
		wrong = "000001"
	}
	for i := range 10 {
		r := ts.do(t, "POST", "/api/demo/serviceToken", tv.headers("X-SSO-LINK", wrong), "")
		if r.status != 400 {
			t.Fatalf("failure %d: %d %s", i+1, r.status, r.raw)
		}
		ts.clock.Advance(time.Second)
	}
	// The right code is refused too while the limit holds: that is what makes guessing
	// a million codes hopeless.
	r := ts.do(t, "POST", "/api/demo/serviceToken", tv.headers("X-SSO-LINK", code), "")
	checkEnvelope(t, r, 429, "too_many_requests", "retry")
	if got := r.header.Get("Retry-After"); got != strconv.Itoa(600-10) {
		t.Errorf("Retry-After %q, want %d", got, 600-10)
	}
	// Another device from the same address is held by the per-address limit.
	other := device{key: deviceKey("other"), access: access}
	checkEnvelope(t, ts.do(t, "POST", "/api/demo/serviceToken", other.headers("X-SSO-LINK", code), ""), 429, "too_many_requests", "retry")
	// X-SSO-ID joins are not limited.
	if r := ts.do(t, "POST", "/api/demo/serviceToken", tv.headers("X-SSO-ID", "bob"), ""); r.status != 201 {
		t.Fatalf("X-SSO-ID while limited: %d %s", r.status, r.raw)
	}
	ts.clock.Advance(590 * time.Second)
	if r := ts.do(t, "POST", "/api/demo/serviceToken", tv.headers("X-SSO-LINK", code), ""); r.status != 201 {
		t.Fatalf("after the window: %d %s", r.status, r.raw)
	}
}
