package integration

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/keystore"
)

// TestFlow is the seed's flow end to end, with the client's Device on both sides:
// phone signs in → makes a link code → the TV redeems it → both list the profile's two
// devices → the phone unlinks the TV → the TV is refused as unlinked.
func TestFlow(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			ctx := context.Background()
			url := startSandbox(t, driver, nil)
			store := keystore.NewMemory()
			var mu sync.Mutex
			var exchanges []client.Exchange
			trace := func(x client.Exchange) { mu.Lock(); exchanges = append(exchanges, x); mu.Unlock() }
			phone := openDevice(t, client.DeviceConfig{Name: "phone", Server: url, Store: store, Trace: trace})
			tv := openDevice(t, client.DeviceConfig{Name: "tv", Server: url, Store: store, Role: assets.RoleSecondary, Trace: trace})

			st, err := phone.SignIn(ctx, "alice@example.com")
			if err != nil {
				t.Fatalf("phone sign-in: %s", client.Explain(err))
			}
			lc, err := phone.Link(ctx)
			if err != nil {
				t.Fatalf("phone link: %s", client.Explain(err))
			}
			if len(lc.Code) != 6 || lc.NotAfter.Time().Before(time.Now()) {
				t.Fatalf("link code = %+v", lc)
			}
			typed := lc.Code[:3] + " " + lc.Code[3:] // as a person types it
			tvst, err := tv.Redeem(ctx, typed)
			if err != nil {
				t.Fatalf("tv redeem: %s", client.Explain(err))
			}
			if _, err := tv.Redeem(ctx, lc.Code); !client.IsCodeRejected(err) {
				t.Errorf("a spent code redeemed again: %v", err)
			}
			pc, _ := client.DecodeClaims(st.Token)
			tc, _ := client.DecodeClaims(tvst.Token)
			if pc.Subject == "" || pc.Subject != tc.Subject {
				t.Errorf("phone and tv are in different profiles: %q vs %q", pc.Subject, tc.Subject)
			}

			phoneKey, tvKey := phone.State().Key, tv.State().Key
			for name, d := range map[string]*client.Device{"phone": phone, "tv": tv} {
				list, err := d.Devices(ctx)
				if err != nil {
					t.Fatalf("%s list: %s", name, client.Explain(err))
				}
				if len(list.Devices) != 2 || list.Devices[phoneKey].Type != "regular" || list.Devices[tvKey].Type != "sso" {
					t.Errorf("%s list = %+v", name, list.Devices)
				}
				if e := list.Devices[tvKey]; e.DeviceType != "smartTV" || e.Manufacturer != "Samsung" || e.LastSeen == 0 {
					t.Errorf("tv entry = %+v", e)
				}
			}

			res, err := phone.Unlink(ctx, tvKey, "not-a-key-of-this-profile")
			if err != nil {
				t.Fatalf("unlink: %s", client.Explain(err))
			}
			if len(res.UnlinkedDevices) != 1 || res.UnlinkedDevices[0] != tvKey {
				t.Errorf("unlinked = %v, want [tv]", res.UnlinkedDevices)
			}
			if _, err := tv.Devices(ctx); !client.IsUnlinked(err) {
				t.Errorf("tv list after unlink: %v", err)
			}
			if _, err := tv.Refresh(ctx); !client.IsUnlinked(err) || !strings.Contains(client.Explain(err), "unlinked") {
				t.Errorf("tv refresh after unlink: %v", err)
			}
			if s := tv.State(); !s.Unlinked || s.SignedIn || s.Key != tvKey {
				t.Errorf("tv state after unlink = %+v", s)
			}
			if list, err := phone.Devices(ctx); err != nil || len(list.Devices) != 1 {
				t.Errorf("phone list after unlink = %+v, %v", list, err)
			}

			// The unlinked TV keeps its key and joins again with a new code.
			lc, err = phone.Link(ctx)
			if err != nil {
				t.Fatal(client.Explain(err))
			}
			if _, err := tv.Redeem(ctx, lc.Code); err != nil {
				t.Fatalf("tv joins again: %s", client.Explain(err))
			}
			if s := tv.State(); s.Unlinked || !s.SignedIn || s.Key != tvKey {
				t.Errorf("tv state after joining again = %+v", s)
			}

			checkRecords(t, store)
			checkExchanges(t, exchanges, store)
		})
	}
}

// checkRecords: every device record is small enough for any OS keyring.
func checkRecords(t *testing.T, store keystore.Store) {
	t.Helper()
	accounts, _ := store.Accounts()
	if len(accounts) != 2 {
		t.Errorf("accounts = %v", accounts)
	}
	for _, a := range accounts {
		rec, _ := store.Get(a)
		if len(rec) >= 2048 {
			t.Errorf("record of %s is %d bytes, want < 2 KB", a, len(rec))
		}
	}
}

// checkExchanges: every exchange with the real sandbox names its device, and none
// holds a secret the devices keep.
func checkExchanges(t *testing.T, xs []client.Exchange, store keystore.Store) {
	t.Helper()
	var secrets []string
	accounts, _ := store.Accounts()
	for _, a := range accounts {
		raw, _ := store.Get(a)
		var rec map[string]any
		if err := json.Unmarshal(raw, &rec); err != nil {
			t.Fatal(err)
		}
		reg, _ := rec["reg"].(map[string]any)
		for _, s := range []any{rec["st"], reg["clientSecret"], reg["accessToken"]} {
			if s, ok := s.(string); ok && s != "" {
				secrets = append(secrets, s)
			}
		}
	}
	if len(secrets) < 6 {
		t.Fatalf("found only %d secrets in the records", len(secrets))
	}
	for _, x := range xs {
		if x.Device != "phone" && x.Device != "tv" {
			t.Errorf("exchange %s %s names device %q", x.Method, x.URL, x.Device)
		}
		b, _ := json.Marshal(x)
		text := string(b) + string(x.RequestBody) + string(x.ResponseBody)
		for _, s := range secrets {
			if strings.Contains(text, s) {
				t.Errorf("exchange %s %s holds a secret", x.Method, x.URL)
			}
		}
	}
}

// TestRefreshBeforeExpiry moves one clock for the sandbox and the device: the token is
// refreshed when it nears expiry, still within the grace after expiry, and refused
// beyond it.
func TestRefreshBeforeExpiry(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			ctx := context.Background()
			clk := newClock()
			url := startSandbox(t, driver, clk.Now)
			var mu sync.Mutex
			refreshes := 0
			trace := func(x client.Exchange) {
				if x.Method == "GET" && strings.HasSuffix(x.URL, "/serviceToken") {
					mu.Lock()
					refreshes++
					mu.Unlock()
				}
			}
			count := func() int { mu.Lock(); defer mu.Unlock(); return refreshes }
			phone := openDevice(t, client.DeviceConfig{Name: "phone", Server: url, Now: clk.Now, Trace: trace})
			st, err := phone.SignIn(ctx, "bob")
			if err != nil {
				t.Fatal(client.Explain(err))
			}
			if err := phone.EnsureFresh(ctx, 5*time.Minute); err != nil || count() != 0 {
				t.Fatalf("fresh token refreshed: %v, %d refreshes", err, count())
			}

			clk.Set(st.NotAfter.Time().Add(-time.Minute))
			if err := phone.EnsureFresh(ctx, 5*time.Minute); err != nil {
				t.Fatalf("refresh near expiry: %s", client.Explain(err))
			}
			s := phone.State()
			if count() != 1 || !s.NotAfter.After(st.NotAfter.Time()) || s.Claims.Subject != "bob" {
				t.Fatalf("after refresh: %d refreshes, state %+v", count(), s)
			}

			clk.Set(s.NotAfter.Add(time.Hour)) // expired, within the 24 h grace
			if err := phone.EnsureFresh(ctx, 5*time.Minute); err != nil {
				t.Fatalf("refresh within the grace: %s", client.Explain(err))
			}
			s = phone.State()
			if count() != 2 || !s.SignedIn {
				t.Fatalf("within the grace: %d refreshes, state %+v", count(), s)
			}

			clk.Set(s.NotAfter.Add(25 * time.Hour)) // beyond the grace
			err = phone.EnsureFresh(ctx, 5*time.Minute)
			if !client.IsRefused(err) || !strings.Contains(client.Explain(err), "sign in again") {
				t.Fatalf("beyond the grace: %v", err)
			}
			if phone.State().SignedIn {
				t.Error("device still signed in with a dead token")
			}
		})
	}
}
