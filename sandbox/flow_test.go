package sandbox

import (
	"testing"
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
			if got := list.str("devices", tv.key, "deviceType"); got != "TV" {
				t.Errorf("tv deviceType %q, want TV", got)
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
				if r.status != 401 || r.str("error", "code") != "unauthorized" || r.str("error", "action") != "get_new_token" {
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
