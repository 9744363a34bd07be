package sandbox

import (
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestRestart: everything that got a 2xx survives closing and reopening the durable
// store.
func TestRestart(t *testing.T) {
	dir := t.TempDir()
	first := startServer(t, "bbolt", dir, Config{})
	st := first.do(t, "GET", "/sandbox/software-statement", nil, "").str("software_statement")
	reg := first.do(t, "POST", "/o/client/register", map[string]string{"Content-Type": "application/json"}, jsonBody(map[string]string{"software_statement": st}))
	access := first.accessToken(t)
	phone := device{key: deviceKey("phone"), access: access}
	tv := device{key: deviceKey("tv"), access: access}
	phoneToken := first.serviceToken(t, phone, "alice")
	joinCode := first.linkCode(t, phone, phoneToken)
	r := first.do(t, "POST", "/api/demo/serviceToken", tv.headers("X-SSO-LINK", joinCode), "")
	if r.status != 201 {
		t.Fatalf("redeem: %d %s", r.status, r.raw)
	}
	tvToken := r.str("serviceToken")
	pending := first.linkCode(t, phone, phoneToken)
	if err := first.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}

	second := startServer(t, "bbolt", dir, Config{})
	list := second.do(t, "GET", "/api/demo/list", tv.headers("AD-Service-Token", tvToken), "")
	devices, _ := list.body["devices"].(map[string]any)
	if list.status != 200 || len(devices) != 2 {
		t.Fatalf("list after restart: %d %s", list.status, list.raw)
	}
	if r := second.do(t, "GET", "/api/demo/serviceToken", phone.headers("AD-Service-Token", phoneToken), ""); r.status != 200 {
		t.Fatalf("refresh after restart: %d %s", r.status, r.raw)
	}
	checkEnvelope(t, second.do(t, "POST", "/api/demo/serviceToken", tv.headers("X-SSO-LINK", joinCode), ""), 400, "invalid_parameter_code", "none")
	box := device{key: deviceKey("box"), access: access}
	if r := second.do(t, "POST", "/api/demo/serviceToken", box.headers("X-SSO-LINK", pending), ""); r.status != 201 {
		t.Fatalf("pending code after restart: %d %s", r.status, r.raw)
	}
	checkEnvelope(t, second.do(t, "POST", "/api/demo/serviceToken", box.headers("X-SSO-LINK", pending), ""), 400, "invalid_parameter_code", "none")
	form := url.Values{"client_id": {reg.str("client_id")}, "client_secret": {reg.str("client_secret")}, "grant_type": {"client_credentials"}}
	if r := second.do(t, "POST", "/o/client/token", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, form.Encode()); r.status != 201 {
		t.Fatalf("client credentials after restart: %d %s", r.status, r.raw)
	}
}

func TestDataDirInUse(t *testing.T) {
	dir := t.TempDir()
	startServer(t, "bbolt", dir, Config{})
	start := time.Now()
	_, err := New(Config{DataDir: dir})
	if err == nil || !strings.Contains(err.Error(), "in use by another handoff; use --data or --memory") {
		t.Fatalf("second open: %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatalf("the second open hung for %s", time.Since(start))
	}
}

// TestConcurrentRedemption: a hundred devices race for one code; exactly one wins.
func TestConcurrentRedemption(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			ts := startServer(t, driver, "", Config{LinkFailureLimit: 1000, RedeemFailureBudget: 1000})
			access := ts.accessToken(t)
			phone := device{key: deviceKey("phone"), access: access}
			code := ts.linkCode(t, phone, ts.serviceToken(t, phone, "alice"))
			var wins, spent atomic.Int32
			var wg sync.WaitGroup
			for i := range 100 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					d := device{key: deviceKey("tv" + string(rune('A'+i%26)) + string(rune('a'+i/26))), access: access}
					r := ts.do(t, "POST", "/api/demo/serviceToken", d.headers("X-SSO-LINK", code), "")
					switch {
					case r.status == 201:
						wins.Add(1)
					case r.status == 400 && r.str("error", "code") == "invalid_parameter_code":
						spent.Add(1)
					default:
						t.Errorf("unexpected answer %d %s", r.status, r.raw)
					}
				}()
			}
			wg.Wait()
			if wins.Load() != 1 || spent.Load() != 99 {
				t.Fatalf("%d redemptions succeeded and %d were refused; want 1 and 99", wins.Load(), spent.Load())
			}
		})
	}
}
