package e2e

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/integration/seedserver"
	"github.com/handoff-sso/handoff/sandboxtest"
)

// hostileOSC is what a hostile member of the profile sends in its X-Device-Info (the
// seed server's Hostile switch): OSC 0 sets the terminal's title, OSC 52 writes its
// clipboard, CSI 2J clears the screen.
const hostileOSC = `\033]0;pwned\007\033]52;c;cHduZWQ=\007`

// clipboardTerm is a terminal whose tmux takes OSC 52 into its paste buffers
// (set-clipboard on) and lets programs set the pane title. The command waits a moment
// so that it runs after the options are set.
func clipboardTerm(t *testing.T, env, command string) *term {
	term := newTermIn(t, t.TempDir(), 200, 40, env, `sh -c "sleep 1; `+command+`"`)
	term.tmux("set-option", "-g", "set-clipboard", "on")
	term.tmux("set-option", "-g", "allow-rename", "on")
	return term
}

func (t *term) paneTitle() string {
	return strings.TrimSpace(t.tmux("display-message", "-p", "-t", "e2e", "#{pane_title}"))
}

func (t *term) buffers() string {
	out, _ := exec.Command("tmux", "-u", "-L", t.socket, "list-buffers").CombinedOutput()
	return strings.TrimSpace(string(out))
}

// TestHostileMemberLeavesTheTerminalAlone: handoff devices, in a tmux pane, lists a
// profile whose members send escape sequences; the pane's title and tmux's paste
// buffers stay untouched and the screen shows the sequences escaped. The same bytes
// printed raw in another pane do set the title and a buffer, so the check can fail.
func TestHostileMemberLeavesTheTerminalAlone(t *testing.T) {
	requireTmux(t)
	bin := binary(t)
	srv, err := seedserver.New(seedserver.Config{Variants: seedserver.Variants{Hostile: true}})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	env := "HANDOFF_KEYSTORE=file HANDOFF_SERVER=" + hs.URL

	control := clipboardTerm(t, env, `printf '`+hostileOSC+`control\n'`)
	control.waitText("EXITED 0", 10*time.Second)
	if title := control.paneTitle(); title != "pwned" {
		t.Fatalf("control: raw OSC 0 should set the pane title, got %q", title)
	}
	if !strings.Contains(control.buffers(), "pwned") {
		t.Fatalf("control: raw OSC 52 should fill a paste buffer, got %q", control.buffers())
	}

	term := clipboardTerm(t, env, bin+" signin --sso-id alice && "+bin+" redeem 000000 --device tv; "+bin+" devices")
	s := term.waitText("EXITED 0", 20*time.Second)
	for _, want := range []string{`\x1b]0;pwned\x07`, `\x1b]52;c;cHduZWQ=\x07`, "this device", "other attributes", `trace`} {
		if !strings.Contains(s, want) {
			t.Errorf("the screen lacks %q:\n%s", want, s)
		}
	}
	if title := term.paneTitle(); title == "pwned" || strings.Contains(title, "pwned") {
		t.Errorf("the pane title was set by the server: %q", title)
	}
	if b := term.buffers(); b != "" {
		t.Errorf("a paste buffer was written: %q", b)
	}
	// The screen was not cleared: the sign-in line printed first is still there.
	if !strings.Contains(s, "phone signed in to profile alice") {
		t.Errorf("the screen was cleared:\n%s", s)
	}
}

// TestHostileSandboxMember: the sandbox refuses controls and bidi characters in
// X-Device-Info, and drops them from the User-Agent (which HTTP lets carry any byte
// over 0x7f, so C1 controls such as CSI U+009B and OSC U+009D), so a member of the
// real sandbox reaches no other member's terminal: handoff devices in a tmux pane
// shows the cleaned text, and the title and paste buffers stay. (What a server that
// passes such text through does to the CLI is TestHostileMemberLeavesTheTerminalAlone's.)
func TestHostileSandboxMember(t *testing.T) {
	requireTmux(t)
	bin := binary(t)
	sb := sandboxtest.New(t)
	info, _ := json.Marshal(map[string]string{"primaryHardwareType": "TV", "manufacturer": "ACME", "model": "MalloryTV", "osName": "Tizen"})
	req, _ := http.NewRequest("POST", sb.URL+"/api/demo/serviceToken", nil)
	req.Header.Set("Authorization", "Bearer "+sb.AccessToken())
	req.Header.Set("AP-Device-Identifier", "fingerprint "+sandboxtest.DeviceKey("mallory"))
	req.Header.Set("X-Device-Info", base64.StdEncoding.EncodeToString(info))
	req.Header.Set("X-SSO-ID", "alice")
	req.Header.Set("User-Agent", "Mallory/1 \u009d0;pwned\u009c \u009b2J")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("the member's join: %d %s", resp.StatusCode, body)
	}

	term := clipboardTerm(t, "HANDOFF_KEYSTORE=file HANDOFF_SERVER="+sb.URL, bin+" signin --sso-id alice && "+bin+" devices && "+bin+" devices --wide")
	s := term.waitText("EXITED 0", 20*time.Second)
	for _, want := range []string{"MalloryTV", "Mallory/1 0;pwned 2J"} {
		if !strings.Contains(s, want) {
			t.Errorf("the screen lacks %q:\n%s", want, s)
		}
	}
	for _, raw := range []string{"\u202e", "\u2028", "\u2066", "\u200f", "\u009d", "\u009b"} {
		if strings.Contains(s, raw) {
			t.Errorf("the screen holds %U raw:\n%s", []rune(raw)[0], s)
		}
	}
	if title := term.paneTitle(); strings.Contains(title, "pwned") {
		t.Errorf("the pane title was set by a member: %q", title)
	}
	if b := term.buffers(); b != "" {
		t.Errorf("a paste buffer was written: %q", b)
	}
}
