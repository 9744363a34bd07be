package sandbox

import (
	"testing"
	"time"
)

// TestFlow walks the whole seed flow over a real socket on each driver.
func TestFlow(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			ts := startServer(t, driver, "", Config{})
			access := ts.accessToken(t)
			phone := device{key: deviceKey("phone"), access: access}
			tv := device{key: deviceKey("tv"), access: access}

			phoneToken := ts.serviceToken(t, phone, "alice@example.com")
			code := ts.linkCode(t, phone, phoneToken)
			if len(code) != 6 {
				t.Fatalf("link code %q is not six digits", code)
			}
			info := deviceInfo(map[string]string{"primaryHardwareType": "TV", "model": "QN90", "osName": "Tizen"})
			r := ts.do(t, "POST", "/api/demo/serviceToken", tv.headers("X-SSO-LINK", code[:3]+"-"+code[3:], "X-Device-Info", info,
				"User-Agent", "Mozilla/5.0 (SMART-TV; Linux; Tizen 7.0) AppleWebKit/537.36"), "")
			if r.status != 201 || r.str("status") != "CREATED" {
				t.Fatalf("redeem: %d %s", r.status, r.raw)
			}
			tvToken := r.str("serviceToken")

			// The code is spent.
			again := ts.do(t, "POST", "/api/demo/serviceToken", device{key: deviceKey("tv2"), access: access}.headers("X-SSO-LINK", code), "")
			if again.status != 400 || again.str("error", "code") != "invalid_parameter_code" {
				t.Fatalf("second redemption: %d %s", again.status, again.raw)
			}

			list := ts.do(t, "GET", "/api/demo/list", tv.headers("AD-Service-Token", tvToken), "")
			if list.status != 200 {
				t.Fatalf("list: %d %s", list.status, list.raw)
			}
			devices, _ := list.body["devices"].(map[string]any)
			if len(devices) != 2 {
				t.Fatalf("list has %d devices, want 2: %s", len(devices), list.raw)
			}
			if got := list.str("devices", phone.key, "type"); got != "regular" {
				t.Errorf("phone type %q, want regular", got)
			}
			if got := list.str("devices", tv.key, "type"); got != "sso" {
				t.Errorf("tv type %q, want sso", got)
			}
			if got := list.str("devices", tv.key, "deviceType"); got != "smartTV" {
				t.Errorf("tv deviceType %q, want smartTV", got)
			}
			if got := list.str("devices", tv.key, "os"); got != "Tizen" {
				t.Errorf("tv os %q, want Tizen", got)
			}
			if got := list.str("devices", tv.key, "osVersion"); got != "7.0" {
				t.Errorf("tv osVersion %q, want 7.0 (from the User-Agent)", got)
			}

			un := ts.do(t, "POST", "/api/demo/unlink", phone.headers("AD-Service-Token", phoneToken, "Content-Type", "application/json"),
				jsonBody(map[string]any{"devices": []string{tv.key, deviceKey("stranger")}}))
			if un.status != 200 || un.str("status") != "OK" {
				t.Fatalf("unlink: %d %s", un.status, un.raw)
			}
			if got, _ := un.body["unlinkedDevices"].([]any); len(got) != 1 || got[0] != tv.key {
				t.Fatalf("unlinkedDevices %v, want only the tv", un.body["unlinkedDevices"])
			}

			for _, c := range []struct{ method, path string }{{"GET", "/api/demo/list"}, {"GET", "/api/demo/serviceToken"}, {"POST", "/api/demo/link"}} {
				r := ts.do(t, c.method, c.path, tv.headers("AD-Service-Token", tvToken), "")
				if r.status != 401 || r.str("error", "code") != "unauthorized" || r.str("error", "action") != "none" {
					t.Errorf("unlinked tv %s %s: %d %s", c.method, c.path, r.status, r.raw)
				}
			}
			list = ts.do(t, "GET", "/api/demo/list", phone.headers("AD-Service-Token", phoneToken), "")
			devices, _ = list.body["devices"].(map[string]any)
			if list.status != 200 || len(devices) != 1 {
				t.Fatalf("phone's list after unlink: %d %s", list.status, list.raw)
			}
		})
	}
}

// TestLastSeen: every call a device makes moves its lastSeen.
func TestLastSeen(t *testing.T) {
	ts := startServer(t, "bbolt", "", Config{LinkCodeTTL: time.Hour, AccessTokenTTL: 100 * time.Hour})
	access := ts.accessToken(t)
	phone := device{key: deviceKey("phone"), access: access}
	tv := device{key: deviceKey("tv"), access: access}
	phoneTok := ts.serviceToken(t, phone, "alice")
	tvTok := ts.serviceToken(t, tv, "alice")
	seen := func() float64 {
		r := ts.do(t, "GET", "/api/demo/list", phone.headers("AD-Service-Token", phoneTok), "")
		e, _ := r.body["devices"].(map[string]any)[tv.key].(map[string]any)
		v, _ := e["lastSeen"].(float64)
		return v
	}
	for _, call := range []struct{ method, path string }{{"GET", "/api/demo/serviceToken"}, {"POST", "/api/demo/link"}, {"GET", "/api/demo/list"}} {
		ts.clock.Advance(time.Minute)
		if r := ts.do(t, call.method, call.path, tv.headers("AD-Service-Token", tvTok), ""); r.status/100 != 2 {
			t.Fatalf("%s %s: %d %s", call.method, call.path, r.status, r.raw)
		}
		if got, want := seen(), float64(ts.clock.Now().UnixMilli()); got != want {
			t.Errorf("after %s %s lastSeen is %v, want %v", call.method, call.path, got, want)
		}
	}
}

func TestDeviceIDFallback(t *testing.T) {
	ts := startServer(t, "memory", "", Config{AllowDeviceIDFallback: true})
	phone := device{key: deviceKey("phone"), access: ts.accessToken(t)}
	r := ts.do(t, "POST", "/api/demo/serviceToken", phone.headers(), "")
	if r.status != 201 {
		t.Fatalf("fallback: %d %s", r.status, r.raw)
	}
	c, e := ts.verifyServiceToken(r.str("serviceToken"), "demo", 0, ts.now())
	if e != nil || c.Subject != phone.key || c.DeviceKey != phone.key {
		t.Fatalf("claims %+v (%v): sub must be the device key", c, e)
	}
}
