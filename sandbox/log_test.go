package sandbox

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"strings"
	"sync"
	"testing"
)

// lockedBuffer is a log sink the handler goroutines may share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestLogLines: one JSON line per request, with the trace id of the answer, and none
// of the secrets that went by.
func TestLogLines(t *testing.T) {
	var out lockedBuffer
	ts := startServer(t, "memory", "", Config{Logger: slog.New(slog.NewJSONHandler(&out, nil))})
	access := ts.accessToken(t)
	phone := device{key: deviceKey("phone"), access: access}
	tok := ts.serviceToken(t, phone, "alice")
	code := ts.linkCode(t, phone, tok)
	r := ts.do(t, "POST", "/api/demo/serviceToken", device{key: deviceKey("tv"), access: access}.headers("X-SSO-LINK", code), "")
	list := ts.do(t, "GET", "/api/demo/list", phone.headers("AD-Service-Token", tok), "")

	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line is not JSON: %q", l)
		}
		lines = append(lines, m)
	}
	if len(lines) != 7 { // statement, register, token, serviceToken, link, redeem, list
		t.Fatalf("%d log lines for 7 requests:\n%s", len(lines), out.String())
	}
	last := lines[len(lines)-1]
	if last["trace"] != list.header.Get("X-Request-Id") || last["method"] != "GET" || last["path"] != "/api/demo/list" || last["status"] != float64(200) || last["sp"] != "demo" {
		t.Errorf("last line %v does not describe the list request", last)
	}
	if _, ok := last["latency"]; !ok {
		t.Error("no latency in the log line")
	}
	for _, secret := range []string{access, tok, code, r.str("serviceToken"), phone.key} {
		if strings.Contains(out.String(), secret) {
			t.Errorf("the log holds a secret or header value %q", secret[:min(len(secret), 12)])
		}
	}
}
