package tui

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
)

func (tm testModel) tick() { run(tm.Model, tea.Batch(tm.onTick()...), 0) }

// TestTVShowsACodeThePhoneActivates is the pull direction on one screen: g on the TV
// shows a code with the activation page's QR image and polls once a tick; A on the
// phone types it, picks the TV provider and signs in; the TV notices and plays.
func TestTVShowsACodeThePhoneActivates(t *testing.T) {
	tm := newTestModel(t, 200, 60, Options{})
	tm.press("tab")
	tm.wantScreen(t, "Or press g", "a TV waiting for a link code should offer to show a code")
	tm.press("g")
	tv := tm.panes[1]
	if tv.mode() != modeTVCode || tv.tvCode.code == nil {
		t.Fatalf("g should show a code: mode %d", tv.mode())
	}
	tm.wantScreen(t, "code K7M2PQ9", "the TV should show its code, letters included")
	tm.wantScreen(t, "open: http://127.0.0.1:8765/sandbox/activate?code=K7M2PQ9", "the QR image's page should be written under it")
	if !strings.Contains(tm.Render(), "█") || tv.fullQR() == nil {
		t.Fatalf("the code needs large type and a QR image:\n%s", tm.screen())
	}
	tm.wantScreen(t, "expires in 10:00", "the code needs its countdown")
	tm.tick()
	tm.tick()
	if n := tm.tv.count("PollCodeSignIn " + fakeTVCode); n != 2 {
		t.Fatalf("the TV should ask once per tick, asked %d times in 2 ticks", n)
	}
	if tv.tvCode.signIn != nil {
		t.Fatal("nobody signed in yet")
	}

	tm.press("tab", "A")
	ph := tm.panes[0]
	if ph.mode() != modeTVCodeEntry || !ph.tvCodeIn.Focused() {
		t.Fatalf("A should open the TV code entry on a signed-out phone too: mode %d", ph.mode())
	}
	send(tm.Model, pasteMsg("k7m-2pq9"))
	tm.press("enter")
	if ph.mode() != modePickProvider {
		t.Fatalf("after the code, the phone picks the TV provider: mode %d", ph.mode())
	}
	tm.wantScreen(t, "Activate the TV's code K7M2PQ9", "the list should say what the sign-in is for")
	tm.press("enter", "enter")
	mv := assets.MVPDs()[0]
	tm.phone.wantCall(t, "ActivateCode "+fakeTVCode+" "+mv.ID+" "+DefaultProviderUser, "the phone should activate the TV's code with the chosen provider and user")
	if !strings.Contains(ph.status, "Activated the TV's code") || ph.activating != "" || ph.mode() != modeIdentity {
		t.Fatalf("after activating: status %q, activating %q, mode %d", ph.status, ph.activating, ph.mode())
	}
	if ph.signedIn() {
		t.Fatal("activating a TV's code does not sign the phone in")
	}

	tm.tick()
	if tv.tvCode.signIn == nil || tv.tvCode.signIn.UserID != DefaultProviderUser {
		t.Fatalf("the TV should notice the sign-in at the next tick: %q", tv.status)
	}
	polls := tm.tv.count("PollCodeSignIn " + fakeTVCode)
	tm.tick()
	if tm.tv.count("PollCodeSignIn "+fakeTVCode) != polls {
		t.Fatal("a TV that was signed in stops polling")
	}
	tm.press("tab")
	tm.wantScreen(t, "Signed in through the second screen", "the TV should say how it got its TV provider")
	if tv.standing() != "code activated" {
		t.Fatalf("the tab bar should say so too: %q", tv.standing())
	}
	tm.press("a")
	tm.tv.wantCall(t, "Authorize "+playResource, "a should ask to play")
	tm.wantScreen(t, "▶ play live: authorized by "+mv.Name, "the decision should show")
	tm.wantScreen(t, "Play", "the checklist should have its play step")
}

func TestTVCodeExpiresAndPlayWithoutAuthentication(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	tm.press("tab", "a")
	tm.wantScreen(t, "no TV provider authentication on this TV", "a TV with no TV provider must be told what to do")
	tm.press("G")
	tv := tm.panes[1]
	if tv.tvCode.code == nil || !tv.tvCode.code.Legacy {
		t.Fatal("G should show a legacy v1 regcode")
	}
	tm.wantScreen(t, "legacy v1 registration code", "the kind of code should be said")
	tm.tv.err = &client.TVCodeError{Refusal: &client.APIError{HTTPStatus: http.StatusNotFound, Code: "invalid_parameter_code"}}
	tm.tick()
	if !tv.tvCode.gone || tv.fullQR() != nil {
		t.Fatal("a code the service no longer takes is gone, and its QR image with it")
	}
	tm.wantScreen(t, "no longer valid: g shows a new code", "the card should say how to get a new code")
	n := tm.tv.count("PollCodeSignIn " + fakeTVCode)
	tm.tick()
	if tm.tv.count("PollCodeSignIn "+fakeTVCode) != n {
		t.Fatal("a gone code is not polled")
	}
	tm.press("esc")
	if tv.mode() != modeCodeEntry {
		t.Fatalf("esc puts the code away: mode %d", tv.mode())
	}
}

func TestTVCodeEntryRefusesWhatNoCodeHolds(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	tm.press("A")
	send(tm.Model, pasteMsg("!?\x07"))
	tm.press("enter")
	if tm.panes[0].mode() != modeTVCodeEntry || tm.panes[0].activating != "" || tm.panes[0].tvCodeIn.Value() != "" {
		t.Fatalf("what no code holds stays out, and an empty code must not go on to the provider list: %q", tm.panes[0].tvCodeIn.Value())
	}
	tm.wantScreen(t, "Type the code shown on the TV", "an empty code should be explained")
	tm.press("esc")
	if tm.panes[0].mode() != modeIdentity {
		t.Fatal("esc leaves the entry")
	}
}

// TestLinkCardUsesThePublicServer: the QR image carries the address the server says
// devices reach it at, and a loopback one is said to be out of a phone's reach.
func TestLinkCardUsesThePublicServer(t *testing.T) {
	tm := newTestModel(t, 200, 60, Options{})
	tm.phone.providers.public = client.PublicServer{URL: "http://192.0.2.7:8765", Offered: true}
	tm.press("enter", "l")
	tm.wantScreen(t, "QR: http://192.0.2.7:8765/sandbox/link?code=482913", "the QR image should carry the public URL")
	if strings.Contains(tm.screen(), "cannot open this loopback") {
		t.Fatal("a LAN address needs no warning")
	}
	tm.phone.providers.public = client.PublicServer{}
	tm.press("l")
	tm.wantScreen(t, "A phone cannot open this loopback address: start handoff with --lan", "a loopback QR should name --lan")
}

func TestPhonePageQRToggles(t *testing.T) {
	tm := newTestModel(t, 200, 60, Options{})
	tm.phone.providers.public = client.PublicServer{URL: "http://192.0.2.7:8765", Offered: true}
	tm.press("w")
	ph := tm.panes[0]
	if ph.mode() != modePhonePage || ph.fullQR() == nil {
		t.Fatalf("w should show the phone page's QR image: mode %d", ph.mode())
	}
	tm.wantScreen(t, "open: http://192.0.2.7:8765/sandbox/phone", "the phone page's address should show")
	tm.press("z")
	if tm.layer() != layerQR || !strings.Contains(tm.screen(), "the phone page: http://192.0.2.7:8765/sandbox/phone") {
		t.Fatalf("z shows the phone page's QR full screen:\n%s", tm.screen())
	}
	tm.press("x", "w")
	if ph.mode() != modeIdentity {
		t.Fatalf("w again closes it: mode %d", ph.mode())
	}
}

func TestClockShiftShowsInTheHeader(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	x := client.Exchange{Device: "phone", Status: 200, ResponseHeader: http.Header{clockHeader: {"10m0s"}}}
	send(tm.Model, ExchangeMsg(x))
	tm.wantScreen(t, "sandbox clock +10m", "a shifted clock should show in the header")
	x.ResponseHeader = http.Header{clockHeader: {"-1h30m0s"}}
	send(tm.Model, ExchangeMsg(x))
	tm.wantScreen(t, "sandbox clock -1h30m", "a clock set back should show too")
	x.Status = 0
	x.ResponseHeader = nil
	send(tm.Model, ExchangeMsg(x))
	tm.wantScreen(t, "sandbox clock -1h30m", "an exchange with no answer says nothing of the clock")
	x.Status = 200
	send(tm.Model, ExchangeMsg(x))
	if strings.Contains(tm.screen(), "sandbox clock") {
		t.Fatal("an answer without the header says the clock is back")
	}
	x.ResponseHeader = http.Header{clockHeader: {"\x1b]0;pwned\x07"}}
	send(tm.Model, ExchangeMsg(x))
	if s := tm.Render(); strings.Contains(s, "pwned") || strings.Contains(s, "sandbox clock") {
		t.Fatal("a header that is no duration is not drawn")
	}
}

func TestClockText(t *testing.T) {
	for d, want := range map[time.Duration]string{
		10 * time.Minute: "+10m", 2 * time.Hour: "+2h", 90 * time.Second: "+1m30s", -25 * time.Hour: "-25h", 500 * time.Millisecond: "+500ms",
	} {
		if got := (sandboxClock{shift: d, shifted: true}).text(); got != "sandbox clock "+want {
			t.Errorf("%s: %q, want %q", d, got, "sandbox clock "+want)
		}
	}
}

// TestDeviceDetailsShowUnknownAttributes: the cursor device's attributes beyond the
// columns, those handoff does not know included, escaped.
func TestDeviceDetailsShowUnknownAttributes(t *testing.T) {
	var list client.DeviceList
	body := `{"devices":{"a2V5":{"deviceType":"TV","os":"webOS","osVersion":18.1,"hdr":true,"screen":{"w":3840},"model":"OLED\u001b]52;c;cHduZWQ=\u0007","type":"sso","lastSeen":1764597600000}}}`
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatal(err)
	}
	var tb deviceTable
	tb.set(&list, "")
	view := strings.Join(tb.View(100, 12, fixedNow, NewStyles(true, true)), "\n")
	for _, want := range []string{"details:", "hdr=true", `screen={"w":3840}`, "model=OLED"} {
		if !strings.Contains(view, want) {
			t.Errorf("the details lack %q:\n%s", want, view)
		}
	}
	if strings.ContainsAny(view, "\x1b\x07") {
		t.Fatalf("a server's escape sequence reached the screen raw: %q", view)
	}
}

func TestNoSoftwareStatementIsExplained(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	tm.phone.err = &client.NoSoftwareStatementError{Server: "https://sso.example.com"}
	tm.press("enter")
	st := tm.panes[0].status
	if !strings.Contains(st, "--software-statement") || strings.Contains(st, "dcr:") {
		t.Fatalf("a server without a software statement should name the flag, in words: %q", st)
	}
}

func TestSecondScreenExchangesNameTheirStep(t *testing.T) {
	for _, c := range []struct {
		method, url string
		header      http.Header
		step        string
		poll        bool
	}{
		{"POST", "/api/v2/demo/sessions", http.Header{}, "show a code", false},
		{"POST", "/api/v2/demo/sessions", http.Header{"Ad-Service-Token": {"[redacted]"}}, "3 TV provider", false},
		{"POST", "/reggie/v1/demo/regcode", http.Header{}, "show a code", false},
		{"GET", "/api/v2/demo/profiles/code/K7M2PQ9", http.Header{}, "TV code (poll)", true},
		{"POST", "/sandbox/activate", http.Header{}, "activate TV code", false},
		{"POST", "/api/v2/demo/decisions/authorize", http.Header{}, "play (authorize)", false},
		{"GET", "/sandbox/info", http.Header{}, "public address", false},
	} {
		step, poll := stepOf(client.Exchange{Method: c.method, URL: c.url, RequestHeader: c.header})
		if step != c.step || poll != c.poll {
			t.Errorf("%s %s: step %q poll %v, want %q %v", c.method, c.url, step, poll, c.step, c.poll)
		}
	}
}

func TestSecondScreenModePrecedence(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	ph, tv := tm.panes[0], tm.panes[1]
	tv.hold(modeTVCodeEntry)
	if tv.mode() != modeCodeEntry {
		t.Fatal("a TV has no entry for a TV code: only a phone activates one")
	}
	ph.hold(modeProviderUser)
	if ph.mode() != modeIdentity {
		t.Fatal("a signed-out phone shows no provider entry unless it activates a TV's code")
	}
	ph.activating = fakeTVCode
	ph.hold(modeProviderUser)
	if ph.mode() != modeProviderUser || !ph.typing() {
		t.Fatal("a phone activating a TV's code picks the provider signed out too")
	}
	ph.activating = ""
	ph.release()
	tm.press("tab", "g")
	if tv.mode() != modeTVCode {
		t.Fatalf("a TV showing a code: mode %d", tv.mode())
	}
	tm.press("tab", "enter", "tab", "i")
	if tv.mode() != modeTVCode {
		t.Fatal("i types a link code only once the TV's code is put away (esc)")
	}
	tm.press("esc", "i")
	if tv.mode() != modeTypingCode {
		t.Fatalf("after esc, i types the phone's link code: mode %d", tv.mode())
	}
}

func TestTourCoversThePullDirection(t *testing.T) {
	tm := newTestModel(t, 200, 60, Options{Tour: true})
	for tourSteps[tm.tour.step].title != pullTitle {
		tm.press("]")
	}
	if tm.focus != 1 {
		t.Fatal("the pull page gives the keyboard to the TV")
	}
	tm.wantScreen(t, "g shows a code", "the page should say what to press")
	tm.press("g", "tab", "A")
	send(tm.Model, pasteMsg(fakeTVCode))
	tm.press("enter", "enter", "enter")
	tm.tick()
	tm.press("tab", "a")
	tm.wantScreen(t, "Done on screen", "the page is done once the TV signed in by code and asked to play")
	tm.press("]")
	tm.wantScreen(t, "needs no second TV-provider login", "the next page compares the two directions")
}

func TestTVCodeInPlainHasNoArt(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{Plain: true})
	tm.press("tab", "g")
	s := tm.screen()
	if strings.ContainsAny(s, "█▀▄") || !strings.Contains(s, "code K7M2PQ9") || !strings.Contains(s, "not drawn in --plain") {
		t.Fatalf("--plain words the TV's code, with no large type or QR image:\n%s", s)
	}
}
