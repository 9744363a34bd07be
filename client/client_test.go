package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/keystore"
)

var ctx = context.Background()

func TestSeedFieldNames(t *testing.T) {
	f := newFakeSSO(t)
	tok := fakeJWT(map[string]any{"iss": "ssoservicetoken", "sub": "alice", "nbf": 100, "iat": 100, "exp": 3700})
	f.endpoint = func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/demo/serviceToken":
			writeJSON(w, 201, map[string]any{"status": "CREATED", "jws": tok})
		case "/api/demo/link":
			writeJSON(w, 201, map[string]any{"status": "CREATED", "link": "654321", "notAfter": 5000})
		}
	}
	c, _ := New(f.URL, Options{})
	st, err := c.CreateServiceToken(ctx, "demo", DeviceHeaders{Key: "k"}, Identity{SSOID: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	// The times missing from the body come from the token's claims.
	if st.Token != tok || st.NotAfter != 3700*1000 || st.NotBefore != 100*1000 {
		t.Errorf("service token from jws = %+v", st)
	}
	lc, err := c.CreateLinkCode(ctx, "demo", DeviceHeaders{Key: "k"}, tok)
	if err != nil || lc.Code != "654321" || lc.NotAfter != 5000 {
		t.Errorf("link code from link = %+v, %v", lc, err)
	}
}

func TestMissingFieldsAreProtocolErrors(t *testing.T) {
	f := newFakeSSO(t)
	f.endpoint = func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 201, map[string]any{"status": "CREATED"}) }
	c, _ := New(f.URL, Options{})
	_, err := c.CreateServiceToken(ctx, "demo", DeviceHeaders{Key: "k"}, Identity{SSOID: "alice"})
	var pe *ProtocolError
	if !errors.As(err, &pe) {
		t.Errorf("service token without a token: %v", err)
	}
	if _, err = c.CreateLinkCode(ctx, "demo", DeviceHeaders{Key: "k"}, "t"); !errors.As(err, &pe) {
		t.Errorf("link without a code: %v", err)
	}
}

func TestRequestHeaders(t *testing.T) {
	f := newFakeSSO(t)
	var got http.Header
	f.endpoint = func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		writeJSON(w, 200, map[string]any{"devices": map[string]any{}})
	}
	c, _ := New(f.URL, Options{})
	list, err := c.ListDevices(ctx, "demo", DeviceHeaders{Key: "a2V5", Info: "e30=", UserAgent: "TV/1"}, "st")
	if err != nil || list.Devices == nil {
		t.Fatalf("list: %+v, %v", list, err)
	}
	want := map[string]string{"Accept": "application/json", "Ap-Device-Identifier": "fingerprint a2V5", "X-Device-Info": "e30=", "User-Agent": "TV/1", "Ad-Service-Token": "st"}
	for k, v := range want {
		if got.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, got.Get(k), v)
		}
	}
	if !strings.HasPrefix(got.Get("Authorization"), "Bearer access-") {
		t.Errorf("Authorization = %q", got.Get("Authorization"))
	}
}

func TestLocalInputChecks(t *testing.T) {
	f := newFakeSSO(t)
	c, _ := New(f.URL, Options{})
	dev := DeviceHeaders{Key: "k"}
	for name, err := range map[string]error{
		"bad sp": func() error { _, err := c.ListDevices(ctx, "no/slash", dev, "t"); return err }(),
		"two identites": func() error {
			_, err := c.CreateServiceToken(ctx, "demo", dev, Identity{SSOID: "a", LinkCode: "123456"})
			return err
		}(),
		"no identity": func() error { _, err := c.CreateServiceToken(ctx, "demo", dev, Identity{}); return err }(),
		"no keys":     func() error { _, err := c.UnlinkDevices(ctx, "demo", dev, "t", nil); return err }(),
	} {
		if !IsBadInput(err) {
			t.Errorf("%s: err = %v, want bad input", name, err)
		}
	}
	if n := f.calls.Load() + f.registers.Load(); n != 0 {
		t.Errorf("bad input made %d network calls", n)
	}
}

// TestAccessTokenRenewedOnce: a server that refuses every access token gets exactly
// one renewal per call, then the refusal comes back as the error.
func TestAccessTokenRenewedOnce(t *testing.T) {
	f := newFakeSSO(t)
	f.endpoint = func(w http.ResponseWriter, r *http.Request) {
		ssoError(w, 401, "unauthorized", "access token refused", "get_new_token")
	}
	c, _ := New(f.URL, Options{})
	_, err := c.CreateServiceToken(ctx, "demo", DeviceHeaders{Key: "k"}, Identity{SSOID: "alice"})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != "unauthorized" || IsUnlinked(err) {
		t.Fatalf("err = %v", err)
	}
	if r, tk, calls := f.registers.Load(), f.tokens.Load(), f.calls.Load(); r != 1 || tk != 1 || calls != 1 {
		// The first token was fresh: a refusal of a fresh token is not renewed.
		t.Errorf("registers=%d tokens=%d calls=%d, want 1 1 1", r, tk, calls)
	}
	_, err = c.CreateServiceToken(ctx, "demo", DeviceHeaders{Key: "k"}, Identity{SSOID: "alice"})
	if err == nil {
		t.Fatal("want the refusal again")
	}
	if r, tk, calls := f.registers.Load(), f.tokens.Load(), f.calls.Load(); r != 1 || tk != 2 || calls != 3 {
		t.Errorf("second call: registers=%d tokens=%d calls=%d, want 1 2 3 (one renewal, one retry)", r, tk, calls)
	}
}

// TestAccessTokenRenewedWhenExpired uses the injected clock: no refusal is needed.
func TestAccessTokenRenewedWhenExpired(t *testing.T) {
	f := newFakeSSO(t)
	now := time.Now()
	c, _ := New(f.URL, Options{Now: func() time.Time { return now }})
	call := func() {
		if _, err := c.CreateServiceToken(ctx, "demo", DeviceHeaders{Key: "k"}, Identity{SSOID: "alice"}); err != nil {
			t.Fatal(err)
		}
	}
	call()
	call()
	if tk := f.tokens.Load(); tk != 1 {
		t.Fatalf("tokens = %d before expiry, want 1", tk)
	}
	now = now.Add(time.Hour)
	call()
	if tk, r := f.tokens.Load(), f.registers.Load(); tk != 2 || r != 1 {
		t.Errorf("after expiry tokens=%d registers=%d, want 2 1", tk, r)
	}
}

// TestReRegisterOnInvalidClient: a server that forgot the application (restarted in
// memory) gets one new registration.
func TestReRegisterOnInvalidClient(t *testing.T) {
	f := newFakeSSO(t)
	cache := &memoryCache{}
	_ = cache.SaveRegistration(Registration{ClientID: "forgotten", ClientSecret: "s", AccessToken: "old", AccessTokenExpiry: time.Now().Add(time.Hour)})
	c, _ := New(f.URL, Options{Cache: cache})
	if _, err := c.CreateServiceToken(ctx, "demo", DeviceHeaders{Key: "k"}, Identity{SSOID: "alice"}); err != nil {
		t.Fatal(err)
	}
	if r, tk, calls := f.registers.Load(), f.tokens.Load(), f.calls.Load(); r != 1 || tk != 2 || calls != 2 {
		t.Errorf("registers=%d tokens=%d calls=%d, want 1 2 2", r, tk, calls)
	}
	reg, _ := cache.LoadRegistration()
	if reg.ClientID != "client-1" || !strings.HasPrefix(reg.AccessToken, "access-") {
		t.Errorf("cache holds %+v", reg)
	}
}

// TestRegistrationOncePerServer: a device registers once, and a device reopened from
// its store reuses the registration and the access token.
func TestRegistrationOncePerServer(t *testing.T) {
	f := newFakeSSO(t)
	store := keystore.NewMemory()
	open := func() *Device {
		d, err := OpenDevice(DeviceConfig{Name: "phone", Server: f.URL, Store: store})
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	d := open()
	if _, err := d.SignIn(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Devices(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := open().Link(ctx); err != nil {
		t.Fatal(err)
	}
	if s, r, tk := f.statements.Load(), f.registers.Load(), f.tokens.Load(); s != 1 || r != 1 || tk != 1 {
		t.Errorf("statements=%d registers=%d tokens=%d, want 1 each", s, r, tk)
	}
}

// TestConcurrentCallsRegisterOnce: calls that start together share one registration.
func TestConcurrentCallsRegisterOnce(t *testing.T) {
	f := newFakeSSO(t)
	c, _ := New(f.URL, Options{})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			if _, err := c.ListDevices(ctx, "demo", DeviceHeaders{Key: "k"}, fakeJWT(map[string]any{"sub": "a"})); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if r, tk := f.registers.Load(), f.tokens.Load(); r != 1 || tk != 1 {
		t.Errorf("registers=%d tokens=%d, want 1 1", r, tk)
	}
}
