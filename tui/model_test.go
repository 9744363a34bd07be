package tui

import (
	"context"
	"fmt"
	"image/color"
	"os"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	keypkg "charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
)

func TestMain(m *testing.M) {
	// Golden views show clock times; they must not depend on the machine's zone.
	time.Local = time.UTC
	os.Exit(m.Run())
}

// testModel is a phone and a TV on fake devices, at a fixed clock that tests move.
type testModel struct {
	*Model
	phone, tv *fakeDevice
	now       *time.Time
}

func newTestModel(t testing.TB, width, height int, opts Options) testModel {
	t.Helper()
	now := fixedNow
	tm := testModel{phone: newFake("phone", assets.RolePrimary, "cGhvbmUta2V5"), tv: newFake("tv", assets.RoleSecondary, "dHYta2V5"), now: &now}
	shared := &fakeProviders{}
	tm.phone.providers, tm.tv.providers = shared, shared
	if opts.Devices == nil {
		opts.Devices = []DeviceSpec{{"Phone", tm.phone}, {"TV", tm.tv}}
	} else {
		// The test gave wrappers: put the fakes inside them.
		opts.Devices = []DeviceSpec{{"Phone", basicDevice{tm.phone}}, {"TV", basicDevice{tm.tv}}}
	}
	opts.Server = "http://127.0.0.1:8765"
	opts.Note = "embedded sandbox"
	opts.Now = func() time.Time { return *tm.now }
	opts.Dark = true
	tm.Model = New(opts)
	tm.Update(tea.WindowSizeMsg{Width: width, Height: height})
	return tm
}

func (tm testModel) screen() string { return ansi.Strip(tm.Render()) }

func (tm testModel) press(keys ...string) {
	for _, k := range keys {
		send(tm.Model, press(k))
	}
}

// wantScreen fails the test, saying what went wrong and showing the screen, unless
// the screen shows want.
func (tm testModel) wantScreen(t testing.TB, want, what string) {
	t.Helper()
	if s := tm.screen(); !strings.Contains(s, want) {
		t.Fatalf("%s:\n%s", what, s)
	}
}

// linked signs the phone in, makes a code and lets the TV join with it.
func (tm testModel) linked(t testing.TB) {
	t.Helper()
	tm.press("enter", "l")
	tm.phone.list, tm.tv.list = twoDeviceList(), twoDeviceList()
	tm.press("tab")
	send(tm.Model, tea.PasteMsg{Content: "482 913"})
	tm.press("enter", "tab")
	run(tm.Model, tm.start(0, opList, "", nil), 0)
	if !tm.panes[1].signedIn() || len(tm.panes[0].table.devices) != 2 {
		t.Fatalf("flow did not complete: tv signed in %v, phone lists %d devices", tm.panes[1].signedIn(), len(tm.panes[0].table.devices))
	}
}

func TestPhoneSignsInThenMakesALinkCode(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	tm.press("enter")
	if got := tm.phone.calls; !slices.Contains(got, "SignIn "+DefaultIdentity) || !slices.Contains(got, "Devices") {
		t.Fatalf("enter should sign in with the default identity and list devices; calls %v", got)
	}
	if s := tm.screen(); !strings.Contains(s, "Signed in as demo-user@example.com") || !strings.Contains(s, "✓ 2 Service token") {
		t.Fatalf("signed-in phone not shown:\n%s", s)
	}
	tm.press("l")
	p := tm.panes[0]
	if !p.card.showLink || p.card.link.Code != "482913" || p.card.qr.small() == "" {
		t.Fatalf("link card not ready: show %v link %+v qr %d bytes", p.card.showLink, p.card.link, len(p.card.qr.small()))
	}
	s := tm.screen()
	for _, want := range []string{"code 482 913", "expires in 9:58", "QR: http://127.0.0.1:8765/sandbox/link?code=482913"} {
		if !strings.Contains(s, want) {
			t.Errorf("link card lacks %q:\n%s", want, s)
		}
	}
}

func TestIdentityCanBeTyped(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	tm.press("e", "ctrl+u")
	for _, r := range "alice@example.com" {
		tm.press(string(r))
	}
	tm.press("enter")
	tm.phone.wantCall(t, "SignIn alice@example.com", "typed identity not used")
}

func TestLinkCodeRenewsThreeTimesThenWaitsForAKey(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	tm.press("enter", "l")
	for i := 1; i <= maxAutoCodes+1; i++ {
		*tm.now = tm.now.Add(11 * time.Minute)
		tm.phone.code = fmt.Sprintf("10000%d", i)
		// The fake's codes expire relative to fixedNow; move them with the clock.
		tm.panes[0].card.link.NotAfter = client.Millis(tm.now.Add(-time.Second).UnixMilli())
		run(tm.Model, tea.Batch(tm.onTick()...), 0)
		if st := tm.panes[0].status; i <= maxAutoCodes && !strings.Contains(st, fmt.Sprintf("The last code expired; this is a new one (%d of %d", i, maxAutoCodes)) {
			t.Fatalf("renewal %d should say so: %q", i, st)
		}
	}
	if got := tm.phone.count("Link"); got != 1+maxAutoCodes {
		t.Fatalf("Link called %d times, want %d (one by hand, %d on expiry)", got, 1+maxAutoCodes, maxAutoCodes)
	}
	if !tm.panes[0].card.linkStale || !strings.Contains(tm.screen(), "The code expired. Press l for a new one.") {
		t.Fatalf("after %d renewals the phone should wait for a key:\n%s", maxAutoCodes, tm.screen())
	}
	tm.press("l")
	if tm.phone.count("Link") != 2+maxAutoCodes || tm.panes[0].card.linkStale || tm.panes[0].card.autoCodes != 0 {
		t.Fatal("l should make a new code and restart the automatic renewals")
	}
}

func TestCodeEntryTakesPastedAndTypedForms(t *testing.T) {
	for _, in := range []string{"482 913", "482-913", "482913"} {
		tm := newTestModel(t, 120, 40, Options{})
		tm.press("tab")
		send(tm.Model, tea.PasteMsg{Content: in})
		tm.press("enter")
		if !slices.Contains(tm.tv.calls, "Redeem 482913") {
			t.Errorf("pasting %q: calls %v", in, tm.tv.calls)
		}
	}
	tm := newTestModel(t, 120, 40, Options{})
	tm.press("tab", "4", "8", "2", "-", "9", "1", "3", "enter")
	tm.tv.wantCall(t, "Redeem 482913", "typing the code")
	tm.wantScreen(t, "Joined the profile of demo-user@example.com", "TV does not say it joined")
}

func TestCodeEntrySaysWhatIsWrong(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	tm.press("tab", "1", "2", "enter")
	if len(tm.tv.calls) != 0 {
		t.Fatalf("a short code must not reach the server; calls %v", tm.tv.calls)
	}
	if st := tm.panes[1].status; !strings.Contains(st, "letters or digits, this one has 2") {
		t.Fatalf("short code not explained: %q", st)
	}
	tm.press("backspace", "backspace")
	send(tm.Model, tea.PasteMsg{Content: "000000"})
	tm.tv.err = &client.APIError{HTTPStatus: 400, Code: "invalid_parameter_code", Message: "bad code"}
	tm.press("enter")
	tm.wantScreen(t, "The link code is wrong, expired or already used", "refused code not explained")
	if v := tm.panes[1].codeIn.Value(); v != "" {
		t.Fatalf("a refused code should be cleared from the entry, it holds %q", v)
	}
	send(tm.Model, tea.PasteMsg{Content: "000000"})
	tm.tv.err = &client.APIError{HTTPStatus: 429, Code: "too_many_requests", RetryAfter: 7 * time.Minute}
	tm.press("enter")
	tm.wantScreen(t, "wait 7m0s", "too many tries not explained with the wait")
}

func TestUnlinkAsksAndDefaultsToNo(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	tm.linked(t)
	tm.press("down", "u")
	tm.wantScreen(t, "Unlink 1 device: Samsung Tizen TV?", "no confirmation")
	tm.press("enter")
	if slices.Contains(tm.phone.calls, "Unlink") {
		t.Fatal("enter at the confirmation must keep the device (default No)")
	}
	tm.press("space", "u", "y")
	tm.phone.wantCall(t, "Unlink", "y should unlink")
	tm.wantScreen(t, "Unlinked 1 device.", "unlink not reported")
}

func TestUnlinkedDeviceSaysSoAndSignsInAgain(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	tm.linked(t)
	tm.tv.mu.Lock()
	tm.tv.st.Unlinked, tm.tv.st.SignedIn = true, false
	tm.tv.err = &client.APIError{HTTPStatus: 401, Code: "unauthorized"}
	tm.tv.mu.Unlock()
	run(tm.Model, tm.start(1, opList, "", nil), 0)
	tm.wantScreen(t, "This device was unlinked from the profile", "TV does not say it was unlinked")
	tm.press("tab")
	if tm.panes[1].mode() != modeCodeEntry || !strings.Contains(tm.screen(), "code ›") {
		t.Fatalf("an unlinked TV should offer the code entry at once:\n%s", tm.screen())
	}
	tm.tv.mu.Lock()
	tm.tv.err = nil
	tm.tv.mu.Unlock()
	send(tm.Model, tea.PasteMsg{Content: "111 222"})
	tm.press("enter")
	if !slices.Contains(tm.tv.calls, "Redeem 111222") || !tm.panes[1].signedIn() {
		t.Fatalf("a new code should join the TV again; calls %v", tm.tv.calls)
	}
}

func TestUnreachableServerRetriesWithBackoff(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	tm.phone.err = &client.UnreachableError{Server: "http://127.0.0.1:8765"}
	_, cmd := tm.Update(press("enter"))
	_, retry := tm.Update(stepResult(cmd))
	if retry == nil {
		t.Fatal("a network error should schedule a retry")
	}
	if s := tm.panes[0].status; !strings.Contains(s, "Cannot reach the SSO service") || !strings.Contains(s, "Retrying signing in in 1s (attempt 1)") {
		t.Fatalf("status line does not say what happens: %s", s)
	}
	if backoff(0) != time.Second || backoff(3) != 8*time.Second || backoff(10) != 30*time.Second {
		t.Fatal("backoff should double from 1 s up to 30 s")
	}
	send(tm.Model, retryMsg{dev: 0, op: opSignIn, arg: DefaultIdentity})
	if !tm.panes[0].signedIn() || tm.panes[0].attempts[opSignIn] != 0 {
		t.Fatal("the retry should sign in and reset the attempts")
	}
}

func TestServerFailureIsExplainedNotFatal(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	tm.press("enter")
	tm.phone.err = &client.APIError{HTTPStatus: 500, Code: "internal_error", Trace: "abc"}
	_, cmd := tm.Update(press("l"))
	_, retry := tm.Update(stepResult(cmd))
	if retry == nil || !strings.Contains(tm.panes[0].status, "The SSO service failed (HTTP 500, trace abc)") {
		t.Fatalf("a 5xx should be explained and retried: %s", tm.panes[0].status)
	}
}

func TestLayoutFollowsTheTerminalSize(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	if s := tm.screen(); !strings.Contains(s, "▶ Phone") || !strings.Contains(s, "  TV · Samsung") {
		t.Fatalf("wide terminal should show both devices:\n%s", s)
	}
	tm.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	s := tm.screen()
	if !strings.Contains(s, "tab switches device") || strings.Contains(s, "Samsung Tizen TV") {
		t.Fatalf("narrow terminal should show one device and a tab bar:\n%s", s)
	}
	tm.press("tab")
	if !strings.Contains(tm.screen(), "Samsung Tizen TV") {
		t.Fatal("tab should bring the TV")
	}
	tm.Update(tea.WindowSizeMsg{Width: 50, Height: 12})
	if s := tm.screen(); !strings.Contains(s, "at least 60×18;") || !strings.Contains(s, "this one is 50×12.") {
		t.Fatalf("small terminal not explained:\n%s", s)
	}
	for _, l := range strings.Split(tm.Render(), "\n") {
		if ansi.StringWidth(l) > 50 {
			t.Fatalf("line wider than the terminal: %q", l)
		}
	}
}

func TestPlainHasWordsNotBoxes(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{Plain: true})
	tm.press("enter")
	s := tm.Render()
	for _, want := range []string{"[done] 1 Identity", "[next] 3 TV provider", "[ ]    4 Link a device", "[Phone · signed in]"} {
		if !strings.Contains(s, want) {
			t.Errorf("plain view lacks %q", want)
		}
	}
	if strings.ContainsAny(s, "╭┃━│─\x1b") {
		t.Fatalf("plain view has box drawing or escape codes:\n%s", s)
	}
}

func TestHTTPPanelShowsExchangesAndDetails(t *testing.T) {
	tm := newTestModel(t, 120, 80, Options{})
	send(tm.Model, ExchangeMsg{Device: "phone", Started: fixedNow, Latency: 12 * time.Millisecond, Method: "POST",
		URL: "/api/demo/serviceToken", Status: 201, RequestHeader: map[string][]string{"X-Sso-Id": {"demo-user@example.com"}, "Authorization": {"Bearer [redacted]"}},
		ResponseBody: []byte(`{"status":"CREATED","serviceToken":"[redacted]"}`),
		Tokens:       []client.DecodedToken{{Where: "response serviceToken", Header: map[string]any{"alg": "HS256"}, Claims: map[string]any{"sub": "demo-user@example.com", "exp": float64(fixedNow.Unix())}}}})
	send(tm.Model, ExchangeMsg{Device: "tv", Method: "GET", URL: "/api/demo/list"})
	tm.press("h")
	s := tm.screen()
	if !strings.Contains(s, "HTTP · Phone · 1 shown") || !strings.Contains(s, "POST   /api/demo/serviceToken") || !strings.Contains(s, "201 Created") {
		t.Fatalf("panel lacks the exchange:\n%s", s)
	}
	tm.press("enter")
	s = tm.screen()
	for _, want := range []string{"Authorization: Bearer [redacted]", `"status": "CREATED"`, "Token in response serviceToken", `"sub": "demo-user@example.com"`} {
		if !strings.Contains(s, want) {
			t.Errorf("details lack %q:\n%s", want, s)
		}
	}
	tm.press("esc", "esc")
	if tm.showHTTP {
		t.Fatal("esc twice should close the panel")
	}
}

func TestTourStaysOnEachStepUntilTheUserMovesOn(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{Tour: true})
	tm.wantScreen(t, "Tour · Welcome", "the tour should start with its welcome")
	tm.wantScreen(t, "f starts fresh", "the welcome should offer a fresh profile")
	tm.press("f")
	if tm.tour.step != 1 || !strings.HasPrefix(tm.panes[0].identity.Value(), "tour-") {
		t.Fatalf("f should start fresh at step 1 with a new identity; at %d as %q", tm.tour.step, tm.panes[0].identity.Value())
	}
	tm.press("enter")
	if tm.tour.step != 1 {
		t.Fatalf("signing in must not move the tour on; it is at page %d", tm.tour.step)
	}
	tm.wantScreen(t, "Tour 1/6", "the tour should stay on step 1")
	tm.wantScreen(t, "Done on screen. ] goes on", "the tour should say the step is done")
	tm.press("]", "]", "]")
	if s := tm.screen(); !strings.Contains(s, "Tour 4/6") || !strings.Contains(s, "◀ tour: l asks for a code") {
		t.Fatalf("the next action should be highlighted on the phone:\n%s", s)
	}
	tm.press("l", "]")
	if tm.tour.step != 5 || tm.focus != 1 {
		t.Fatalf("step 5 should give the keyboard to the TV: page %d, focus %d", tm.tour.step, tm.focus)
	}
	tm.press("4", "[")
	if tm.tour.step != 4 || tm.panes[1].codeIn.Value() != "4" {
		t.Fatalf("[ should go back even while the code is typed: page %d, entry %q", tm.tour.step, tm.panes[1].codeIn.Value())
	}
	for range len(tourSteps) + 2 {
		tm.press("]")
	}
	tm.wantScreen(t, "Tour · Summary", "the tour should end with a summary")
	tm.wantScreen(t, "Phone: signed in as tour-", "the summary should say what the phone did")
	tm.press("[")
	tm.wantScreen(t, "The two directions", "[ should work on the last page")
	tm.press("esc", "t")
	if strings.Contains(tm.screen(), "Tour ·") {
		t.Fatal("t should close the tour")
	}
}

func TestCopyCodeUsesTheClipboard(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	tm.press("enter", "l")
	_, cmd := tm.Update(press("c"))
	if cmd == nil || fmt.Sprint(cmd()) != "482913" {
		t.Fatal("c should set the clipboard to the code")
	}
}

func TestHelpListsEveryKey(t *testing.T) {
	for _, size := range [][2]int{{120, 40}, {80, 24}} {
		tm := newTestModel(t, size[0], size[1], Options{})
		tm.press("?")
		s := tm.screen()
		// Every binding of the key map, found by reflection so that a new one cannot be
		// left out of the help.
		k := reflect.ValueOf(DefaultKeyMap())
		for i := range k.NumField() {
			b := k.Field(i).Interface().(keypkg.Binding)
			if !regexp.MustCompile(regexp.QuoteMeta(b.Help().Key) + `\s+` + regexp.QuoteMeta(b.Help().Desc)).MatchString(s) {
				t.Errorf("%dx%d: help lacks %s (%q %q)", size[0], size[1], k.Type().Field(i).Name, b.Help().Key, b.Help().Desc)
			}
		}
		for range 40 {
			tm.press("down")
		}
		if s := tm.screen(); !strings.Contains(s, "makes its token stop working.") {
			t.Errorf("%dx%d: the help's last line cannot be scrolled to:\n%s", size[0], size[1], s)
		}
		tm.press("x")
		if tm.showHelp {
			t.Fatal("any key should close the help")
		}
	}
}

func TestTraceRelayNeverBlocks(t *testing.T) {
	r := NewTraceRelay()
	done := make(chan struct{})
	go func() {
		for range 10 * cap(r.ch) {
			r.Trace(client.Exchange{Method: "GET"})
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Trace blocked with no program reading")
	}
}

func TestTokenIsRefreshedBeforeItExpires(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	tm.press("enter")
	run(tm.Model, tea.Batch(tm.onTick()...), 0)
	if tm.phone.count("EnsureFresh") != 0 {
		t.Fatal("a token far from expiry should not be refreshed")
	}
	*tm.now = tm.panes[0].state.NotAfter.Add(-refreshMargin + time.Second)
	run(tm.Model, tea.Batch(tm.onTick()...), 0)
	if tm.phone.count("EnsureFresh") != 1 {
		t.Fatalf("a token %s from expiry should be refreshed; calls %v", refreshMargin, tm.phone.calls)
	}
	tm.phone.err = &client.APIError{HTTPStatus: 400, Code: "token_invalid"}
	run(tm.Model, tea.Batch(tm.onTick()...), 0)
	run(tm.Model, tea.Batch(tm.onTick()...), 0)
	if tm.phone.count("EnsureFresh") != 2 {
		t.Fatalf("after a refusal the refresh should wait for the user, not repeat each second; %d refreshes", tm.phone.count("EnsureFresh"))
	}
	if !strings.Contains(tm.panes[0].status, "not valid yet") {
		t.Fatalf("the refusal should be explained: %q", tm.panes[0].status)
	}
}

func TestTVProviderSignInIsSharedWithTheTV(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	tm.press("enter", "enter")
	if !(tm.panes[0].mode() == modePickProvider) {
		t.Fatal("after signing in, enter should open the TV provider list")
	}
	tm.press("down", "enter")
	if p := tm.panes[0]; (p.mode() == modePickProvider) || (p.mode() != modeProviderUser) || !strings.Contains(tm.screen(), "user id › "+DefaultProviderUser) {
		t.Fatalf("choosing a provider should ask for the user id, offering %s:\n%s", DefaultProviderUser, tm.screen())
	}
	tm.press("ctrl+u")
	send(tm.Model, pasteMsg("casey"))
	tm.press("-", "7", "enter")
	tm.phone.wantCall(t, "MVPDSignIn Charter_Direct casey-7", "the second provider should be signed in with as the typed user")
	if s := tm.screen(); !strings.Contains(s, "TV provider: Spectrum as casey-7") ||
		!strings.Contains(tm.providerText(tm.panes[0], true), "signed in here, until 22 Dec 2026") {
		t.Fatalf("phone does not show its TV provider:\n%s", s)
	}
	tm.press("enter")
	if !tm.panes[0].card.showLink {
		t.Fatal("with a provider, enter should go on to the link code")
	}
	tm.phone.list, tm.tv.list = twoDeviceList(), twoDeviceList()
	tm.press("tab")
	send(tm.Model, tea.PasteMsg{Content: "482913"})
	tm.press("enter")
	if s := tm.screen(); !strings.Contains(s, "TV provider: Spectrum as casey-7") ||
		!strings.Contains(tm.providerText(tm.panes[1], true), "shared through the link") {
		t.Fatalf("TV does not show the shared provider sign-in:\n%s", s)
	}
}

func TestProviderStepsHideWithoutClientSupport(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{Devices: []DeviceSpec{}})
	tm.press("enter", "p")
	if s := tm.screen(); (tm.panes[0].mode() == modePickProvider) || !strings.Contains(s, "– 3 TV provider      not in this build") {
		t.Fatalf("without TV provider steps, p does nothing and the step says why:\n%s", s)
	}
	tm.press("enter")
	if !tm.panes[0].card.showLink {
		t.Fatal("without TV provider steps, enter makes a link code")
	}
}

func TestRokuSignsInWithoutACode(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	roku, _ := assets.LookupPreset("roku")
	tm.tv.st.Preset, tm.panes[1].state.Preset = roku, roku
	tm.press("tab")
	if !strings.Contains(tm.screen(), "Or press R to sign in with Roku") {
		t.Fatalf("a Roku TV should offer its platform sign-in:\n%s", tm.screen())
	}
	tm.press("R")
	if !slices.Contains(tm.tv.calls, "RokuSignIn "+DefaultRokuUser) || !tm.panes[1].signedIn() {
		t.Fatalf("R should sign in with Roku; calls %v", tm.tv.calls)
	}
	if !strings.Contains(tm.panes[1].status, "Joined by Roku identity") {
		t.Fatalf("status: %q", tm.panes[1].status)
	}
}

func TestStylesFollowTheTerminal(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	tm.press("enter", "l")
	colourQR := tm.panes[0].card.qr.small()
	send(tm.Model, tea.ColorProfileMsg{Profile: colorprofile.Ascii})
	darkQR := tm.panes[0].card.qr.small()
	if darkQR == colourQR || strings.Contains(darkQR, "\x1b[") {
		t.Fatal("without colours the QR image should be drawn in the terminal's own colours")
	}
	send(tm.Model, tea.BackgroundColorMsg{Color: color.White})
	if tm.styles.Dark || tm.panes[0].card.qr.small() == darkQR {
		t.Fatal("a light background should switch the styles and redraw the QR image for it")
	}
}

func TestQRFullScreenWhenThePaneIsTooSmall(t *testing.T) {
	tm := newTestModel(t, 80, 24, Options{})
	tm.press("enter", "l")
	tm.wantScreen(t, "z shows it full screen", "a hidden QR image should say how to see it")
	tm.press("z")
	if s := tm.screen(); !tm.showQR || !strings.Contains(s, "code 482 913 · expires in 9:58 · any key returns") {
		t.Fatalf("z should show the QR image alone:\n%s", s)
	}
	tm.press("x")
	if tm.showQR {
		t.Fatal("any key should return")
	}
}

func TestTourOnOneDevicePointsAtTheOtherTerminal(t *testing.T) {
	ph := newFake("phone", assets.RolePrimary, "cGhvbmUta2V5")
	ph.providers = &fakeProviders{}
	m := New(Options{Devices: []DeviceSpec{{"Phone", ph}}, Server: "http://127.0.0.1:8765", Tour: true, Now: func() time.Time { return fixedNow }})
	m.Update(tea.WindowSizeMsg{Width: 200, Height: 40})
	send(m, press("enter"))
	send(m, press("l"))
	for range 5 {
		send(m, press("]"))
	}
	if s := ansi.Strip(m.Render()); !strings.Contains(s, "TV (in another terminal: handoff tv --server http://127.0.0.1:8765)") {
		t.Fatalf("the tour should say where the TV is:\n%s", s)
	}
}

func TestUnreachableServerIsShownUntilItAnswers(t *testing.T) {
	var calls int
	tm := newTestModel(t, 120, 40, Options{Probe: func(context.Context) error {
		calls++
		if calls < 3 {
			return &client.UnreachableError{Server: "http://127.0.0.1:1"}
		}
		return nil
	}})
	cmd := probe(tm.opts.Probe)
	for range 2 {
		_, next := tm.Update(cmd())
		if next == nil {
			t.Fatal("an unreachable server should be probed again")
		}
		cmd = probe(tm.opts.Probe)
	}
	if s := tm.screen(); !strings.Contains(s, "Cannot reach the SSO service at http://127.0.0.1:1") || !strings.Contains(s, "(attempt 2)") {
		t.Fatalf("the screen should say the server is unreachable:\n%s", s)
	}
	if _, next := tm.Update(cmd()); next != nil || strings.Contains(tm.screen(), "Cannot reach") {
		t.Fatal("once the server answers, the warning goes and the probing stops")
	}
}

func TestIdentityCanBeChosen(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	tm.press("down", "down", "up", "enter")
	tm.phone.wantCall(t, "SignIn alice@example.com", "↓ ↓ ↑ should choose the second identity")
	tm = newTestModel(t, 120, 40, Options{})
	tm.press("e", "ctrl+u", "x", "esc", "down", "enter")
	tm.phone.wantCall(t, "SignIn "+DefaultIdentity, "from a typed identity, ↓ goes back to the first demo one")
}

func TestSpinnerTurnsWhileAStepRunsButNotInPlain(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	_, cmd := tm.Update(press("enter"))
	if !tm.spinning || !strings.Contains(tm.screen(), tm.spin.View()+" signing in…") {
		t.Fatalf("a sign-in in flight should show the spinner:\n%s", tm.screen())
	}
	run(tm.Model, cmd, 0)
	tm.Update(tm.spin.Tick())
	if tm.spinning {
		t.Fatal("the spinner should stop once nothing runs")
	}
	plain := newTestModel(t, 120, 40, Options{Plain: true})
	plain.Update(press("enter"))
	if plain.spinning || !strings.Contains(plain.screen(), "· signing in…") {
		t.Fatalf("--plain should say it works in words, without a spinner:\n%s", plain.screen())
	}
}
