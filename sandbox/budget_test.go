package sandbox

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// from is ts seen from source address 127.0.0.n: Linux routes all of 127/8 to lo, so
// each n is a client address of its own.
func (ts *testServer) from(n int) *testServer {
	local := &net.TCPAddr{IP: net.IPv4(127, byte(n>>16), byte(n>>8), byte(n))}
	d := &net.Dialer{LocalAddr: local, Timeout: 5 * time.Second}
	c := *ts
	c.http = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{DisableKeepAlives: true,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
	}}
	return &c
}

// otherCode is a six-digit code that is not code.
func otherCode(code string, i int) string {
	n, _ := strconv.Atoi(code)
	return fmt.Sprintf("%06d", (n+1+i)%1_000_000)
}

// TestRedeemBudgetBindsEveryAddressAndKey: an attacker who changes address and
// device key on every guess meets the server-wide budget all the same; past it every
// redemption (even of a right code) waits, with Retry-After, until the hour moves on.
func TestRedeemBudgetBindsEveryAddressAndKey(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			const budget = 20
			ts := startServer(t, driver, "", Config{RedeemFailureBudget: budget})
			access := ts.accessToken(t)
			phone := device{key: deviceKey("phone"), access: access}
			code := ts.linkCode(t, phone, ts.serviceToken(t, phone, "alice"))
			for i := range budget + 5 {
				guesser := device{key: deviceKey(fmt.Sprintf("guesser-%d", i)), access: access}
				r := ts.from(2+i).do(t, "POST", "/api/demo/serviceToken", guesser.headers("X-SSO-LINK", otherCode(code, i)), "")
				switch {
				case i < budget && r.str("error", "code") != "invalid_parameter_code":
					t.Fatalf("guess %d from 127.0.0.%d: %d %s, want invalid_parameter_code", i, 2+i, r.status, r.raw)
				case i >= budget:
					checkEnvelope(t, r, 429, "too_many_requests", "retry")
					if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s <= 0 || s > 3600 {
						t.Fatalf("guess %d: Retry-After %q", i, r.header.Get("Retry-After"))
					}
				}
			}
			tv := device{key: deviceKey("tv"), access: access}
			r := ts.from(200).do(t, "POST", "/api/demo/serviceToken", tv.headers("X-SSO-LINK", code), "")
			checkEnvelope(t, r, 429, "too_many_requests", "retry")
			ts.clock.Advance(RedeemFailureWindow)
			code = ts.linkCode(t, phone, ts.serviceToken(t, phone, "alice"))
			if r := ts.from(201).do(t, "POST", "/api/demo/serviceToken", tv.headers("X-SSO-LINK", code), ""); r.status != 201 {
				t.Fatalf("the right code an hour later: %d %s", r.status, r.raw)
			}
		})
	}
}

// TestClientAddressGroupsIPv6By64: every address of one IPv6 /64 is one client for
// the limiter; IPv4 (mapped or not) is per address.
func TestClientAddressGroupsIPv6By64(t *testing.T) {
	key := func(remote string) string {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = remote
		return clientAddress(r)
	}
	same := [][2]string{
		{"[2001:db8:1:2::1]:1000", "[2001:db8:1:2:ffff:ffff:ffff:ffff]:2000"},
		{"[2001:db8:1:2::1%eth0]:1000", "[2001:db8:1:2::99]:1"},
		{"192.0.2.7:1", "[::ffff:192.0.2.7]:2"},
	}
	for _, p := range same {
		if key(p[0]) != key(p[1]) {
			t.Errorf("%s and %s are limited apart (%q, %q)", p[0], p[1], key(p[0]), key(p[1]))
		}
	}
	apart := [][2]string{
		{"[2001:db8:1:2::1]:1", "[2001:db8:1:3::1]:1"},
		{"192.0.2.7:1", "192.0.2.8:1"},
	}
	for _, p := range apart {
		if key(p[0]) == key(p[1]) {
			t.Errorf("%s and %s share a limit (%q)", p[0], p[1], key(p[0]))
		}
	}
}

// fullCodeSpace is a store in which every link code drawn is live already.
type fullCodeSpace struct{ Store }

func (f fullCodeSpace) Update(fn func(Tx) error) error {
	return f.Store.Update(func(tx Tx) error { return fn(fullCodeTx{tx}) })
}

func (f fullCodeSpace) Batch(fn func(Tx) error) error { return f.Update(fn) }

type fullCodeTx struct{ Tx }

func (f fullCodeTx) LinkCode(hash string) (LinkCode, error) {
	return LinkCode{Hash: hash, ProfileID: "sso/demo/someone", NotBefore: time.Now(), NotAfter: time.Now().Add(3 * time.Minute)}, nil
}

// TestCodeSpaceExhausted: when no free code can be drawn, POST link answers the
// catalogue's too_many_requests with Retry-After (when the soonest code ends), not 500.
func TestCodeSpaceExhausted(t *testing.T) {
	ts := startOnStore(t, Config{}, fullCodeSpace{NewMemoryStore()})
	phone := device{key: deviceKey("phone"), access: ts.accessToken(t)}
	r := ts.do(t, "POST", "/api/demo/link", phone.headers("AD-Service-Token", ts.serviceToken(t, phone, "alice")), "")
	checkEnvelope(t, r, 429, "too_many_requests", "retry")
	if s, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || s < 170 || s > 181 {
		t.Errorf("Retry-After %q, want the 3 minutes until the soonest code ends", r.header.Get("Retry-After"))
	}
}
