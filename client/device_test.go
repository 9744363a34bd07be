package client

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/keystore"
)

func TestDeviceRecordRoundTrip(t *testing.T) {
	f := newFakeSSO(t)
	store := keystore.NewMemory()
	cfg := DeviceConfig{Name: "tv", Server: f.URL + "/", Role: assets.RoleSecondary, Preset: "roku", Store: store}
	d, err := OpenDevice(cfg)
	if err != nil {
		t.Fatal(err)
	}
	key := d.State().Key
	raw, err := base64.StdEncoding.DecodeString(key)
	if err != nil || len(raw) != sha256.Size {
		t.Fatalf("key %q is not Base64 of a SHA-256", key)
	}
	st, err := d.SignIn(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	accounts, _ := store.Accounts()
	wantAccount := keystore.Account("tv", strings.TrimPrefix(f.URL, "http://"), "demo")
	if len(accounts) != 1 || accounts[0] != wantAccount {
		t.Fatalf("accounts = %v, want [%s]", accounts, wantAccount)
	}
	data, _ := store.Get(wantAccount)
	if len(data) >= 2048 {
		t.Errorf("record is %d bytes, want < 2 KB", len(data))
	}

	cfg.Preset = "iphone" // ignored: the stored device keeps its preset
	again, err := OpenDevice(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s := again.State()
	if s.Key != key || s.Preset.Name != "roku" || !s.SignedIn || s.JoinedVia != "regular" || s.Claims.Subject != "alice" || s.StoreKind != "memory" {
		t.Errorf("reopened state = %+v", s)
	}
	if s.NotAfter.UnixMilli() != int64(st.NotAfter) {
		t.Errorf("NotAfter = %v, want %v", s.NotAfter, st.NotAfter.Time())
	}
	if tok, _ := again.serviceToken(); tok != st.Token {
		t.Error("reopened device holds another service token")
	}
	// State holds no secret.
	b, _ := json.Marshal(s)
	reg, _ := again.LoadRegistration()
	for _, secret := range []string{st.Token, reg.ClientSecret, reg.AccessToken} {
		if strings.Contains(string(b), secret) {
			t.Errorf("State holds a secret: %s", b)
		}
	}

	if err := again.Forget(); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Get(wantAccount); !errors.Is(err, keystore.ErrNotFound) {
		t.Errorf("record still there after Forget: %v", err)
	}
	fresh, _ := OpenDevice(cfg)
	if fresh.State().Key == key || fresh.State().Preset.Name != "iphone" {
		t.Errorf("after Forget a new device should get a new key and the asked preset: %+v", fresh.State())
	}
}

func TestOpenDeviceBadInput(t *testing.T) {
	for name, cfg := range map[string]DeviceConfig{
		"name":   {Name: "a/b", Server: "http://127.0.0.1:1"},
		"server": {Name: "tv", Server: "localhost"},
		"sp":     {Name: "tv", Server: "http://127.0.0.1:1", SP: "a b"},
		"preset": {Name: "tv", Server: "http://127.0.0.1:1", Preset: "toaster"},
	} {
		if _, err := OpenDevice(cfg); !IsBadInput(err) {
			t.Errorf("%s: err = %v, want bad input", name, err)
		}
	}
	store := keystore.NewMemory()
	_ = store.Set(keystore.Account("tv", "127.0.0.1:1", "demo"), []byte("{not json"))
	_, err := OpenDevice(DeviceConfig{Name: "tv", Server: "http://127.0.0.1:1", Store: store})
	if !IsBadInput(err) || !strings.Contains(Explain(err), "forget") {
		t.Errorf("corrupt record: %v", err)
	}
}

func TestDefaultPresetsAndDeviceInfo(t *testing.T) {
	tv, err := OpenDevice(DeviceConfig{Name: "tv", Server: "http://127.0.0.1:1", Role: assets.RoleSecondary})
	if err != nil {
		t.Fatal(err)
	}
	if tv.State().Preset.Name != assets.DefaultPreset(assets.RoleSecondary).Name {
		t.Errorf("tv preset = %s", tv.State().Preset.Name)
	}
	raw, err := base64.StdEncoding.DecodeString(tv.Headers().Info)
	var info assets.DeviceInfo
	if err != nil || json.Unmarshal(raw, &info) != nil || info.PrimaryHardwareType != "TV" {
		t.Errorf("X-Device-Info = %q (%+v)", tv.Headers().Info, info)
	}
}

func TestStepsNeedAToken(t *testing.T) {
	f := newFakeSSO(t)
	d, _ := OpenDevice(DeviceConfig{Name: "tv", Server: f.URL})
	if _, err := d.Link(ctx); !errors.Is(err, ErrNotSignedIn) {
		t.Errorf("Link: %v", err)
	}
	if _, err := d.Refresh(ctx); !errors.Is(err, ErrNotSignedIn) {
		t.Errorf("Refresh: %v", err)
	}
	if err := d.EnsureFresh(ctx, time.Minute); err != nil {
		t.Errorf("EnsureFresh without a token: %v", err)
	}
	if _, err := d.Redeem(ctx, "12 3"); !IsBadInput(err) {
		t.Errorf("Redeem of a short code: %v", err)
	}
	if _, err := d.SignIn(ctx, "  "); !IsBadInput(err) {
		t.Errorf("SignIn without an id: %v", err)
	}
	if n := f.calls.Load() + f.registers.Load() + f.statements.Load(); n != 0 {
		t.Errorf("%d network calls for local refusals", n)
	}
}

func TestUnlinkedDevice(t *testing.T) {
	f := newFakeSSO(t)
	phone, _ := OpenDevice(DeviceConfig{Name: "phone", Server: f.URL})
	tv, _ := OpenDevice(DeviceConfig{Name: "tv", Server: f.URL, Role: assets.RoleSecondary})
	if _, err := phone.SignIn(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := tv.Redeem(ctx, "123-456"); err != nil {
		t.Fatal(err)
	}
	if _, err := tv.Redeem(ctx, "000000"); !IsCodeRejected(err) || !strings.Contains(Explain(err), "new one") {
		t.Errorf("wrong code: %v", err)
	}
	res, err := phone.Unlink(ctx, tv.State().Key)
	if err != nil || len(res.UnlinkedDevices) != 1 {
		t.Fatalf("unlink: %+v, %v", res, err)
	}
	_, err = tv.Devices(ctx)
	if !IsUnlinked(err) || !strings.Contains(Explain(err), "unlinked") {
		t.Fatalf("Devices after unlink: %v", err)
	}
	if s := tv.State(); !s.Unlinked || s.SignedIn {
		t.Errorf("state after unlink: %+v", s)
	}
	if _, err := tv.Refresh(ctx); !IsUnlinked(err) {
		t.Errorf("Refresh after unlink: %v", err)
	}
	if err := tv.EnsureFresh(ctx, time.Hour); err != nil {
		t.Errorf("EnsureFresh of an unlinked device: %v", err)
	}
	key := tv.State().Key
	if _, err := tv.Redeem(ctx, "123456"); err != nil {
		t.Fatal(err)
	}
	if s := tv.State(); s.Unlinked || !s.SignedIn || s.Key != key {
		t.Errorf("after joining again: %+v", s)
	}
	// A device unlinking itself knows it.
	if _, err := tv.Unlink(ctx, key); err != nil || !tv.State().Unlinked {
		t.Errorf("self-unlink: %v, %+v", err, tv.State())
	}
}

func TestEnsureFresh(t *testing.T) {
	f := newFakeSSO(t)
	now := time.Now()
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	d, _ := OpenDevice(DeviceConfig{Name: "phone", Server: f.URL, Now: clock})
	st, err := d.SignIn(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if err := d.EnsureFresh(ctx, 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	calls := f.calls.Load()
	if calls != 1 {
		t.Errorf("EnsureFresh refreshed a token that lives an hour: %d calls", calls)
	}
	mu.Lock()
	now = st.NotAfter.Time().Add(-time.Minute)
	mu.Unlock()
	if err := d.EnsureFresh(ctx, 5*time.Minute); err != nil {
		t.Fatal(err)
	}
	if f.calls.Load() != 2 {
		t.Errorf("EnsureFresh did not refresh a token within the margin")
	}
}

func TestDeviceConcurrentSteps(t *testing.T) {
	f := newFakeSSO(t)
	d, _ := OpenDevice(DeviceConfig{Name: "phone", Server: f.URL})
	if _, err := d.SignIn(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := d.Refresh(ctx); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() {
			if _, err := d.Devices(ctx); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() { _ = d.State() })
	}
	wg.Wait()
	if !d.State().SignedIn {
		t.Error("lost the service token")
	}
}
