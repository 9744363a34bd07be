package main

import (
	"bufio"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
)

// serveInShell starts `handoff serve --memory` on a free loopback port with the
// shell's own home and state directory, as a tester would in another terminal of the
// same account, so that handoff sandbox finds the admin token it keeps there. It is
// stopped by PID at the end of the test.
func serveInShell(t *testing.T) *shell {
	t.Helper()
	addr := freeAddr(t)
	sh := newShell(t, "http://"+addr)
	logs, exited, _ := startServeProcess(t, sh.bin, sh.env, "serve", "--memory", "--addr", addr)
	for deadline := time.Now().Add(15 * time.Second); !strings.Contains(logs.String(), "admin token kept for 'handoff sandbox'"); time.Sleep(20 * time.Millisecond) {
		select {
		case <-exited:
			t.Fatalf("handoff serve exited:\n%s", logs.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("handoff serve did not keep its admin token within 15s:\n%s", logs.String())
		}
	}
	return sh
}

// jsonLine reads one JSON line of a running handoff.
func jsonLine(t *testing.T, out *bufio.Reader, what string) map[string]any {
	t.Helper()
	type line struct {
		text string
		err  error
	}
	got := make(chan line, 1)
	go func() { s, err := out.ReadString('\n'); got <- line{s, err} }()
	select {
	case l := <-got:
		var obj map[string]any
		if err := json.Unmarshal([]byte(l.text), &obj); err != nil {
			t.Fatalf("%s: not a JSON line: %q (%v, read: %v)", what, l.text, err, l.err)
		}
		return obj
	case <-time.After(20 * time.Second):
		t.Fatalf("%s: no line within 20s", what)
	}
	return nil
}

// TestCLITVCodeSecondScreen plays the direction TV apps use, with a REST v2 session
// code and a legacy regcode: the TV shows a code and waits, the phone activates it,
// the TV notices (exit 0), and only then may it play.
func TestCLITVCodeSecondScreen(t *testing.T) {
	sh := serveInShell(t)
	for _, legacy := range []bool{false, true} {
		tv, args := "tv-v2", []string{"tvcode", "--wait", "--json"}
		if legacy {
			tv, args = "tv-legacy", append(args, "--legacy")
		}
		// Before any sign-in the TV may not play: exit 1, the API's refusal.
		before := sh.json(exitRefused, "authorize", "live", "--device", tv)
		if apiCode(t, before) != "authenticated_profile_missing" || before["device"] != tv {
			t.Errorf("%s authorize before the sign-in: %v", tv, before)
		}

		wait, out, stderr := sh.start(append(args, "--device", tv)...)
		shown := jsonLine(t, out, tv+" tvcode --wait, first line")
		code := str(t, shown, "code")
		if shown["legacy"] != legacy || shown["device"] != tv || len(code) < 6 {
			t.Fatalf("%s code: %v", tv, shown)
		}
		if got := str(t, shown, "activationUrl"); got != sh.server+"/sandbox/activate" {
			t.Errorf("%s activationUrl = %q", tv, got)
		}
		if got := str(t, shown, "activationPageUrl"); !strings.HasPrefix(got, sh.server+"/sandbox/activate?") || !strings.Contains(got, "code="+code) {
			t.Errorf("%s activationPageUrl = %q", tv, got)
		}

		// The second screen is another device: the phone.
		login := sh.json(exitOK, "activate", strings.ToLower(code), "--mvpd", "Cox", "--user", "viewer-"+tv)
		if login["mvpd"] != "Cox" || login["userId"] != "viewer-"+tv || login["device"] != "phone" {
			t.Errorf("%s activate: %v", tv, login)
		}
		done := jsonLine(t, out, tv+" tvcode --wait, second line")
		if done["status"] != "SIGNED_IN" || done["mvpd"] != "Cox" || done["userId"] != "viewer-"+tv || done["device"] != tv {
			t.Errorf("%s sign-in: %v", tv, done)
		}
		if code := exited(t, wait, out, 20*time.Second); code != exitOK {
			t.Errorf("%s tvcode --wait: exit %d, stderr %s", tv, code, stderr.String())
		}
		// The code is spent: a second activation is refused.
		if again := sh.json(exitRefused, "activate", code, "--mvpd", "Cox", "--user", "someone-else"); apiCode(t, again) != "invalid_parameter_code" {
			t.Errorf("%s code activated twice: %v", tv, again)
		}

		play := sh.json(exitOK, "authorize", "live", "--device", tv)
		token, _ := play["token"].(map[string]any)
		if play["authorized"] != true || play["resource"] != "live" || play["mvpd"] != "Cox" || token["serializedToken"] == "" {
			t.Errorf("%s authorize live: %v", tv, play)
		}
		deny := sh.run("authorize", "denied-sports", "--device", tv, "--json")
		var decision map[string]any
		if err := json.Unmarshal([]byte(deny.stdout), &decision); err != nil || deny.code != exitRefused || decision["authorized"] != false {
			t.Errorf("%s authorize denied-sports: exit %d, stdout %q (%v)", tv, deny.code, deny.stdout, err)
		}
		if !strings.Contains(deny.stderr, tv+" may not play denied-sports") || !strings.Contains(deny.stderr, "authorization_denied_by_mvpd") {
			t.Errorf("%s deny explanation: %q", tv, deny.stderr)
		}
	}

	// For a person: the code, the page to open, and how to activate it from a shell.
	human := sh.run("tvcode", "--device", "tv-human", "--qr")
	if human.code != exitOK || !strings.Contains(human.stdout, sh.server+"/sandbox/activate ") ||
		!regexp.MustCompile(`\nor: handoff activate [A-Z0-9]{7} --mvpd ID --user USER\n`).MatchString(human.stdout) || strings.Count(human.stdout, "▀") < 100 {
		t.Errorf("tvcode for a person: %+v", human)
	}
	if r := sh.run("authorize", "live", "--device", "tv-human"); r.code != exitRefused || !strings.Contains(r.stderr, "no TV provider authentication") {
		t.Errorf("authorize before the sign-in, for a person: %+v", r)
	}
}

// TestCLITVCodeWaitEndsWhenTheSandboxClockPassesExpiry: no sleeping through thirty
// minutes; the sandbox clock moves and the waiting TV exits 1.
func TestCLITVCodeWaitEndsWhenTheSandboxClockPassesExpiry(t *testing.T) {
	sh := serveInShell(t)
	wait, out, stderr := sh.start("tvcode", "--wait", "--json")
	first := jsonLine(t, out, "tvcode --wait, first line")
	str(t, first, "code")

	moved := sh.run("sandbox", "clock", "advance", "31m")
	if moved.code != exitOK || !strings.Contains(moved.stdout, "31m0s ahead of the real time") {
		t.Fatalf("clock advance: %+v", moved)
	}
	last := jsonLine(t, out, "tvcode --wait, second line")
	if errorCode(t, last) != "tv_code_expired" || last["status"] != "EXPIRED" || last["device"] != "tv" {
		t.Errorf("after expiry: %v", last)
	}
	if code := exited(t, wait, out, 20*time.Second); code != exitRefused || !strings.Contains(stderr.String(), "The code expired before a second screen signed in") {
		t.Errorf("tvcode --wait after expiry: exit %d, stderr %q; want 1", code, stderr.String())
	}

	clock := sh.json(exitOK, "sandbox", "clock")
	if clock["shifted"] != true || clock["offsetMillis"] != float64(31*time.Minute/time.Millisecond) {
		t.Errorf("sandbox clock --json: %v", clock)
	}
	if back := sh.json(exitOK, "sandbox", "clock", "reset"); back["shifted"] != false {
		t.Errorf("clock reset: %v", back)
	}
}

// apiCode is the error code of an error line, in the SSO envelope (error.code) or, as
// REST v2 sends its errors, flat (code).
func apiCode(t *testing.T, obj map[string]any) string {
	t.Helper()
	if _, ok := obj["error"].(map[string]any); ok {
		return errorCode(t, obj)
	}
	code, _ := obj["code"].(string)
	return code
}
