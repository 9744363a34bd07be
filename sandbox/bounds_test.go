package sandbox

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestMaxDevicesPerProfile: a join past the cap is refused in words (and a code is
// not spent on it); members rejoin, and an unlink makes room.
func TestMaxDevicesPerProfile(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			ts := startServer(t, driver, "", Config{MaxDevicesPerProfile: 3})
			access := ts.accessToken(t)
			dev := func(i int) device { return device{key: deviceKey(fmt.Sprint("member-", i)), access: access} }
			first := ts.serviceToken(t, dev(0), "alice")
			for i := 1; i < 3; i++ {
				ts.serviceToken(t, dev(i), "alice")
			}
			r := ts.join(t, "demo", dev(3), "X-SSO-ID", "alice")
			checkEnvelope(t, r, 400, "request_invalid", "none")
			if !strings.Contains(r.str("error", "message"), "3 devices") || !strings.Contains(r.str("error", "message"), "unlink") {
				t.Errorf("message %q does not say the cap and what to do", r.str("error", "message"))
			}
			code := ts.linkCode(t, dev(0), first)
			checkEnvelope(t, ts.join(t, "demo", dev(3), "X-SSO-LINK", code), 400, "request_invalid", "none")
			ts.serviceToken(t, dev(1), "alice") // a member rejoins
			un := ts.do(t, "POST", "/api/demo/unlink", dev(0).headers("AD-Service-Token", first, "Content-Type", "application/json"),
				jsonBody(map[string]any{"devices": []string{dev(2).key}}))
			if un.status != 200 {
				t.Fatalf("unlink: %d %s", un.status, un.raw)
			}
			if r := ts.join(t, "demo", dev(3), "X-SSO-LINK", code); r.status != 201 {
				t.Fatalf("the code refused on a full profile, after an unlink: %d %s", r.status, r.raw)
			}
		})
	}
}

// TestMaxDevicesDefault: with no setting, the 101st device is refused.
func TestMaxDevicesDefault(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	access := ts.accessToken(t)
	for i := range DefaultMaxDevicesPerProfile {
		ts.serviceToken(t, device{key: deviceKey(fmt.Sprint("d-", i)), access: access}, "crowd")
	}
	checkEnvelope(t, ts.join(t, "demo", device{key: deviceKey("one-more"), access: access}, "X-SSO-ID", "crowd"), 400, "request_invalid", "none")
}

// TestDeviceInfoFieldBounds: fields the list shows are refused when too long or when
// they hold control characters; printable text of any script is kept.
func TestDeviceInfoFieldBounds(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	access := ts.accessToken(t)
	for i, c := range []struct {
		field, value string
		ok           bool
	}{
		{"model", strings.Repeat("m", 256), true},
		{"model", strings.Repeat("m", 257), false},
		{"manufacturer", strings.Repeat("é", 129), false},
		{"osName", "Tizen\x1b[31m", false},
		{"osVersion", "1\n2", false},
		{"vendor", "L\u0085G", false},
		{"userAgent", "x\x7f", false},
		{"primaryHardwareType", "TV\x00", false},
		{"model", "Téléviseur 📺 QN90", true},
		{"model", "QN90\u202eVT", false}, // a bidi override reorders a member's list
		{"osName", "Tizen\u2066x\u2069", false},
		{"model", "one\u2028two", false},
	} {
		d := device{key: deviceKey(fmt.Sprint("info-", i)), access: access}
		r := ts.join(t, "demo", d, "X-SSO-ID", "alice", "X-Device-Info", deviceInfo(map[string]string{c.field: c.value}))
		if c.ok && r.status != 201 {
			t.Errorf("%s %q: %d %s", c.field, url.QueryEscape(c.value), r.status, r.raw)
		}
		if !c.ok {
			checkEnvelope(t, r, 400, "invalid_header_device_info", "none")
		}
	}
}

// TestIdleClientExpires: a client that asked for no access token for 30 days is
// forgotten (invalid_client: the client app registers again).
func TestIdleClientExpires(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	st := ts.do(t, "GET", "/sandbox/software-statement", nil, "")
	reg := ts.do(t, "POST", "/o/client/register", map[string]string{"Content-Type": "application/json"},
		jsonBody(map[string]string{"software_statement": st.str("software_statement")}))
	form := url.Values{"client_id": {reg.str("client_id")}, "client_secret": {reg.str("client_secret")}, "grant_type": {"client_credentials"}}.Encode()
	token := func() reply {
		return ts.do(t, "POST", "/o/client/token", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, form)
	}
	ts.clock.Advance(29 * 24 * time.Hour)
	if r := token(); r.status != 201 {
		t.Fatalf("token after 29 days: %d %s", r.status, r.raw)
	}
	ts.clock.Advance(29 * 24 * time.Hour) // 29 days after the last token: still known
	if r := token(); r.status != 201 {
		t.Fatalf("token 29 days after the last: %d %s", r.status, r.raw)
	}
	ts.clock.Advance(30 * 24 * time.Hour)
	if r := token(); r.status != 401 || r.str("error") != "invalid_client" {
		t.Fatalf("token 30 days after the last: %d %s", r.status, r.raw)
	}
	ts.sweep()
	_ = ts.store.View(func(tx Tx) error {
		if _, err := tx.Client(reg.str("client_id")); err == nil {
			t.Error("the sweep left the expired client in the store")
		}
		return nil
	})
}

// TestUserAgentCleaned: the User-Agent is sent without asking, so what no member's
// list may show (C1 controls such as CSI and OSC, bidi overrides) is dropped from it
// rather than the join refused.
func TestUserAgentCleaned(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	d := device{key: deviceKey("ua"), access: ts.accessToken(t)}
	r := ts.join(t, "demo", d, "X-SSO-ID", "alice", "User-Agent", "Tizen\u009b2J TV\u009d0;x\u202e")
	if r.status != 201 {
		t.Fatalf("join: %d %s", r.status, r.raw)
	}
	list := ts.do(t, "GET", "/api/demo/list", d.headers("AD-Service-Token", r.body["serviceToken"].(string)), "")
	if strings.ContainsAny(string(list.raw), "\u009b\u009d\u202e") || !strings.Contains(string(list.raw), "Tizen2J TV0;x") {
		t.Fatalf("list: %s", list.raw)
	}
}
