package e2e

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/integration/seedserver"
	"github.com/handoff-sso/handoff/sandboxtest"
)

// What a hostile string turns into on screen: every control visibly escaped.
const (
	titleEscaped = `\x1b]0;pwned\x07`
	clipEscaped  = `\x1b]52;c;cHduZWQ=\x07`
	clearEscaped = `\x1b[2J`
	bidiEscaped  = `\u202eevil`
)

// untouched fails the test unless the pane's title is handoff's own, tmux's paste
// buffers (set-clipboard on) are empty and the screen's first line still reads top
// (not cleared, not scrolled). TestHostileMemberLeavesTheTerminalAlone shows, with
// raw bytes in a control pane, that tmux would have let these change.
func (t *term) untouched(tb testing.TB, top string) {
	tb.Helper()
	if title := t.paneTitle(); title != "handoff" {
		tb.Errorf("the pane's title is %q, not handoff's own: a server's OSC 0 reached the terminal", title)
	}
	if b := t.buffers(); b != "" {
		tb.Errorf("tmux's paste buffers were written (OSC 52): %q", b)
	}
	if s := t.screen(); !strings.HasPrefix(s, top) {
		tb.Errorf("the screen was cleared or scrolled:\n%s", s)
	}
}

// TestHostileSeedServerInTmux: a server whose list attributes and error messages
// carry a title change, an OSC 52 clipboard write, a screen clear, a C1 CSI and a
// bidi override. In a real terminal the phone and the TV show them escaped, and the
// title, the clipboard and the screen stay as they were.
func TestHostileSeedServerOnTheScreen(t *testing.T) {
	requireTmux(t)
	bin := binary(t)
	url, _ := startSeedServer(t, seedserver.Variants{Hostile: true, AlphanumericCodes: true})
	phone := clipboardTerm(t, "HANDOFF_KEYSTORE=memory", bin+" phone --server "+url)
	tv := clipboardTerm(t, "HANDOFF_KEYSTORE=memory", bin+" tv --server "+url)

	phone.waitText("X-SSO-ID ›", 10*time.Second)
	phone.keys("Enter")
	phone.waitText("Signed in as demo-user@example.com", 10*time.Second)
	s := phone.waitText("Devices on this profile: 1", 10*time.Second)
	flat := strings.Join(strings.Fields(s), "")
	for _, want := range []string{"nickname=" + titleEscaped + clipEscaped + clearEscaped, `\u009b31m` + bidiEscaped + `\r\n`} {
		if !strings.Contains(flat, want) {
			t.Errorf("the device's details should show %s escaped:\n%s", want, s)
		}
	}
	phone.untouched(t, "handoff · server")

	// A refused code: the server's message and trace come back hostile; the TV words
	// the refusal itself, and the HTTP panel's full view shows the answer escaped.
	tv.waitText("code ›", 10*time.Second)
	tv.keys("i")
	tv.text("ZZZ999")
	tv.keys("Enter")
	tv.waitText("The link code is wrong, expired or already used", 10*time.Second)
	tv.keys("Escape") // alone: an ESC followed at once by h would read as alt+h
	tv.waitText("a digit, i or enter starts typing", 5*time.Second)
	tv.keys("h")
	tv.waitText("serviceToken", 5*time.Second)
	tv.keys("Enter")
	// The body is JSON: its own escapes (\u001b) are shown with the backslash doubled,
	// what JSON leaves raw (C1, bidi) as handoff's escapes.
	s = tv.waitText(`\\u001b]0;pwned\\u0007`, 10*time.Second)
	if !strings.Contains(s, `\u009b31m`+bidiEscaped) || strings.ContainsAny(s, "\u009b\u202e\x1b") {
		t.Errorf("the refusal's C1 CSI and bidi override should show escaped:\n%s", s)
	}
	tv.untouched(t, "HTTP · TV · POST /api/demo/serviceToken")
}

// TestHostileSandboxMemberOnTheScreen: another member of the phone's profile on the
// real sandbox sends C1 controls in its User-Agent (the sandbox drops them) and tries
// bidi overrides in X-Device-Info (the sandbox refuses them); the phone's screen,
// polling the list, shows the member with the cleaned text in its details, and the
// title, the paste buffers and the screen stay as handoff left them.
func TestHostileSandboxMemberOnTheScreen(t *testing.T) {
	requireTmux(t)
	sb := sandboxtest.New(t)
	phone := clipboardTerm(t, "HANDOFF_KEYSTORE=memory", binary(t)+" phone --server "+sb.URL)
	phone.waitText("X-SSO-ID ›", 10*time.Second)
	phone.keys("Enter")
	phone.waitText("Devices on this profile: 1", 10*time.Second)

	join := func(name, userAgent string, info map[string]string) int {
		t.Helper()
		raw, _ := json.Marshal(info)
		req, _ := http.NewRequest(http.MethodPost, sb.URL+"/api/"+sandboxtest.ServiceProvider+"/serviceToken", nil)
		req.Header = http.Header{"Authorization": {"Bearer " + sb.AccessToken()}, "Ap-Device-Identifier": {"fingerprint " + sandboxtest.DeviceKey(name)},
			"X-Sso-Id": {"demo-user@example.com"}, "X-Device-Info": {base64.StdEncoding.EncodeToString(raw)}, "User-Agent": {userAgent}}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := join("mallory bidi", "Mallory/2", map[string]string{"model": "\u202eevil\u2066", "primaryHardwareType": "Mobile"}); code < 400 {
		t.Logf("the sandbox took bidi overrides in X-Device-Info (HTTP %d): the screen must still show them escaped", code)
	}
	if code := join("mallory", "Mallory/1 \u009d0;pwned\u009c \u009b2J", map[string]string{"model": "MalloryTV", "manufacturer": "ACME", "primaryHardwareType": "TV"}); code != http.StatusCreated {
		t.Fatalf("the member should join: HTTP %d", code)
	}
	phone.waitText("Devices on this profile: 2", 15*time.Second)
	phone.keys("Down")
	s := phone.waitText("userAgent=Mallory/1", 5*time.Second)
	if !strings.Contains(s, "MalloryTV") {
		t.Errorf("the member's name should show:\n%s", s)
	}
	for _, raw := range []string{"\u202e", "\u2066", "\u009d", "\u009b", "\x1b"} {
		if strings.Contains(s, raw) {
			t.Errorf("the screen holds %U raw:\n%s", []rune(raw)[0], s)
		}
	}
	phone.untouched(t, "handoff · server")
}
