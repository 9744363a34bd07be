package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/integration/seedserver"
)

// seedShell is a shell whose devices register with the seed server's statement.
func seedShell(t *testing.T, srv *seedserver.Server, server string) *shell {
	sh := newShell(t, server)
	sh.env = append(sh.env, "HANDOFF_SOFTWARE_STATEMENT="+string(srv.SoftwareStatement()))
	return sh
}

// joinRaw signs a member into ssoID's profile straight over HTTP, with an
// X-Device-Info no handoff preset would send.
func joinRaw(t *testing.T, srv *seedserver.Server, server, ssoID, key string, info map[string]any) {
	t.Helper()
	post := func(path, ctype, body string, h map[string]string) []byte {
		req, _ := http.NewRequest("POST", server+path, strings.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		for k, v := range h {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode/100 != 2 {
			t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
		}
		return b
	}
	st, _ := json.Marshal(map[string]string{"software_statement": string(srv.SoftwareStatement())})
	var reg struct{ ClientID, ClientSecret string }
	var r map[string]string
	_ = json.Unmarshal(post("/o/client/register", "application/json", string(st), nil), &r)
	reg.ClientID, reg.ClientSecret = r["client_id"], r["client_secret"]
	var g map[string]any
	_ = json.Unmarshal(post("/o/client/token", "application/x-www-form-urlencoded", url.Values{"client_id": {reg.ClientID},
		"client_secret": {reg.ClientSecret}, "grant_type": {"client_credentials"}}.Encode(), nil), &g)
	raw, _ := json.Marshal(info)
	post("/api/demo/serviceToken", "application/json", "", map[string]string{
		"Authorization": "Bearer " + g["access_token"].(string), "AP-Device-Identifier": "fingerprint " + base64.StdEncoding.EncodeToString([]byte(key)),
		"X-Device-Info": base64.StdEncoding.EncodeToString(raw), "X-SSO-ID": ssoID})
}

// rawJSONUnsafe are byte sequences --json must never print raw: ESC and BEL (invalid
// raw in JSON anyway), C1 controls in UTF-8, U+2028/U+2029 and the RLO override.
var rawJSONUnsafe = [][]byte{{0x1b}, {0x07}, {0xc2, 0x9b}, {0xc2, 0x85}, {0xe2, 0x80, 0xa8}, {0xe2, 0x80, 0xa9}, {0xe2, 0x80, 0xae}}

func checkJSONSafe(t *testing.T, what, out string) {
	t.Helper()
	for _, seq := range rawJSONUnsafe {
		if bytes.Contains([]byte(out), seq) {
			t.Errorf("%s prints % x raw", what, seq)
		}
	}
}

// TestCLIHostileMemberAndServer: a member of the profile puts escape sequences in its
// X-Device-Info (title, clipboard, screen clear, C1, bidi, line separators), and the
// server puts them in its error messages and trace ids. Nothing reaches stdout or
// stderr raw; the table shows it escaped; --json escapes it.
func TestCLIHostileMemberAndServer(t *testing.T) {
	srv, server := startSeedServer(t, seedserver.Variants{NoSandbox: true, Hostile: true})
	sh := seedShell(t, srv, server)
	sh.json(exitOK, "signin", "--sso-id", "alice")
	joinRaw(t, srv, server, "alice", "hostile-member", map[string]any{"primaryHardwareType": "TV",
		"model": "Mallory\u2028TV\u2029\u0085", "manufacturer": "\u202eACME\u202c", "osName": "\x1b[5mOS", "osVersion": "1\r\n2"})

	r := sh.must(0, sh.run("devices"), "devices")
	checkTerminalSafe(t, r.stdout+r.stderr)
	// The table shortens long values; --wide shows them whole.
	for _, want := range []string{`\x1b]0;pwned\x07`, `\x1b]52;c;cHduZWQ=\x07`, `\u2028TV\u2029\u0085`, `\u202eACME\u202c`, `\x1b[5mOS 1\r\n2`, "nickname="} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("devices does not show %s escaped:\n%s", want, r.stdout)
		}
	}
	r = sh.must(0, sh.run("devices", "--wide"), "devices", "--wide")
	checkTerminalSafe(t, r.stdout+r.stderr)
	for _, want := range []string{`\x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x07\x1b[2J\u009b31m\u202eevil\r\n`, `Mallory\u2028TV\u2029\u0085`, `\u202eACME\u202c`, `1\r\n2`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("devices --wide does not show %s escaped:\n%s", want, r.stdout)
		}
	}

	r = sh.must(0, sh.run("devices", "--json", "--trace"), "devices", "--json", "--trace")
	checkJSONSafe(t, "devices --json", r.stdout)
	checkTerminalSafe(t, r.stderr)
	for _, want := range []string{`\u2028`, `\u2029`, `\u0085`, `\u009b`, `\u202e`, `\u001b]52;c;`} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("devices --json lacks the escape %s:\n%.2000s", want, r.stdout)
		}
	}
	var list struct {
		Devices map[string]map[string]any `json:"devices"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list.Devices) != 2 {
		t.Fatalf("devices --json: %v %v", err, list)
	}
	for _, dev := range list.Devices {
		if dev["nickname"] != "\x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x07\x1b[2J\u009b31m\u202eevil\r\n" {
			t.Errorf("--json changed the value a script reads: %q", dev["nickname"])
		}
	}

	// The server's refusal carries the same in its message and trace id.
	r = sh.run("redeem", "ZZZZZZ", "--device", "tv")
	if r.code != exitRefused {
		t.Fatalf("redeem of a wrong code: exit %d, %s", r.code, r.stderr)
	}
	checkTerminalSafe(t, r.stdout+r.stderr)
	if !strings.Contains(r.stderr, `\x1b]0;pwned`) {
		t.Errorf("the refusal's trace is not shown escaped: %q", r.stderr)
	}
	r = sh.run("redeem", "ZZZZZZ", "--device", "tv", "--json")
	checkJSONSafe(t, "redeem --json", r.stdout)
	checkTerminalSafe(t, r.stderr)
	if obj := decodeOne(t, r.stdout); obj["device"] != "tv" || obj["error"].(map[string]any)["code"] != "invalid_parameter_code" {
		t.Errorf("redeem --json: %v", obj)
	}
}

// TestCLIListOfSeveralMiB: a profile of 12,000 devices (a list of about 5 MiB) is
// listed, printed as JSON, and unlinked with --all-others in as many calls as it needs.
func TestCLIListOfSeveralMiB(t *testing.T) {
	if testing.Short() {
		t.Skip("a list of several MiB")
	}
	const extra = 12000
	srv, server := startSeedServer(t, seedserver.Variants{NoSandbox: true, ExtraDevices: extra, ExtraBytes: 320})
	sh := seedShell(t, srv, server)
	sh.json(exitOK, "signin", "--sso-id", "alice")

	start := time.Now()
	r := sh.must(0, sh.run("devices", "--json"), "devices", "--json")
	t.Logf("devices --json: %d bytes for %d devices in %s", len(r.stdout), extra+1, time.Since(start).Round(time.Millisecond))
	if len(r.stdout) < 4<<20 {
		t.Fatalf("the list is %d bytes, want several MiB", len(r.stdout))
	}
	var list struct {
		Devices map[string]json.RawMessage `json:"devices"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list.Devices) != extra+1 {
		t.Fatalf("devices --json: %v, %d devices", err, len(list.Devices))
	}
	table := filepath.Join(t.TempDir(), "table")
	start = time.Now()
	r = sh.must(0, sh.run("devices"), "devices")
	t.Logf("devices: %d lines in %s", strings.Count(r.stdout, "\n"), time.Since(start).Round(time.Millisecond))
	_ = os.WriteFile(table, []byte(r.stdout), 0o600)
	if n := strings.Count(r.stdout, "\n"); n < extra+2 || !strings.Contains(r.stdout, "this device") {
		t.Errorf("devices prints %d lines for %d devices (see %s)", n, extra+1, table)
	}

	start = time.Now()
	r = sh.must(0, sh.run("unlink", "--all-others", "--yes", "--json"), "unlink", "--all-others", "--yes", "--json")
	t.Logf("unlink --all-others: %s", time.Since(start).Round(time.Millisecond))
	var un struct {
		UnlinkedDevices []string          `json:"unlinkedDevices"`
		Batches         []json.RawMessage `json:"batches"`
		Device          string            `json:"device"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &un); err != nil || len(un.UnlinkedDevices) != extra || len(un.Batches) < 2 || un.Device != "phone" {
		t.Fatalf("unlink --all-others: %v, %d unlinked in %d calls", err, len(un.UnlinkedDevices), len(un.Batches))
	}
	t.Logf("unlink --all-others: %d devices in %d calls", len(un.UnlinkedDevices), len(un.Batches))
	after := sh.json(exitOK, "devices")
	if n := len(after["devices"].(map[string]any)); n != 1 {
		t.Errorf("after unlink --all-others the profile has %d devices", n)
	}
}
