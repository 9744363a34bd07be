package sandbox

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestFrameRefusalsInEachAPIsShape: a refusal made before any handler runs (an Accept
// the path cannot answer, oversized headers, a panic) is written in the error shape of
// the API the path belongs to, with the trace id.
func TestFrameRefusalsInEachAPIsShape(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	big := strings.Repeat("p", 9<<10)
	for _, tc := range []struct {
		name, path string
		headers    map[string]string
		status     int
		shape      string // "envelope", "v2", "v1-xml", "v1-json"
	}{
		{"SSO Accept", "/api/demo/list", map[string]string{"Accept": "image/png"}, 406, "envelope"},
		{"SSO of a provider named v1", "/api/v1/list", map[string]string{"Accept": "text/html"}, 406, "envelope"},
		{"SSO of a provider named v2", "/api/v2/list", map[string]string{"Accept": "text/html"}, 406, "envelope"},
		{"v2 Accept", "/api/v2/demo/profiles", map[string]string{"Accept": "text/html"}, 406, "v2"},
		{"v2 headers", "/api/v2/demo/sessions", map[string]string{"X-Padding": big}, 400, "v2"},
		{"v1 Accept", "/api/v1/tokens/authn", map[string]string{"Accept": "image/png"}, 406, "v1-xml"},
		{"v1 Accept, JSON asked by suffix", "/api/v1/tokens/authn.json", map[string]string{"Accept": "text/plain"}, 406, "v1-json"},
		{"v1 headers", "/api/v1/tokens/authn?format=json", map[string]string{"X-Padding": big}, 400, "v1-json"},
	} {
		p := ts.raw(t, "GET", tc.path, tc.headers, "")
		checkShape(t, tc.name, p.status, p.header, []byte(p.body), tc.status, tc.shape)
	}
}

func TestPanicAnsweredInThePathsShape(t *testing.T) {
	s := startServer(t, "memory", "", Config{}).Server
	h := s.frame(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic("boom at /secret/path") }))
	for path, shape := range map[string]string{"/api/demo/list": "envelope", "/api/v2/demo/profiles": "v2", "/api/v1/tokens/authn": "v1-xml"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		body, _ := io.ReadAll(w.Result().Body)
		checkShape(t, "panic on "+path, w.Code, w.Header(), body, 500, shape)
		if strings.Contains(string(body), "boom") || strings.Contains(string(body), "/secret") {
			t.Errorf("panic on %s leaked: %s", path, body)
		}
	}
}

// checkShape checks an error answer's status, trace id and shape.
func checkShape(t *testing.T, name string, status int, header http.Header, body []byte, wantStatus int, shape string) {
	t.Helper()
	trace := header.Get("X-Request-Id")
	if status != wantStatus || trace == "" {
		t.Errorf("%s: %d (trace %q), want %d: %s", name, status, trace, wantStatus, body)
		return
	}
	var flat struct {
		Status any    `json:"status" xml:"status"`
		Code   string `json:"code" xml:"code"`
		Trace  string `json:"trace"`
		Error  *struct {
			Status int    `json:"status"`
			Trace  string `json:"trace"`
		} `json:"error"`
	}
	var err error
	switch shape {
	case "v1-xml":
		err = xml.Unmarshal(body, &flat)
	default:
		err = json.Unmarshal(body, &flat)
	}
	ok := err == nil
	switch shape {
	case "envelope":
		ok = ok && flat.Error != nil && flat.Error.Status == wantStatus && flat.Error.Trace == trace
	case "v2":
		ok = ok && flat.Error == nil && flat.Status == float64(wantStatus) && flat.Trace == trace && flat.Code != ""
	case "v1-json":
		ok = ok && flat.Error == nil && flat.Status == float64(wantStatus) && strings.HasPrefix(header.Get("Content-Type"), "application/json")
	case "v1-xml":
		ok = ok && strings.HasPrefix(header.Get("Content-Type"), "application/xml") && strings.HasPrefix(string(body), "<?xml")
	}
	if !ok {
		t.Errorf("%s: not the %s shape (%v): %s %s", name, shape, err, header.Get("Content-Type"), body)
	}
}
