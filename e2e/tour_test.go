package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestTourFromAFreshStart walks the guided tour in a real terminal: from its welcome
// (f starts a fresh profile), ] shows the flow's steps 1 to 6 in order whatever the
// devices do, [ goes back, and the tour ends with a summary.
func TestTourFromAFreshStart(t *testing.T) {
	requireTmux(t)
	term := newTerm(t, 160, 50, binary(t)+" --memory --keystore memory --tour")
	term.waitText("Tour · Welcome", 10*time.Second)
	term.waitText("f starts fresh", 5*time.Second)
	term.keys("f")
	term.waitText("Tour 1/6 · The phone's identity", 5*time.Second)
	term.waitText("X-SSO-ID › tour-", 5*time.Second)
	term.keys("Enter")
	term.waitText("Signed in as tour-", 10*time.Second)
	if s := term.waitText("Done on screen. ] goes on", 5*time.Second); !strings.Contains(s, "Tour 1/6") {
		t.Fatalf("signing in must not move the tour on:\n%s", s)
	}
	for i, title := range []string{"2/6 · A service token", "3/6 · The TV provider", "4/6 · A link code", "5/6 · The TV joins", "6/6 · Devices"} {
		term.keys("]")
		term.waitText("Tour "+title, 5*time.Second)
		if i == 3 {
			term.waitText("▶ TV", 5*time.Second) // step 5 gives the keyboard to the TV
		}
	}
	term.keys("[")
	term.waitText("Tour 5/6 · The TV joins", 5*time.Second)
	for range 8 {
		term.keys("]")
	}
	s := term.waitText("Tour · Summary", 5*time.Second)
	if !strings.Contains(s, "Phone: signed in as tour-") {
		t.Fatalf("the summary should say what the phone did:\n%s", s)
	}
}

// TestHTTPPanelCopiesCurlAndSavesHAR: y puts the exchange on the clipboard as a curl
// command through OSC 52 (read back from tmux's buffer, set-clipboard on), E writes a
// HAR 1.2 file that holds no secret, and the screen says where.
func TestHTTPPanelCopiesCurlAndSavesHAR(t *testing.T) {
	requireTmux(t)
	dir := t.TempDir()
	term := newTermIn(t, t.TempDir(), 160, 50, "HANDOFF_KEYSTORE=memory TMPDIR="+dir, binary(t)+" --memory --keystore memory")
	term.tmux("set-option", "-g", "set-clipboard", "on")
	term.waitText("X-SSO-ID › demo-user@example.com", 10*time.Second)
	term.keys("Enter")
	term.waitText("Signed in as demo-user@example.com", 10*time.Second)
	term.keys("l")
	term.waitFor("a link code", 10*time.Second, codeOnScreen.MatchString)
	term.keys("h")
	term.waitText("HTTP · Phone", 5*time.Second)
	term.keys("y")
	term.waitText("as a curl command, secrets redacted", 5*time.Second)
	var clip string
	term.waitFor("the curl command in tmux's buffer", 5*time.Second, func(string) bool {
		out, err := exec.Command("tmux", "-L", term.socket, "show-buffer").Output()
		clip = string(out)
		return err == nil && strings.HasPrefix(clip, "curl -X POST")
	})
	if !strings.Contains(clip, "/api/demo/link") || !strings.Contains(clip, "[redacted]") {
		t.Fatalf("the clipboard holds %q", clip)
	}
	if regexp.MustCompile(`eyJ[A-Za-z0-9_-]{10,}\.`).MatchString(clip) {
		t.Fatalf("the curl command holds a token: %s", clip)
	}

	term.keys("E")
	s := term.waitText("HAR 1.2 file", 5*time.Second)
	files, _ := filepath.Glob(filepath.Join(dir, "handoff-phone-*.har"))
	if len(files) != 1 || !strings.Contains(strings.Join(strings.Fields(s), ""), filepath.Base(files[0])) {
		t.Fatalf("want one HAR file named on screen, got %v:\n%s", files, s)
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	var har struct {
		Log struct {
			Version string
			Entries []struct {
				Request struct {
					Method, URL string
					Headers     []struct{ Name, Value string }
				}
				Response struct{ Status int }
			}
		}
	}
	if err := json.Unmarshal(b, &har); err != nil || har.Log.Version != "1.2" || len(har.Log.Entries) < 2 {
		t.Fatalf("not a HAR 1.2 log with the session (%v):\n%.400s", err, b)
	}
	for _, e := range har.Log.Entries {
		for _, h := range e.Request.Headers {
			if (strings.EqualFold(h.Name, "Authorization") || strings.EqualFold(h.Name, "AD-Service-Token")) && !strings.Contains(h.Value, "[redacted]") {
				t.Fatalf("the HAR file holds a secret in %s: %s", h.Name, h.Value)
			}
		}
	}
	if loc := regexp.MustCompile(`eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}`).FindIndex(b); loc != nil {
		t.Fatalf("the HAR file holds a token: …%s…", b[max(0, loc[0]-200):min(len(b), loc[1]+20)])
	}
}
