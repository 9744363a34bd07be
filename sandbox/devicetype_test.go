package sandbox

import "testing"

// TestListDeviceType: the list speaks the seed sample's vocabulary (spec §3 List,
// correction 2026-12), whatever X-Device-Info's primaryHardwareType said.
func TestListDeviceType(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	access := ts.accessToken(t)
	for _, c := range []struct{ hardware, want string }{
		{"MobilePhone", "mobile"},
		{"Tablet", "tablet"},
		{"TV", "smartTV"},
		{"SetTopBox", "setTopBox"},
		{"MediaPlayer", "mediaPlayer"},
		{"GamesConsole", "gamesConsole"},
		{"Desktop", "desktop"},
		{"Unknown", "unknown"},
		{"Toaster", "unknown"},
		{"", "unknown"},
	} {
		t.Run(c.hardware, func(t *testing.T) {
			d := device{key: deviceKey("dt-" + c.hardware), access: access}
			info := deviceInfo(map[string]string{"primaryHardwareType": c.hardware, "model": "m"})
			r := ts.do(t, "POST", "/api/demo/serviceToken", d.headers("X-SSO-ID", "dt-"+c.hardware, "X-Device-Info", info), "")
			if r.status != 201 {
				t.Fatalf("join: %d %s", r.status, r.raw)
			}
			list := ts.do(t, "GET", "/api/demo/list", d.headers("AD-Service-Token", r.str("serviceToken")), "")
			if got := list.str("devices", d.key, "deviceType"); got != c.want {
				t.Errorf("primaryHardwareType %q is listed as deviceType %q, want %q", c.hardware, got, c.want)
			}
		})
	}
}
