package tui

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/keystore"
	"github.com/handoff-sso/handoff/sandbox"
)

// sandboxed is the interface on real client devices against a real sandbox on a
// loopback socket: the commands of Update run for real.
type sandboxed struct {
	testModel
	store keystore.Store
	base  string
	mu    sync.Mutex
	seen  []client.Exchange
}

func newSandboxed(t *testing.T, cfg sandbox.Config) *sandboxed {
	t.Helper()
	cfg.Memory = true
	srv, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	s := &sandboxed{store: keystore.NewMemory(), base: base}
	s.open(t)
	return s
}

// open builds the model on devices read from the store, as a restart would.
func (s *sandboxed) open(t *testing.T) {
	t.Helper()
	var specs []DeviceSpec
	for _, d := range []struct {
		label, name string
		role        assets.Role
	}{{"Phone", "phone", assets.RolePrimary}, {"TV", "tv", assets.RoleSecondary}} {
		dev, err := client.OpenDevice(client.DeviceConfig{Name: d.name, Server: s.base, SP: "demo", Role: d.role, Store: s.store,
			Trace: func(ex client.Exchange) { s.mu.Lock(); s.seen = append(s.seen, ex); s.mu.Unlock() }})
		if err != nil {
			t.Fatal(err)
		}
		specs = append(specs, DeviceSpec{Label: d.label, Device: dev})
	}
	s.Model = New(Options{Devices: specs, Server: s.base, Now: time.Now})
	s.Update(windowSize(160, 50))
}

var codeOnScreen = regexp.MustCompile(`code (\d{3}) (\d{3})`)

func TestFlowAgainstTheSandbox(t *testing.T) {
	s := newSandboxed(t, sandbox.Config{})
	s.press("enter")
	if !s.panes[0].signedIn() || s.panes[0].state.Claims.Subject != DefaultIdentity {
		t.Fatalf("phone did not sign in: %s", s.panes[0].status)
	}
	s.press("l")
	m := codeOnScreen.FindStringSubmatch(ansi.Strip(s.Render()))
	if m == nil {
		t.Fatalf("no code on the phone's screen:\n%s", ansi.Strip(s.Render()))
	}
	s.press("tab", "0", "0", "0", " ", "0", "0", "0", "enter")
	if !strings.Contains(s.panes[1].status, "The link code is wrong, expired or already used") {
		t.Fatalf("a wrong code should be explained, got %q", s.panes[1].status)
	}
	s.press("ctrl+u")
	for _, r := range m[1] + "-" + m[2] {
		s.press(string(r))
	}
	s.press("enter")
	if !s.panes[1].signedIn() || s.panes[1].state.Claims.Subject != DefaultIdentity {
		t.Fatalf("TV did not join the phone's profile: %s", s.panes[1].status)
	}
	run(s.Model, s.start(0, opList, "", nil), 0)
	for i, p := range s.panes {
		if len(p.table.devices) != 2 {
			t.Fatalf("device %d lists %d devices, want 2", i, len(p.table.devices))
		}
	}
	if !strings.Contains(s.panes[0].status, "The code was used: Samsung") || s.panes[0].card.showLink {
		t.Fatalf("the phone should notice the TV joined and put the code away: %q", s.panes[0].status)
	}
	s.press("tab")
	for s.panes[0].table.devices[s.panes[0].table.cursor].self {
		s.press("down")
	}
	s.press("u", "y")
	if len(s.panes[0].table.devices) != 1 {
		t.Fatalf("after unlinking the phone lists %d devices", len(s.panes[0].table.devices))
	}
	run(s.Model, s.start(1, opList, "", nil), 0)
	if !s.panes[1].unlinked() || !strings.Contains(ansi.Strip(s.Render()), "This device was unlinked from the profile") {
		t.Fatalf("the TV should say it was unlinked:\n%s", ansi.Strip(s.Render()))
	}

	// The unlinked TV signs in again with a new code from the phone.
	s.press("l")
	m = codeOnScreen.FindStringSubmatch(ansi.Strip(s.Render()))
	if m == nil {
		t.Fatal("no new code on the phone")
	}
	s.press("tab", "s")
	send(s.Model, pasteMsg(m[1]+m[2]))
	s.press("enter")
	if !s.panes[1].signedIn() || s.panes[1].unlinked() {
		t.Fatalf("the TV should join again after it was unlinked: %q", s.panes[1].status)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.seen) == 0 {
		t.Fatal("the trace hook saw no exchange")
	}
	for _, ex := range s.seen {
		for _, secret := range []string{m[1] + m[2]} {
			if strings.Contains(ex.URL, secret) || strings.Contains(string(ex.RequestBody), secret) || strings.Contains(strings.Join(ex.RequestHeader.Values("X-Sso-Link"), ""), secret) {
				t.Fatalf("the link code reached the trace: %s %s", ex.Method, ex.URL)
			}
		}
	}
}

func TestTooManyWrongCodesSaysHowLongToWait(t *testing.T) {
	s := newSandboxed(t, sandbox.Config{LinkFailureLimit: 2, LinkFailureWindow: time.Minute})
	s.press("tab")
	for range 3 {
		s.press("ctrl+u", "1", "1", "1", "1", "1", "1", "enter")
	}
	if st := s.panes[1].status; !strings.Contains(st, "Too many wrong link codes") || !strings.Contains(st, "wait ") {
		t.Fatalf("too many tries not explained with the wait: %q", st)
	}
}

func TestDevicesResumeAfterRestart(t *testing.T) {
	s := newSandboxed(t, sandbox.Config{})
	s.press("enter")
	s.open(t)
	if !s.panes[0].signedIn() {
		t.Fatal("the phone should resume signed in from its store")
	}
	run(s.Model, s.Init(), 0)
	if !s.panes[0].table.listed || len(s.panes[0].table.devices) != 1 {
		t.Fatalf("on start the phone should check its token and list its devices: %q", s.panes[0].status)
	}
}

func TestTVProviderAgainstTheSandbox(t *testing.T) {
	s := newSandboxed(t, sandbox.Config{})
	s.press("enter", "enter")
	if !(s.panes[0].mode() == modePickProvider) {
		t.Fatalf("after signing in, enter should offer the TV providers: %q", s.panes[0].status)
	}
	s.press("enter", "enter")
	if _, prof, ok := s.panes[0].provider(); !ok || prof.UserID() != DefaultProviderUser {
		t.Fatalf("the phone should hold the TV provider sign-in: %q / %q", s.panes[0].status, s.panes[0].providerNote)
	}
	s.press("l")
	m := codeOnScreen.FindStringSubmatch(ansi.Strip(s.Render()))
	if m == nil {
		t.Fatal("no code on the phone")
	}
	s.press("tab")
	send(s.Model, pasteMsg(m[1]+m[2]))
	s.press("enter")
	id, prof, ok := s.panes[1].provider()
	if !ok || id != assets.MVPDs()[0].ID || prof.Type != "serviceTokenSSO" {
		t.Fatalf("the TV should get the phone's TV provider through the link: %+v %q", prof, s.panes[1].providerNote)
	}
	if a := s.panes[1].authn; a == nil || a.UserID != DefaultProviderUser || a.MVPD != id {
		t.Fatalf("the TV should read the same sign-in through v1 authn: %+v %q", a, s.panes[1].authnNote)
	}
	s.press("tab", "o")
	if _, _, has := s.panes[0].provider(); has {
		t.Fatalf("o should sign the profile out of its TV provider: %q", s.panes[0].status)
	}
	s.press("tab", "d")
	if _, _, has := s.panes[1].provider(); has || s.panes[1].authn != nil || s.panes[1].authnNote != "none for this device (HTTP 404)" {
		t.Fatalf("the TV, reading again, should find no TV provider: %q / %+v %q", s.panes[1].providerNote, s.panes[1].authn, s.panes[1].authnNote)
	}
}

func TestRokuAgainstTheSandbox(t *testing.T) {
	s := newSandboxed(t, sandbox.Config{})
	dev, err := client.OpenDevice(client.DeviceConfig{Name: "roku", Server: s.base, SP: "demo", Preset: "roku", Role: assets.RoleSecondary, Store: s.store})
	if err != nil {
		t.Fatal(err)
	}
	s.Model = New(Options{Devices: []DeviceSpec{{Label: "TV", Device: dev}}, Server: s.base, Now: time.Now})
	s.Update(windowSize(100, 40))
	s.press("R")
	if !s.panes[0].signedIn() || s.panes[0].state.JoinedVia != "platformSSO" || s.panes[0].state.Claims.Subject == "" {
		t.Fatalf("the Roku should join through its platform identity: %q", s.panes[0].status)
	}
}
