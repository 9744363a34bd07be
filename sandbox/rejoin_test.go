package sandbox

import "testing"

// TestRejoinWritesOnlyWhatChanged: a device asking again for a service token as it is
// (answered from a read transaction) keeps its membership and its earlier tokens;
// one that comes back with new attributes is written again.
func TestRejoinWritesOnlyWhatChanged(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			ts := startServer(t, driver, "", Config{})
			access := ts.accessToken(t)
			phone := device{key: deviceKey("phone"), access: access}
			first := ts.serviceToken(t, phone, "alice")
			again := ts.serviceToken(t, phone, "alice")
			if first == again {
				t.Fatal("the same token twice")
			}
			entry := func() map[string]any {
				r := ts.do(t, "GET", "/api/demo/list", phone.headers("AD-Service-Token", first), "")
				if r.status != 200 {
					t.Fatalf("list with the first token: %d %s", r.status, r.raw)
				}
				e, _ := r.body["devices"].(map[string]any)[phone.key].(map[string]any)
				return e
			}
			if e := entry(); e["model"] != "" {
				t.Errorf("model %v, want none yet", e["model"])
			}
			info := deviceInfo(map[string]string{"model": "Pixel 9", "primaryHardwareType": "MobilePhone"})
			if r := ts.do(t, "POST", "/api/demo/serviceToken", phone.headers("X-SSO-ID", "alice", "X-Device-Info", info), ""); r.status != 201 {
				t.Fatalf("rejoin with attributes: %d %s", r.status, r.raw)
			}
			if e := entry(); e["model"] != "Pixel 9" || e["deviceType"] != "mobile" {
				t.Errorf("after a rejoin with new attributes: %v", e)
			}
		})
	}
}
