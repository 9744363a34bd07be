package sandbox

import (
	"fmt"
	"testing"
	"time"
)

// TestListOfALargeProfileFollowsEveryChange: the answer a large profile's list keeps
// is given only while nothing changed. After each change (a join, a device seen a
// minute later, a rejoin with other attributes, an unlink, the caller itself seen),
// the answer is byte for byte a fresh encoding of what the store then holds.
func TestListOfALargeProfileFollowsEveryChange(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			ts := startServer(t, driver, "", Config{MaxDevicesPerProfile: 100, ServiceTokenTTL: time.Hour})
			access := ts.accessToken(t)
			devs := make([]device, minKeptDevices+2)
			tokens := make([]string, len(devs))
			for i := range devs {
				devs[i] = device{key: deviceKey(fmt.Sprintf("crowd-%d", i)), access: access}
				tokens[i] = ts.serviceToken(t, devs[i], "crowd")
			}
			lister := devs[0].headers("AD-Service-Token", tokens[0])
			profileID := ts.profileOf(t, devs[0].key)
			list := func(step string) {
				t.Helper()
				r := ts.do(t, "GET", "/api/demo/list", lister, "")
				if r.status != 200 {
					t.Fatalf("%s: list %d %s", step, r.status, r.raw)
				}
				if want := ts.freshList(t, profileID, devs[0].key); string(r.raw) != want {
					t.Fatalf("%s: the list answered\n%s\nthe store holds\n%s", step, r.raw, want)
				}
			}

			list("first")
			if _, ok := ts.lists.m[profileID]; !ok {
				t.Fatal("the answer of a large profile was not kept")
			}
			list("again, unchanged")

			extra := device{key: deviceKey("late"), access: access}
			ts.serviceToken(t, extra, "crowd")
			list("after a join")

			ts.clock.Advance(2 * time.Minute) // the caller is stale now: its own lastSeen moves
			list("the caller seen again")
			if r := ts.do(t, "GET", "/api/demo/serviceToken", devs[1].headers("AD-Service-Token", tokens[1]), ""); r.status != 200 {
				t.Fatalf("refresh %d %s", r.status, r.raw)
			}
			list("after another device was seen")

			rejoin := devs[2].headers("X-SSO-ID", "crowd", "X-Device-Info", deviceInfo(map[string]string{"model": "Rejoined TV"}))
			if r := ts.do(t, "POST", "/api/demo/serviceToken", rejoin, ""); r.status != 201 {
				t.Fatalf("rejoin %d %s", r.status, r.raw)
			}
			list("after a rejoin")

			unlink := devs[0].headers("AD-Service-Token", tokens[0], "Content-Type", "application/json")
			if r := ts.do(t, "POST", "/api/demo/unlink", unlink, jsonBody(map[string]any{"devices": []string{devs[3].key}})); r.status != 200 {
				t.Fatalf("unlink %d %s", r.status, r.raw)
			}
			list("after an unlink")

			var gone []string
			for _, d := range devs[4 : len(devs)-minKeptDevices+5] {
				gone = append(gone, d.key)
			}
			if r := ts.do(t, "POST", "/api/demo/unlink", unlink, jsonBody(map[string]any{"devices": gone})); r.status != 200 {
				t.Fatalf("unlink %d %s", r.status, r.raw)
			}
			list("shrunk below the size kept")
			if _, ok := ts.lists.kept(profileID); ok {
				t.Error("a profile that shrank below minKeptDevices kept its answer")
			}
		})
	}
}

// profileOf is the profile the device key belongs to (it must be in one).
func (ts *testServer) profileOf(t *testing.T, key string) string {
	t.Helper()
	var id string
	must(t, ts.store.View(func(tx Tx) error {
		ds, err := tx.DevicesByKey(key)
		if err == nil && len(ds) != 1 {
			err = fmt.Errorf("%d memberships", len(ds))
		}
		if err == nil {
			id = ds[0].ProfileID
		}
		return err
	}))
	return id
}

// freshList encodes the profile's list from what the store holds now, for the caller.
func (ts *testServer) freshList(t *testing.T, profileID, callerKey string) string {
	t.Helper()
	var body []byte
	must(t, ts.store.View(func(tx Tx) error {
		ds, err := tx.Devices(profileID)
		if err != nil {
			return err
		}
		me, err := tx.Device(profileID, callerKey)
		body = appendListBody(nil, ds, me)
		return err
	}))
	return string(body)
}

// TestListCacheStaysWithinItsBudget: answers past maxKeptBytes push others out, and
// the total never passes it.
func TestListCacheStaysWithinItsBudget(t *testing.T) {
	var c listCache
	body := make([]byte, maxKeptBytes/4+1)
	for i := range 10 {
		c.keep(fmt.Sprint(i), uint64(i+1), body)
		if c.bytes > maxKeptBytes || len(c.m) > 3 {
			t.Fatalf("after %d answers: %d bytes in %d", i+1, c.bytes, len(c.m))
		}
	}
	if k, ok := c.kept("9"); !ok || k.version != 10 {
		t.Error("the answer kept last is gone")
	}
	c.keep("9", 0, body)
	if k, _ := c.kept("9"); k.version == 0 {
		t.Error("an answer was kept under the unknown version")
	}
	c.drop("9")
	if _, has := c.kept("9"); has || c.bytes != len(c.m)*len(body) {
		t.Errorf("after drop: has %v, %d bytes for %d answers", has, c.bytes, len(c.m))
	}
}

// TestListOnRedisFollowsAnotherInstance: two servers on one Redis; one keeps a large
// profile's answer, the other adds a device to it, and the first lists it at once.
func TestListOnRedisFollowsAnotherInstance(t *testing.T) {
	servers := startOnSharedRedis(t, 2, Config{MaxDevicesPerProfile: 100})
	a, b := servers[0], servers[1]
	access := a.accessToken(t)
	var lister map[string]string
	var key string
	for i := range minKeptDevices + 1 {
		d := device{key: deviceKey(fmt.Sprintf("redis-crowd-%d", i)), access: access}
		tok := a.serviceToken(t, d, "crowd")
		if i == 0 {
			lister, key = d.headers("AD-Service-Token", tok), d.key
		}
	}
	profileID := a.profileOf(t, key)
	for step, join := range []func(){nil, func() { b.serviceToken(t, device{key: deviceKey("joined-on-b"), access: access}, "crowd") }} {
		if join != nil {
			join()
		}
		got := a.do(t, "GET", "/api/demo/list", lister, "")
		if want := a.freshList(t, profileID, key); got.status != 200 || string(got.raw) != want {
			t.Fatalf("list %d on the first instance: %d\n%s\nRedis holds\n%s", step, got.status, got.raw, want)
		}
		if _, ok := a.lists.kept(profileID); !ok {
			t.Fatalf("list %d: the answer was not kept", step)
		}
	}
}
