package tui

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
)

// screens puts the model in each state worth a golden view. The state is reached by
// Update on fake devices with fixed keys, tokens and clock, so that the views are the
// same on every run; teatest then runs the program at a pinned size.
var screens = []struct {
	name  string
	opts  Options
	setup func(t *testing.T, tm testModel)
}{
	{"start", Options{}, func(*testing.T, testModel) {}},
	{"signed-in", Options{}, func(_ *testing.T, tm testModel) { tm.press("enter") }},
	{"link-code", Options{}, func(_ *testing.T, tm testModel) { tm.press("enter", "l") }},
	{"tv-typing", Options{}, func(_ *testing.T, tm testModel) { tm.press("enter", "l", "tab", "4", "8", "2", " ", "9") }},
	{"joined", Options{}, func(t *testing.T, tm testModel) { tm.linked(t) }},
	{"unlink-confirm", Options{}, func(t *testing.T, tm testModel) { tm.linked(t); tm.press("down", "space", "u") }},
	{"unlinked", Options{}, func(t *testing.T, tm testModel) {
		tm.linked(t)
		tm.tv.st.Unlinked, tm.tv.st.SignedIn = true, false
		tm.tv.err = &client.APIError{HTTPStatus: 401, Code: "unauthorized"}
		run(tm.Model, tm.start(1, opList, "", nil), 0)
	}},
	{"http-panel", Options{}, func(t *testing.T, tm testModel) { tm.linked(t); traffic(tm); tm.press("h") }},
	{"http-detail", Options{}, func(t *testing.T, tm testModel) { tm.linked(t); traffic(tm); tm.press("h", "up", "enter") }},
	{"help", Options{}, func(_ *testing.T, tm testModel) { tm.press("?") }},
	{"tour", Options{Tour: true}, func(_ *testing.T, tm testModel) { tm.press("]", "enter") }},
	{"tour-summary", Options{Tour: true}, func(t *testing.T, tm testModel) {
		tm.linked(t)
		for range tourSteps {
			tm.press("]")
		}
	}},
	{"keyring-notice", Options{Notices: []string{"No OS keyring answers (no Secret Service on the session bus): secrets stay in memory for this run. To keep them, install and unlock gnome-keyring or KeePassXC, or pass --keystore file."}},
		func(*testing.T, testModel) {}},
	{"http-polls", Options{}, func(t *testing.T, tm testModel) { tm.linked(t); traffic(tm); tm.press("h", "P") }},
	{"unreachable", Options{}, func(_ *testing.T, tm testModel) {
		tm.phone.err = &client.UnreachableError{Server: "http://127.0.0.1:8765"}
		_, cmd := tm.Update(press("enter"))
		tm.Update(stepResult(cmd))
	}},
	{"qr-full-screen", Options{}, func(_ *testing.T, tm testModel) { tm.press("enter", "l", "z") }},
	{"plain", Options{Plain: true}, func(_ *testing.T, tm testModel) { tm.press("enter", "l") }},
	{"provider-list", Options{}, func(_ *testing.T, tm testModel) { tm.press("enter", "p", "down", "down") }},
	{"provider-user", Options{}, func(_ *testing.T, tm testModel) { tm.press("enter", "p", "down", "enter", "backspace", "backspace") }},
	{"provider-shared", Options{}, func(t *testing.T, tm testModel) { tm.press("enter", "p", "enter", "enter"); tm.linked(t) }},
	{"no-provider-steps", Options{Devices: []DeviceSpec{}}, func(t *testing.T, tm testModel) { tm.linked(t) }},
	{"roku", Options{}, func(_ *testing.T, tm testModel) {
		roku, _ := assets.LookupPreset("roku")
		tm.tv.st.Preset, tm.panes[1].state.Preset = roku, roku
		tm.press("tab")
	}},
	{"tv-code", Options{}, func(_ *testing.T, tm testModel) { tm.press("tab", "g") }},
	{"tv-code-played", Options{}, func(_ *testing.T, tm testModel) {
		tm.press("tab", "g", "tab", "A")
		send(tm.Model, pasteMsg(fakeTVCode))
		tm.press("enter", "enter", "enter")
		tm.tick()
		tm.press("tab", "a")
	}},
	{"activate-entry", Options{}, func(_ *testing.T, tm testModel) { tm.press("A", "k", "7", "m") }},
	{"phone-page", Options{}, func(_ *testing.T, tm testModel) { tm.press("w") }},
	{"clock-shifted", Options{}, func(_ *testing.T, tm testModel) {
		send(tm.Model, ExchangeMsg{Device: "phone", Status: 200, ResponseHeader: map[string][]string{clockHeader: {"10m0s"}}})
	}},
}

// traffic is what the HTTP panel shows: two exchanges of the phone, as the client
// reports them (already redacted).
func traffic(tm testModel) {
	send(tm.Model, ExchangeMsg{Device: "phone", Started: fixedNow.Add(-3 * time.Second), Latency: 14 * time.Millisecond,
		Method: "POST", URL: "/api/demo/serviceToken", Status: 201,
		RequestHeader:  map[string][]string{"Authorization": {"Bearer [redacted]"}, "X-Sso-Id": {"demo-user@example.com"}, "Ap-Device-Identifier": {"fingerprint cGhvbmUta2V5"}},
		ResponseHeader: map[string][]string{"Content-Type": {"application/json"}},
		ResponseBody:   []byte(`{"status":"CREATED","serviceToken":"[redacted]","notBefore":1795183140000,"notAfter":1795186740000}`),
		Tokens: []client.DecodedToken{{Where: "response serviceToken", Header: map[string]any{"alg": "HS256", "typ": "JWT", "kid": "k1"},
			Claims: map[string]any{"iss": "ssoservicetoken", "sub": "demo-user@example.com", "exp": float64(fixedNow.Unix() + 3540)}}}})
	send(tm.Model, ExchangeMsg{Device: "phone", Started: fixedNow.Add(-time.Second), Latency: 3 * time.Millisecond,
		Method: "GET", URL: "/api/demo/list", Status: 200})
}

func TestGoldenViews(t *testing.T) {
	for _, size := range []struct{ w, h int }{{120, 40}, {80, 24}, {100, 30}, {200, 60}} {
		for _, sc := range screens {
			t.Run(fmt.Sprintf("%s-%dx%d", sc.name, size.w, size.h), func(t *testing.T) {
				tm := newTestModel(t, size.w, size.h, sc.opts)
				sc.setup(t, tm)
				golden.RequireEqual(t, runProgram(t, tm.Model, size.w, size.h))
			})
		}
	}
	t.Run("too-small-50x15", func(t *testing.T) {
		tm := newTestModel(t, 50, 15, Options{})
		golden.RequireEqual(t, runProgram(t, tm.Model, 50, 15))
	})
}

// runProgram runs the model in a real program (teatest, ASCII profile, pinned size),
// waits for its first frame, quits, and returns the final view in that profile.
func runProgram(t *testing.T, m *Model, w, h int) []byte {
	t.Helper()
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii)))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("handoff")) },
		teatest.WithDuration(5*time.Second))
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	final := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(*Model)
	var out bytes.Buffer
	cw := &colorprofile.Writer{Forward: &out, Profile: colorprofile.Ascii}
	if _, err := cw.Write([]byte(final.Render())); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
