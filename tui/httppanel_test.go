package tui

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/handoff-sso/handoff/client"
)

// secret is a credential as a trace that failed to redact would carry it.
const secret = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0LXBheWxvYWQ.c2ln"

func rawExchange() client.Exchange {
	info := base64.StdEncoding.EncodeToString([]byte(`{"model":"iPhone 16","osName":"iOS"}`))
	return client.Exchange{Device: "phone", Started: fixedNow, Latency: 9 * time.Millisecond, Method: "POST",
		URL: "/api/demo/serviceToken?access_token=" + secret,
		RequestHeader: http.Header{"Authorization": {"Bearer " + secret}, "Ad-Service-Token": {secret},
			"X-Sso-Link": {"482913"}, "X-Device-Info": {info}, "Content-Type": {"application/json"}},
		RequestBody:    []byte(`{"client_secret":"` + secret + `","x":1}`),
		Status:         201,
		ResponseHeader: http.Header{"Content-Type": {"application/json"}},
		ResponseBody:   []byte(`{"status":"CREATED","serviceToken":"` + secret + `","notAfter":1795186740000}`)}
}

func TestHTTPPanelHidesPollsAndLabelsSteps(t *testing.T) {
	h := newHTTPPanel()
	h.add(client.Exchange{Method: "POST", URL: "/api/demo/serviceToken", Status: 201, RequestHeader: http.Header{}})
	for range 5 {
		h.add(client.Exchange{Method: "GET", URL: "/api/demo/list", Status: 200})
	}
	h.add(client.Exchange{Method: "GET", URL: "/api/demo/list", Status: 401})
	h.add(client.Exchange{Method: "POST", URL: "/api/demo/link", Status: 404})
	if len(h.shown) != 2 || h.polls() != 6 {
		t.Fatalf("polls should be hidden: %d shown, %d polls", len(h.shown), h.polls())
	}
	s := ansi.Strip(h.View("Phone", 140, 12, NewStyles(true, false)))
	for _, want := range []string{"2 service token", "4 link code", "404 Not Found · refused", "6 polls hidden", "P shows the polls"} {
		if !strings.Contains(s, want) {
			t.Errorf("the list lacks %q:\n%s", want, s)
		}
	}
	k := DefaultKeyMap()
	if !h.Update(press("P"), k, 140, 40) || len(h.shown) != 8 {
		t.Fatalf("P should show the polls: %d shown", len(h.shown))
	}
	s = ansi.Strip(h.View("Phone", 140, 14, NewStyles(true, false)))
	if !strings.Contains(s, "6 devices (poll)") || !strings.Contains(s, "401 Unauthorized · refused") {
		t.Fatalf("the polls should show with their step and status word:\n%s", s)
	}
	if plain := h.View("Phone", 140, 14, NewStyles(true, true)); !strings.Contains(plain, "refused") || strings.Contains(plain, "\x1b") {
		t.Fatal("without colour the status must still read in words")
	}
}

func TestHTTPDetailDecodesDeviceInfoAndTimes(t *testing.T) {
	lines := strings.Join(exchangeDetail(record{ex: rawExchange(), step: "2 service token"}), "\n")
	for _, want := range []string{`decoded: {`, `"model": "iPhone 16"`, "← 20 Nov 2026 14:59:00", "step: 2 service token · 201 Created (ok)"} {
		if !strings.Contains(lines, want) {
			t.Errorf("the detail lacks %q:\n%s", want, lines)
		}
	}
}

func TestCurlCommandRedactsUnlessRevealed(t *testing.T) {
	ex := rawExchange()
	c := curlCommand("http://127.0.0.1:8765", ex, scrub{})
	if strings.Contains(c, secret) || strings.Contains(c, "482913") {
		t.Fatalf("the curl command holds a secret: %s", c)
	}
	for _, want := range []string{"curl -X POST", `-H 'Authorization: Bearer [redacted]'`, "'http://127.0.0.1:8765/api/demo/serviceToken?access_token=[redacted]'", "--data-raw"} {
		if !strings.Contains(c, want) {
			t.Errorf("the curl command lacks %q: %s", want, c)
		}
	}
	if r := curlCommand("http://h", ex, scrub{reveal: true}); !strings.Contains(r, secret) {
		t.Fatalf("--reveal-secrets should keep what the trace holds: %s", r)
	}
	if q := shellQuote("it's"); q != `'it'\''s'` {
		t.Fatalf("quoting: %s", q)
	}
}

func TestYCopiesTheExchangeAsCurl(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	send(tm.Model, ExchangeMsg(rawExchange()))
	tm.press("h")
	_, cmd := tm.Update(press("y"))
	if cmd == nil {
		t.Fatal("y should set the clipboard")
	}
	got := fmtMsg(cmd())
	if !strings.HasPrefix(got, "curl -X POST") || strings.Contains(got, secret) {
		t.Fatalf("the clipboard gets %q", got)
	}
	if st := tm.panes[0].status; !strings.Contains(st, "as a curl command, secrets redacted") {
		t.Fatalf("y should say what it copied: %q", st)
	}
}

func fmtMsg(msg tea.Msg) string {
	b, _ := json.Marshal(msg)
	var s string
	if json.Unmarshal(b, &s) == nil {
		return s
	}
	return strings.Trim(string(b), `"`)
}

func TestEWritesAHARFileWithoutSecrets(t *testing.T) {
	dir := t.TempDir()
	tm := newTestModel(t, 200, 40, Options{HARDir: dir})
	send(tm.Model, ExchangeMsg(rawExchange()))
	send(tm.Model, ExchangeMsg{Device: "phone", Started: fixedNow, Method: "GET", URL: "/api/demo/list", Status: 200})
	tm.press("h")
	_, cmd := tm.Update(press("E"))
	if cmd == nil {
		t.Fatal("E should write the file")
	}
	send(tm.Model, cmd())
	files, _ := filepath.Glob(filepath.Join(dir, "*.har"))
	if len(files) != 1 {
		t.Fatalf("want one HAR file in %s, got %v", dir, files)
	}
	tm.wantScreen(t, "HAR 1.2 file, 2 exchanges, secrets redacted: "+files[0], "E should say where the file went")
	b, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), secret) || strings.Contains(string(b), "482913") {
		t.Fatalf("the HAR file holds a secret:\n%s", b)
	}
	if fi, _ := os.Stat(files[0]); fi.Mode().Perm() != 0o600 {
		t.Fatalf("the HAR file is %v, want 0600", fi.Mode().Perm())
	}
	checkHAR(t, b, 2)
}

// checkHAR checks what HAR 1.2 requires of a log and of each entry.
func checkHAR(t *testing.T, b []byte, entries int) {
	t.Helper()
	var har struct {
		Log struct {
			Version string
			Creator struct{ Name, Version string }
			Entries []struct {
				StartedDateTime string
				Time            *float64
				Request         struct {
					Method, URL, HTTPVersion string
					Headers, QueryString     []struct{ Name, Value string }
					Cookies                  []any
					HeadersSize, BodySize    *int
				}
				Response struct {
					Status                  *int
					StatusText, HTTPVersion string
					Headers                 []struct{ Name, Value string }
					Cookies                 []any
					Content                 struct {
						Size     *int
						MimeType *string
					}
					RedirectURL           *string
					HeadersSize, BodySize *int
				}
				Cache   *struct{}
				Timings struct{ Send, Wait, Receive *float64 }
			}
		}
	}
	if err := json.Unmarshal(b, &har); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if har.Log.Version != "1.2" || har.Log.Creator.Name == "" || len(har.Log.Entries) != entries {
		t.Fatalf("log: version %q, creator %q, %d entries", har.Log.Version, har.Log.Creator.Name, len(har.Log.Entries))
	}
	for i, e := range har.Log.Entries {
		if _, err := time.Parse(time.RFC3339Nano, e.StartedDateTime); err != nil {
			t.Errorf("entry %d: startedDateTime %q: %v", i, e.StartedDateTime, err)
		}
		r, s := e.Request, e.Response
		if e.Time == nil || r.Method == "" || !strings.HasPrefix(r.URL, "http") || r.HTTPVersion == "" || r.Headers == nil || r.QueryString == nil ||
			r.Cookies == nil || r.HeadersSize == nil || r.BodySize == nil || s.Status == nil || s.HTTPVersion == "" || s.Headers == nil ||
			s.Cookies == nil || s.Content.Size == nil || s.Content.MimeType == nil || s.RedirectURL == nil || s.HeadersSize == nil ||
			s.BodySize == nil || e.Cache == nil || e.Timings.Send == nil || e.Timings.Wait == nil || e.Timings.Receive == nil {
			t.Errorf("entry %d lacks a field HAR 1.2 requires: %+v", i, e)
		}
	}
}

// TestServerTextReachesTheScreenEscaped: what a server sends (headers, bodies, the URL,
// device names) is drawn with its controls as visible escapes, never interpreted.
func TestServerTextReachesTheScreenEscaped(t *testing.T) {
	evil := "\x1b]52;c;cHduZWQ=\x07\x1b[2J\u202e"
	info := base64.StdEncoding.EncodeToString([]byte(`{"model":"` + evil + `"}`))
	ex := client.Exchange{Device: "phone", Method: "GET", URL: "/api/demo/list?x=" + evil, Status: 200,
		RequestHeader:  http.Header{"X-Device-Info": {info}, "X-Evil": {evil}},
		ResponseHeader: http.Header{"Content-Type": {"text/plain"}}, ResponseBody: []byte("line " + evil)}
	tm := newTestModel(t, 120, 40, Options{})
	send(tm.Model, ExchangeMsg(ex))
	list := twoDeviceList()
	e := list.Devices["dHYta2V5"]
	e.Manufacturer, e.Model = "Evil"+evil, "TV"
	list.Devices["dHYta2V5"] = e
	tm.phone.list = list
	tm.press("enter", "h", "P", "enter")
	for _, screen := range []string{tm.Render(), strings.Join(exchangeDetail(tm.panes[0].http.recs[0]), "\n")} {
		if strings.Contains(screen, "\x1b]") || strings.Contains(screen, "\x1b[2J") || strings.Contains(screen, "\u202e") || strings.Contains(screen, "\x07") {
			t.Fatalf("server text reached the screen raw:\n%q", screen)
		}
	}
	if d := strings.Join(exchangeDetail(tm.panes[0].http.recs[0]), "\n"); !strings.Contains(d, `\x1b]52`) {
		t.Fatalf("the escapes should be visible:\n%s", d)
	}
	tm.press("esc", "esc")
	if s := tm.Render(); strings.Contains(s, "\x1b]") || !strings.Contains(s, `Evil\x1b]52`) {
		t.Fatalf("a device name from the server should be drawn escaped:\n%q", s)
	}
}
