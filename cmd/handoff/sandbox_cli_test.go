package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/sandbox"
)

// TestCLISandboxFaultTimesTwo: a fault on POST link with --times 2 fails exactly two
// link calls (the server failed: exit 3), and the third one works.
func TestCLISandboxFaultTimesTwo(t *testing.T) {
	sh := serveInShell(t)
	sh.json(exitOK, "signin", "--sso-id", "faults@example.com")
	added := sh.run("sandbox", "fault", "add", "--route", "POST /api/{sp}/link", "--status", "503", "--times", "2")
	if added.code != exitOK || !strings.Contains(added.stdout, "POST /api/{sp}/link answers 503, the next 2 calls") {
		t.Fatalf("fault add: %+v", added)
	}
	list := sh.json(exitOK, "sandbox", "fault", "list")
	if fs, _ := list["faults"].([]any); len(fs) != 1 {
		t.Fatalf("fault list: %v", list)
	}
	for i := 1; i <= 2; i++ {
		failed := sh.json(exitUnreachable, "link")
		if e, _ := failed["error"].(map[string]any); e["status"] != float64(503) {
			t.Errorf("link %d under the fault: %v", i, failed)
		}
	}
	if ok := sh.json(exitOK, "link"); !sixDigits.MatchString(str(t, ok, "code")) {
		t.Errorf("link after the fault cleared: %v", ok)
	}
	if list := sh.json(exitOK, "sandbox", "fault", "list"); len(list["faults"].([]any)) != 0 {
		t.Errorf("the fault outlived its two calls: %v", list)
	}
	if r := sh.run("sandbox", "fault", "list"); r.code != exitOK || !strings.Contains(r.stdout, "no faults") {
		t.Errorf("fault list for a person: %+v", r)
	}
}

func TestCLISandboxStateResetAndRefusals(t *testing.T) {
	sh := serveInShell(t)
	sh.json(exitOK, "signin", "--sso-id", "state@example.com")
	state := sh.run("sandbox", "state", "--json")
	var st struct {
		Profiles, Devices, Clients int
		Data                       string
		Clock                      struct{ Shifted *bool }
	}
	if err := json.Unmarshal([]byte(state.stdout), &st); err != nil || state.code != exitOK || st.Profiles != 1 || st.Devices != 1 || st.Data != "memory" || st.Clock.Shifted == nil {
		t.Fatalf("state --json: exit %d, %q (%v)", state.code, state.stdout, err)
	}
	if strings.Contains(state.stdout, "state@example.com") {
		t.Errorf("state shows an identifier: %s", state.stdout)
	}
	human := sh.run("sandbox", "state")
	if human.code != exitOK || !strings.Contains(human.stdout, "profiles") || !strings.Contains(human.stdout, "sandbox time") {
		t.Errorf("state for a person: %+v", human)
	}
	if reset := sh.json(exitOK, "sandbox", "reset"); reset["profiles"] != float64(0) || reset["devices"] != float64(0) {
		t.Errorf("reset: %v", reset)
	}

	// A wrong token: refused (1), in one line that says what to do.
	wrong := sh.run("sandbox", "state", "--admin-token", "not-the-token")
	if wrong.code != exitRefused || strings.Count(wrong.stderr, "\n") != 1 || !strings.Contains(wrong.stderr, "handoff: The sandbox refused the admin token: pass the one it printed on start") {
		t.Errorf("wrong admin token: %+v", wrong)
	}
	if r := sh.json(exitRefused, "sandbox", "clock", "--admin-token", "not-the-token"); errorCode(t, r) != "unauthorized" {
		t.Errorf("wrong admin token, --json: %v", r)
	}
	// Another sandbox's port: no token kept for it; the usage says where one comes from.
	noToken := sh.run("sandbox", "clock", "--server", closedPort(t))
	if noToken.code != exitUsage || !strings.Contains(noToken.stderr, "--admin-token") {
		t.Errorf("no admin token: %+v", noToken)
	}
	if r := sh.run("sandbox", "clock", "--server", closedPort(t), "--admin-token", "x"); r.code != exitUnreachable {
		t.Errorf("sandbox unreachable: %+v", r)
	}
	for _, args := range [][]string{
		{"sandbox", "clock", "advance", "soon"},
		{"sandbox", "clock", "set", "tomorrow"},
		{"sandbox", "fault", "add", "--route", "POST /api/{sp}/link"},
		{"sandbox", "fault", "add", "--route", "POST /api/{sp}/link", "--status", "503", "--times", "2", "--rate", "0.5"},
		{"sandbox", "fault", "add", "--status", "503"},
		{"sandbox", "state", "--device", "tv"},
	} {
		if r := sh.run(args...); r.code != exitUsage || r.stdout != "" {
			t.Errorf("%q: %+v, want exit 2", args, r)
		}
	}
	if r := sh.run("sandbox", "fault", "add", "--route", "POST /no/such/route", "--status", "500"); r.code != exitRefused || !strings.Contains(r.stderr, "serves no route") {
		t.Errorf("a route the sandbox does not serve: %+v", r)
	}
}

// TestEmbeddedSandboxKeepsItsAdminToken: the sandbox of the two-device screen keeps
// its token where handoff sandbox of the same user looks, and takes it away after.
func TestEmbeddedSandboxKeepsItsAdminToken(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	srv, base := memorySandbox(t)
	var notices []string
	forget := keepAdminToken(srv, base, &notices)
	dir, _ := sandbox.DefaultDataDir()
	path, _ := sandbox.AdminTokenPath(dir, base)
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 || len(notices) != 0 {
		t.Fatalf("kept token %s: %v %v, notices %q", path, fi, err, notices)
	}
	r := runLine(t, nil, "sandbox", "clock", "advance", "1h", "--server", base, "--json")
	var clock map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &clock); err != nil || r.code != exitOK || clock["offsetMillis"] != float64(time.Hour/time.Millisecond) {
		t.Fatalf("handoff sandbox against the embedded sandbox: %+v", r)
	}
	forget()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the token outlived the screen: %v", err)
	}
	// Nowhere to keep it: the screen says what another terminal would need.
	blocker := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Setenv("XDG_STATE_HOME", filepath.Join(blocker, "state"))
	notices = nil
	keepAdminToken(srv, base, &notices)()
	if len(notices) != 1 || !strings.Contains(notices[0], "--admin-token") {
		t.Errorf("notices: %q", notices)
	}
}

func TestSandboxRouteCompletion(t *testing.T) {
	r := runLine(t, nil, "__complete", "sandbox", "fault", "add", "--route", "")
	if r.code != exitOK || !strings.Contains(r.stdout, "POST /api/{sp}/link\n") || !strings.Contains(r.stdout, "GET /api/v2/{sp}/profiles/code/{code}\n") || strings.Contains(r.stdout, "/sandbox/admin/") {
		t.Errorf("--route completion: %+v", r)
	}
	if r := runLine(t, nil, "__complete", "activate", "X", "--mvpd", ""); !strings.Contains(r.stdout, "Cox") {
		t.Errorf("activate --mvpd completion: %+v", r)
	}
}

// TestTVCodeWaitCountsDownOnATerminal: on a terminal (without --json) the wait shows
// a countdown on one line, cleared at the end; --timeout, when given, bounds it (exit
// 1, the code still valid).
func TestTVCodeWaitCountsDownOnATerminal(t *testing.T) {
	_, base := memorySandbox(t)
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }, stdoutTTY: true}
	code := newApp(t.Context(), e, []string{"tvcode", "--wait", "--timeout", "2500ms", "--keystore", "memory", "--server", base}).execute()
	if code != exitRefused || !strings.Contains(errOut.String(), "No second screen signed in within 2.5s (--timeout)") {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
	if !regexp.MustCompile(`\r\x1b\[Kwaiting for a second screen to sign in… 0:0[0-3] left`).MatchString(out.String()) || !strings.HasSuffix(out.String(), "\r\x1b[K") {
		t.Errorf("no countdown, or not cleared: %q", out.String())
	}
}

// memorySandbox is a sandbox in this process, in memory, on a free loopback port;
// it is shut down at the test's end.
func memorySandbox(t *testing.T) (*sandbox.Server, string) {
	t.Helper()
	srv, err := sandbox.New(sandbox.Config{Memory: true})
	if err != nil {
		t.Fatal(err)
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Shutdown(t.Context()) })
	return srv, base
}
