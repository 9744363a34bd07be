package sandbox

import (
	"errors"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func (ts *testServer) addFault(t testing.TB, spec FaultSpec) reply {
	t.Helper()
	r := ts.admin(t, "POST", "faults", jsonBody(spec))
	if r.status != 201 {
		t.Fatalf("add fault %+v: %d %s", spec, r.status, r.raw)
	}
	return r
}

func TestFaultTimesFailsExactlyThatManyCalls(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	phone := device{key: deviceKey("phone"), access: ts.accessToken(t)}
	tok := ts.serviceToken(t, phone, "alice")
	f := ts.addFault(t, FaultSpec{Route: "POST /api/{sp}/link", Status: 503, Times: 2})
	if f.str("id") == "" || f.body["remaining"] != 2.0 {
		t.Fatalf("fault = %s", f.raw)
	}
	for i := range 2 {
		r := ts.do(t, "POST", "/api/demo/link", phone.headers("AD-Service-Token", tok), "")
		checkEnvelope(t, r, 503, "service_unavailable", "retry")
		if r.header.Get("X-Sandbox-Fault") != f.str("id") || r.header.Get("Retry-After") == "" {
			t.Errorf("call %d: X-Sandbox-Fault %q, Retry-After %q", i, r.header.Get("X-Sandbox-Fault"), r.header.Get("Retry-After"))
		}
	}
	ts.linkCode(t, phone, tok) // the third call goes through
	if l := ts.admin(t, "GET", "faults", ""); len(l.body["faults"].([]any)) != 0 {
		t.Fatalf("the spent fault is still listed: %s", l.raw)
	}
	// Other routes were never touched.
	if r := ts.do(t, "GET", "/api/demo/list", phone.headers("AD-Service-Token", tok), ""); r.status != 200 {
		t.Fatalf("list: %d", r.status)
	}
}

func TestFaultAnswersInEachAPIsShape(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	access := ts.accessToken(t)
	phone := device{key: deviceKey("phone"), access: access}
	tok := ts.serviceToken(t, phone, "alice")
	for _, route := range []string{"POST /api/v2/{sp}/sessions", "POST /o/client/token", "GET /api/v1/tokens/authn", "GET /sandbox/link", "GET /api/{sp}/list", "POST /sandbox/mvpd-login/{code}"} {
		ts.addFault(t, FaultSpec{Route: route, Status: 500})
	}
	r := ts.do(t, "GET", "/api/demo/list", phone.headers("AD-Service-Token", tok), "")
	checkEnvelope(t, r, 500, "internal_error", "none")

	v2 := ts.raw(t, "POST", "/api/v2/demo/sessions", phone.headers("AD-Service-Token", tok, "Content-Type", "application/x-www-form-urlencoded"), "mvpd=cox")
	checkShape(t, "v2", v2.status, v2.header, []byte(v2.body), 500, "v2")

	tokReply := ts.do(t, "POST", "/o/client/token", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, "grant_type=client_credentials")
	checkOAuth(t, tokReply, 500, "server_error")

	for format, shape := range map[string]string{"json": "v1-json", "xml": "v1-xml"} {
		p := ts.raw(t, "GET", "/api/v1/tokens/authn?format="+format+"&requestor=demo", map[string]string{"Authorization": "Bearer " + access}, "")
		checkShape(t, "v1 "+format, p.status, p.header, []byte(p.body), 500, shape)
	}

	page := ts.raw(t, "GET", "/sandbox/link?code=123456", map[string]string{"Accept": "text/html"}, "")
	if page.status != 500 || !strings.HasPrefix(page.header.Get("Content-Type"), "text/plain") || !strings.Contains(page.body, "fault") {
		t.Errorf("link page: %d %s %q", page.status, page.header.Get("Content-Type"), page.body)
	}
	js := ts.do(t, "POST", "/sandbox/mvpd-login/ABCDEFGH", map[string]string{"Content-Type": "application/json"}, `{"userId":"a"}`)
	checkEnvelope(t, js, 500, "internal_error", "none")
}

func TestFaultRateStaysNearItsRate(t *testing.T) {
	const calls, rate = 2000, 0.25
	seed := uint64(1)
	ts := startServer(t, "memory", "", Config{Seed: &seed})
	ts.addFault(t, FaultSpec{Route: "GET /sandbox/healthz", Status: 502, Rate: rate})
	failed := 0
	for range calls {
		switch r := ts.do(t, "GET", "/sandbox/healthz", nil, ""); r.status {
		case 502:
			failed++
		case 200:
		default:
			t.Fatalf("status %d", r.status)
		}
	}
	// Six standard deviations: a fair draw falls outside once in 500 million runs, and
	// the seeded draw makes even that run the same every time.
	sigma := math.Sqrt(calls * rate * (1 - rate))
	if d := math.Abs(float64(failed) - calls*rate); d > 6*sigma {
		t.Fatalf("%d of %d calls failed at rate %g: %.0f from the mean, above 6σ (%.0f)", failed, calls, rate, d, 6*sigma)
	}
	l := ts.admin(t, "GET", "faults", "")
	if got := l.body["faults"].([]any)[0].(map[string]any)["fired"]; got != float64(failed) {
		t.Errorf("fired %v, want %d", got, failed)
	}
}

func TestFaultDropIsANetworkError(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	ts.addFault(t, FaultSpec{Route: "POST /o/client/register", Drop: true, Times: 1})
	req, _ := http.NewRequest("POST", ts.URL+"/o/client/register", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	resp, err := ts.http.Do(req)
	if err == nil {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		t.Fatalf("a dropped call answered %d %s", resp.StatusCode, b)
	}
	var ue *url.Error
	if !errors.As(err, &ue) || !(errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || strings.Contains(err.Error(), "reset") || strings.Contains(err.Error(), "EOF")) {
		t.Fatalf("want the connection closed under the client, got %v", err)
	}
	// Spent after one: the next call is answered.
	if r := ts.do(t, "POST", "/o/client/register", map[string]string{"Content-Type": "application/json"}, `{}`); r.status != 400 {
		t.Fatalf("after the drop: %d %s", r.status, r.raw)
	}
}

func TestFaultDelayWaitsThenAnswers(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	ts.addFault(t, FaultSpec{Route: "GET /sandbox/healthz", Delay: "150ms", Times: 1})
	start := time.Now()
	r := ts.do(t, "GET", "/sandbox/healthz", nil, "")
	if took := time.Since(start); r.status != 200 || took < 150*time.Millisecond {
		t.Fatalf("delayed healthz: %d after %s, want 200 after at least 150ms", r.status, took)
	}
}

func TestFaultRefusesWhatItCannotDo(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	for _, spec := range []FaultSpec{
		{Route: "POST /api/{sp}/nothing", Status: 500},
		{Route: "PUT /api/{sp}/link", Status: 500},
		{Route: "api/link", Status: 500},
		{Route: "GET /sandbox/admin/clock", Status: 500},
		{Route: "POST /api/{sp}/link", Status: 200},
		{Route: "POST /api/{sp}/link", Status: 500, Drop: true},
		{Route: "POST /api/{sp}/link", Status: 500, Times: 2, Rate: 0.5},
		{Route: "POST /api/{sp}/link", Status: 500, Rate: 1.5},
		{Route: "POST /api/{sp}/link", Status: 500, Times: -1},
		{Route: "POST /api/{sp}/link", Delay: "forever"},
		{Route: "POST /api/{sp}/link", Delay: "1h"},
		{Route: "POST /api/{sp}/link"},
	} {
		r := ts.admin(t, "POST", "faults", jsonBody(spec))
		checkEnvelope(t, r, 400, "request_invalid", "check_request_body")
	}
	// Any wildcard name, no method, and clearing.
	ts.addFault(t, FaultSpec{Route: "POST /api/{provider}/link", Status: 429})
	ts.addFault(t, FaultSpec{Route: "/api/{sp}/list", Status: 500})
	if r := ts.admin(t, "DELETE", "faults", ""); r.body["cleared"] != 2.0 {
		t.Fatalf("clear: %s", r.raw)
	}
	f := ts.addFault(t, FaultSpec{Route: "GET /sandbox/healthz", Status: 500})
	if r := ts.admin(t, "DELETE", "faults/"+f.str("id"), ""); r.status != 200 {
		t.Fatalf("remove: %d %s", r.status, r.raw)
	}
	checkEnvelope(t, ts.admin(t, "DELETE", "faults/"+f.str("id"), ""), 404, "not_found", "none")
}

func TestFaultMatching(t *testing.T) {
	for _, c := range []struct {
		route, method, path string
		want                bool
	}{
		{"POST /api/{sp}/link", "POST", "/api/demo/link", true},
		{"POST /api/{sp}/link", "GET", "/api/demo/link", false},
		{"POST /api/{sp}/link", "POST", "/api//link", false},
		{"POST /api/{sp}/link", "POST", "/api/demo/link/x", false},
		{"GET /api/{sp}/list", "HEAD", "/api/demo/list", true},
		{"/api/{sp}/serviceToken", "GET", "/api/demo/serviceToken", true},
		{"GET /api/v2/{sp}/profiles/{mvpd}", "GET", "/api/v2/demo/profiles/cox", true},
		{"GET /api/v2/{sp}/profiles", "GET", "/api/v2/demo/profiles/cox", false},
	} {
		f, err := parseFault(FaultSpec{Route: c.route, Status: 500})
		if err != nil {
			t.Fatalf("%q: %v", c.route, err)
		}
		if got := f.matches(c.method, c.path); got != c.want {
			t.Errorf("%q on %s %s: %v, want %v", c.route, c.method, c.path, got, c.want)
		}
	}
}

// FuzzFaultRoute: any route text is refused in words or parsed into a fault that
// matches its own path with every wildcard filled in.
func FuzzFaultRoute(f *testing.F) {
	for _, s := range []string{"POST /api/{sp}/link", "/api/{x}/list", "GET /api/v2/{sp}/profiles/{mvpd}", "", " ", "GET /", "{} {}"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, route string) {
		fl, err := parseFault(FaultSpec{Route: route, Status: 500})
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("%q: an empty refusal", route)
			}
			return
		}
		method := fl.method
		if method == "" {
			method = "GET"
		}
		path := strings.ReplaceAll(strings.Join(fl.segments, "/"), "{}", "x")
		if !fl.matches(method, path) {
			t.Fatalf("%q does not match its own path %s %s", route, method, path)
		}
	})
}

func TestFaultCodes(t *testing.T) {
	for status, want := range map[int]string{400: "request_invalid", 401: "unauthorized", 404: "not_found", 418: "im_a_teapot",
		429: "too_many_requests", 500: "internal_error", 503: "service_unavailable", 504: "gateway_timeout", 599: "error"} {
		if got := faultError(status).code; got != want {
			t.Errorf("faultError(%d) = %q, want %q", status, got, want)
		}
	}
	ts := startServer(t, "memory", "", Config{})
	phone := device{key: deviceKey("phone"), access: ts.accessToken(t)}
	tok := ts.serviceToken(t, phone, "alice")
	ts.addFault(t, FaultSpec{Route: "GET /api/v2/{sp}/profiles", Status: 401})
	r := ts.do(t, "GET", "/api/v2/demo/profiles", phone.headers("AD-Service-Token", tok), "")
	if r.status != 401 || r.str("code") != codeV2AccessToken {
		t.Fatalf("a 401 fault on REST v2: %d %s, want its own code %s", r.status, r.raw, codeV2AccessToken)
	}
}

// The second screen's routes fail in their own shapes too: the regcode call in the v1
// shape it was asked for, the pages in words, the activation's JSON in the envelope.
func TestFaultAnswersInTheSecondScreensShapes(t *testing.T) {
	ts := startServer(t, "memory", "", Config{})
	access := ts.accessToken(t)
	for _, route := range []string{"POST /reggie/v1/{requestor}/regcode", "GET /sandbox/phone", "GET /sandbox/activate", "POST /sandbox/activate"} {
		ts.addFault(t, FaultSpec{Route: route, Status: 500})
	}
	for format, shape := range map[string]string{"json": "v1-json", "xml": "v1-xml"} {
		p := ts.raw(t, "POST", "/reggie/v1/demo/regcode?format="+format+"&deviceId=tv", map[string]string{"Authorization": "Bearer " + access}, "")
		checkShape(t, "regcode "+format, p.status, p.header, []byte(p.body), 500, shape)
	}
	for _, c := range []struct{ method, path, ct, body string }{
		{"GET", "/sandbox/phone", "", ""},
		{"GET", "/sandbox/activate?code=ABCDEFG", "", ""},
		{"POST", "/sandbox/activate", "application/x-www-form-urlencoded", "code=ABCDEFG&mvpd=cox"},
	} {
		page := ts.raw(t, c.method, c.path, map[string]string{"Accept": "text/html", "Content-Type": c.ct}, c.body)
		if page.status != 500 || !strings.HasPrefix(page.header.Get("Content-Type"), "text/plain") || !strings.Contains(page.body, "fault") {
			t.Errorf("%s %s: %d %s %q", c.method, c.path, page.status, page.header.Get("Content-Type"), page.body)
		}
	}
	js := ts.do(t, "POST", "/sandbox/activate", map[string]string{"Content-Type": "application/json"}, `{"code":"ABCDEFG","mvpd":"cox"}`)
	checkEnvelope(t, js, 500, "internal_error", "none")
}
