package tui

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
)

// fixedNow is the clock of the golden views.
var fixedNow = time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)

// fakeDevice answers the steps from memory with fixed keys and times, for views that
// must not change from run to run. The commands' real behaviour is tested against the
// sandbox in commands_test.go.
type fakeDevice struct {
	mu    sync.Mutex
	st    client.DeviceState
	list  *client.DeviceList
	code  string
	err   error // returned by the next step, then cleared
	calls []string
	// providers is the profile's TV provider sign-ins, shared by the fakes of a test.
	providers *fakeProviders
}

type fakeProviders struct {
	mu        sync.Mutex
	profiles  map[string]client.MVPDProfile
	activated map[string]*client.CodeSignIn // TV codes a second screen signed in with
	public    client.PublicServer           // what PublicServer answers; zero: loopback
}

func newFake(name string, role assets.Role, key string) *fakeDevice {
	p := assets.DefaultPreset(role)
	return &fakeDevice{st: client.DeviceState{
		Name: name, Account: name + "@127.0.0.1:8765/demo", StoreKind: "memory", Key: key,
		Preset: p, Server: "http://127.0.0.1:8765", SP: "demo",
	}, code: "482913"}
}

func (f *fakeDevice) State() client.DeviceState {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.st
}

func (f *fakeDevice) step(name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, name)
	err := f.err
	f.err = nil
	return err
}

// wantCall fails the test, saying what went wrong, unless the device was asked call.
func (f *fakeDevice) wantCall(t testing.TB, call, what string) {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if !slices.Contains(f.calls, call) {
		t.Fatalf("%s; calls %v", what, f.calls)
	}
}

// count is how many times the device was asked call.
func (f *fakeDevice) count(call string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.calls {
		if c == call {
			n++
		}
	}
	return n
}

func (f *fakeDevice) signIn(sub, via string) *client.ServiceToken {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.st.SignedIn, f.st.Unlinked = true, false
	f.st.JoinedVia = via
	f.st.Claims = client.TokenClaims{Issuer: "ssoservicetoken", Subject: sub, IssuedAt: fixedNow.Unix() - 60, Expiry: fixedNow.Unix() + 3540, DeviceKey: f.st.Key}
	f.st.NotAfter = time.Unix(f.st.Claims.Expiry, 0)
	return &client.ServiceToken{Status: "CREATED", Token: "x.y.z", NotAfter: client.Millis(f.st.NotAfter.UnixMilli())}
}

func (f *fakeDevice) SignIn(_ context.Context, id string) (*client.ServiceToken, error) {
	if err := f.step("SignIn " + id); err != nil {
		return nil, err
	}
	return f.signIn(id, "regular"), nil
}

func (f *fakeDevice) Redeem(_ context.Context, code string) (*client.ServiceToken, error) {
	if err := f.step("Redeem " + code); err != nil {
		return nil, err
	}
	return f.signIn(DefaultIdentity, "sso"), nil
}

func (f *fakeDevice) Refresh(context.Context) (*client.ServiceToken, error) {
	return nil, f.step("Refresh")
}

func (f *fakeDevice) EnsureFresh(context.Context, time.Duration) error { return f.step("EnsureFresh") }

func (f *fakeDevice) Link(context.Context) (*client.LinkCode, error) {
	if err := f.step("Link"); err != nil {
		return nil, err
	}
	return &client.LinkCode{Status: "CREATED", Code: f.code,
		NotBefore: client.Millis(fixedNow.Add(-2 * time.Second).UnixMilli()),
		NotAfter:  client.Millis(fixedNow.Add(598 * time.Second).UnixMilli())}, nil
}

func (f *fakeDevice) Devices(context.Context) (*client.DeviceList, error) {
	if err := f.step("Devices"); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.list == nil {
		return &client.DeviceList{Devices: map[string]client.DeviceEntry{}}, nil
	}
	return f.list, nil
}

func (f *fakeDevice) Unlink(_ context.Context, keys ...string) (*client.UnlinkResult, error) {
	if err := f.step("Unlink"); err != nil {
		return nil, err
	}
	// As the client does: unlinking itself ends this device's membership.
	if slices.Contains(keys, f.st.Key) {
		f.mu.Lock()
		f.st.Unlinked, f.st.SignedIn = true, false
		f.mu.Unlock()
	}
	return &client.UnlinkResult{Status: "OK", UnlinkedDevices: keys}, nil
}

func (f *fakeDevice) MVPDSignIn(_ context.Context, mvpd, user string) (*client.MVPDLogin, error) {
	if err := f.step("MVPDSignIn " + mvpd + " " + user); err != nil {
		return nil, err
	}
	until := client.Millis(fixedNow.Add(30 * 24 * time.Hour).UnixMilli())
	f.providers.mu.Lock()
	defer f.providers.mu.Unlock()
	f.providers.profiles = map[string]client.MVPDProfile{mvpd: {NotAfter: until, Issuer: mvpd, Type: "regular",
		Attributes: map[string]client.ProfileAttribute{"userID": {Value: user, State: "plain"}}}}
	return &client.MVPDLogin{Status: "OK", MVPD: mvpd, UserID: user, NotAfter: until}, nil
}

// Profiles answers as the service does: the device that signed in holds the sign-in
// as "regular", the others of the profile as "serviceTokenSSO".
func (f *fakeDevice) Profiles(context.Context) (*client.Profiles, error) {
	if err := f.step("Profiles"); err != nil {
		return nil, err
	}
	f.providers.mu.Lock()
	defer f.providers.mu.Unlock()
	out := &client.Profiles{Profiles: map[string]client.MVPDProfile{}}
	for id, p := range f.providers.profiles {
		if f.st.Preset.Role == assets.RoleSecondary {
			p.Type = "serviceTokenSSO"
		}
		out.Profiles[id] = p
	}
	return out, nil
}

// SignOut ends the profile's TV provider sign-ins, for every fake that shares them.
func (f *fakeDevice) SignOut(context.Context) (*client.Logout, error) {
	if err := f.step("SignOut"); err != nil {
		return nil, err
	}
	f.providers.mu.Lock()
	defer f.providers.mu.Unlock()
	out := &client.Logout{Logouts: map[string]client.LogoutAction{}}
	for id := range f.providers.profiles {
		out.Logouts[id] = client.LogoutAction{ActionName: "logout", ActionType: "none", MVPD: id, ServiceProvider: "demo"}
	}
	f.providers.profiles = nil
	return out, nil
}

func (f *fakeDevice) RokuSignIn(_ context.Context, subscriber string) (*client.ServiceToken, error) {
	if err := f.step("RokuSignIn " + subscriber); err != nil {
		return nil, err
	}
	return f.signIn(subscriber, "platformSSO"), nil
}

func (f *fakeDevice) Authn(context.Context, bool) (*client.Authentication, error) {
	if err := f.step("Authn"); err != nil {
		return nil, err
	}
	f.providers.mu.Lock()
	defer f.providers.mu.Unlock()
	for id, p := range f.providers.profiles {
		return &client.Authentication{Requestor: "demo", MVPD: id, UserID: p.UserID(), Expires: p.NotAfter, Format: "json"}, nil
	}
	return nil, &client.APIError{HTTPStatus: 404, Code: "authn_not_found"}
}

// basicDevice hides a device's TV provider and platform steps, as a client without
// them would.
type basicDevice struct{ Device }

// twoDeviceList is the profile once the TV has joined.
func twoDeviceList() *client.DeviceList {
	return &client.DeviceList{Devices: map[string]client.DeviceEntry{
		"cGhvbmUta2V5": {DeviceType: "MobilePhone", Model: "iPhone17,3", OS: "iOS", OSVersion: "18.1", Manufacturer: "Apple",
			LastSeen: client.Millis(fixedNow.Add(-5 * time.Second).UnixMilli()), Type: "regular"},
		"dHYta2V5": {DeviceType: "TV", Model: "QN65S95D", OS: "Tizen", OSVersion: "8.0", Manufacturer: "Samsung",
			LastSeen: client.Millis(fixedNow.Add(-2 * time.Minute).UnixMilli()), Type: "sso"},
	}}
}
