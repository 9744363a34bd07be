package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestTraceRedactsSecrets runs the whole flow of two devices with a trace hook and
// checks that no secret (access token, client secret, service token, its signature,
// link code) appears anywhere in any marshalled Exchange, while the claims stay
// readable.
func TestTraceRedactsSecrets(t *testing.T) {
	f := newFakeSSO(t)
	var mu sync.Mutex
	var xs []Exchange
	trace := func(x Exchange) { mu.Lock(); xs = append(xs, x); mu.Unlock() }
	phone, err := OpenDevice(DeviceConfig{Name: "phone", Server: f.URL, Trace: trace})
	if err != nil {
		t.Fatal(err)
	}
	tv, err := OpenDevice(DeviceConfig{Name: "tv", Server: f.URL, Role: "secondary", Trace: trace})
	if err != nil {
		t.Fatal(err)
	}
	st, err := phone.SignIn(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	lc, err := phone.Link(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tvst, err := tv.Redeem(ctx, lc.Code)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := phone.Unlink(ctx, tv.State().Key); err != nil {
		t.Fatal(err)
	}
	_, _ = tv.Devices(ctx) // refused: the refusal is traced too

	preg, _ := phone.LoadRegistration()
	treg, _ := tv.LoadRegistration()
	secrets := map[string]string{
		"phone client secret": preg.ClientSecret, "phone access token": preg.AccessToken,
		"tv client secret": treg.ClientSecret, "tv access token": treg.AccessToken,
		"phone service token": st.Token, "tv service token": tvst.Token,
		"phone token signature": st.Token[strings.LastIndexByte(st.Token, '.')+1:],
		"link code":             lc.Code,
	}
	if len(xs) < 10 {
		t.Fatalf("only %d exchanges traced", len(xs))
	}
	devices := map[string]bool{}
	claimsSeen := false
	for i, x := range xs {
		devices[x.Device] = true
		b := exchangeText(t, x)
		for name, s := range secrets {
			if s == "" {
				t.Fatalf("%s is empty", name)
			}
			if strings.Contains(b, s) {
				t.Errorf("exchange %d (%s %s) holds the %s:\n%s", i, x.Method, x.URL, name, b)
			}
		}
		for _, tok := range x.Tokens {
			if tok.Claims["sub"] == "alice" && tok.Header["alg"] == "HS256" {
				claimsSeen = true
			}
		}
		if x.Status == 0 || x.Latency <= 0 || x.Method == "" || x.URL == "" {
			t.Errorf("exchange %d is incomplete: %+v", i, x)
		}
	}
	if !claimsSeen {
		t.Error("no exchange carries the decoded service token claims")
	}
	if !devices["phone"] || !devices["tv"] {
		t.Errorf("exchanges name devices %v", devices)
	}
}

func TestRedactShapes(t *testing.T) {
	jwt := fakeJWT(map[string]any{"sub": "alice"})
	r := &redactor{}
	h := r.header(http.Header{
		"Authorization":    {"Bearer " + jwt},
		"X-Sso-Link":       {"987654"},
		"X-Device-Info":    {"e30="},
		"Ad-Service-Token": {"opaque-service-token-0123456789"},
	}, "")
	if got := h.Get("Authorization"); !strings.HasPrefix(got, "Bearer ") || !strings.HasSuffix(got, ".<redacted>") || strings.Count(got, ".") != 2 {
		t.Errorf("Authorization = %q", got)
	}
	if got := h.Get("X-Sso-Link"); got != "9*****" {
		t.Errorf("X-SSO-LINK = %q", got)
	}
	if got := h.Get("Ad-Service-Token"); got != "<redacted 31 chars>" {
		t.Errorf("opaque token = %q", got)
	}
	if got := h.Get("X-Device-Info"); got != "e30=" {
		t.Errorf("X-Device-Info changed: %q", got)
	}
	form := r.body([]byte("client_id=c1&client_secret=s3cr3t&grant_type=client_credentials"), "application/x-www-form-urlencoded", "request ")
	if strings.Contains(string(form), "s3cr3t") || string(form) != "client_id=c1&client_secret=<redacted 6 chars>&grant_type=client_credentials" {
		t.Errorf("form = %s", form)
	}
	body := r.body([]byte(`{"status":"BAD_REQUEST","error":{"code":"header_missing"},"nested":[{"access_token":"abc"}],"link":"123456"}`), "application/json", "response ")
	if !strings.Contains(string(body), `"code":"header_missing"`) || strings.Contains(string(body), "abc") || strings.Contains(string(body), "123456") {
		t.Errorf("json = %s", body)
	}
	alnum := r.body([]byte(`{"status":"CREATED","code":"6ZJV85"}`), "application/json", "response ")
	word := r.body([]byte(`{"error":{"code":"unauthorized"}}`), "application/json", "response ")
	if strings.Contains(string(alnum), "6ZJV85") || !strings.Contains(string(alnum), `"6*****"`) || !strings.Contains(string(word), "unauthorized") {
		t.Errorf("alphanumeric code = %s, error code = %s", alnum, word)
	}
	u := r.url(mustURL(t, "http://h/api/v1/tokens/authn?requestor=demo&access_token=zzz&code=123456"))
	if u != "/api/v1/tokens/authn?access_token=<redacted 3 chars>&code=1*****&requestor=demo" {
		t.Errorf("url = %s", u)
	}
	if u := r.url(mustURL(t, "http://h/sandbox/mvpd-login/K7Q2ZP4M")); u != "/sandbox/mvpd-login/K*****" {
		t.Errorf("MVPD login url = %s", u)
	}
}

// TestRedactMVPDLoginCode: the single-use login code is masked in the sessions
// answer (its url and its code) and in the login page that echoes it.
func TestRedactMVPDLoginCode(t *testing.T) {
	r := &redactor{}
	x := Exchange{
		URL:          r.url(mustURL(t, "http://h/sandbox/mvpd-login/K7Q2ZP4M")),
		ResponseBody: r.body([]byte(`<form action="/sandbox/mvpd-login/K7Q2ZP4M"><p>Code K7Q2ZP4M</p></form>`), "text/html", "response "),
	}
	r.scrub(&x)
	if text := exchangeText(t, x); strings.Contains(text, "K7Q2ZP4M") || !strings.Contains(text, "K*****") {
		t.Errorf("login page exchange: %s", text)
	}
	r = &redactor{}
	x = Exchange{ResponseBody: r.body([]byte(`{"actionName":"authenticate","url":"/sandbox/mvpd-login/K7Q2ZP4M","code":"K7Q2ZP4M","mvpd":"Cox"}`), "application/json", "response ")}
	r.scrub(&x)
	if text := exchangeText(t, x); strings.Contains(text, "K7Q2ZP4M") || !strings.Contains(text, `"mvpd":"Cox"`) {
		t.Errorf("sessions exchange: %s", text)
	}
}

// exchangeText is everything an Exchange shows, as text: its JSON form (bodies as
// text, see MarshalJSON) and the raw bodies, so that no secret hides in Base64.
func exchangeText(t *testing.T, x Exchange) string {
	t.Helper()
	b, err := json.Marshal(x)
	if err != nil {
		t.Fatal(err)
	}
	return string(b) + string(x.RequestBody) + string(x.ResponseBody)
}

func TestExchangeJSONBodiesAreText(t *testing.T) {
	b, err := json.Marshal(Exchange{Method: "GET", RequestBody: []byte(`{"a":1}`), ResponseBody: []byte{0xff, 0x00}})
	if err != nil {
		t.Fatal(err)
	}
	var back map[string]any
	_ = json.Unmarshal(b, &back)
	if back["RequestBody"] != `{"a":1}` || back["ResponseBody"] != "/wA=" || back["Method"] != "GET" {
		t.Errorf("marshalled = %s", b)
	}
}

// TestRevealSecretsKeepsTheWireCopy: a device opened with RevealSecrets still hands
// the trace hook a redacted exchange, and keeps the exchange as it went over the wire
// only behind Unredacted; without it, Unredacted is the redacted exchange.
func TestRevealSecretsKeepsTheWireCopy(t *testing.T) {
	f := newFakeSSO(t)
	for _, reveal := range []bool{false, true} {
		var mu sync.Mutex
		var xs []Exchange
		trace := func(x Exchange) { mu.Lock(); xs = append(xs, x); mu.Unlock() }
		phone, err := OpenDevice(DeviceConfig{Name: fmt.Sprint("phone-", reveal), Server: f.URL, Trace: trace, RevealSecrets: reveal})
		if err != nil {
			t.Fatal(err)
		}
		st, err := phone.SignIn(ctx, "alice")
		if err != nil {
			t.Fatal(err)
		}
		redactedHasIt, wireHasIt := false, false
		for _, x := range xs {
			redactedHasIt = redactedHasIt || bytes.Contains(x.ResponseBody, []byte(st.Token))
			wireHasIt = wireHasIt || bytes.Contains(x.Unredacted().ResponseBody, []byte(st.Token))
		}
		if redactedHasIt || wireHasIt != reveal {
			t.Errorf("reveal %v: the token in the trace %v, behind Unredacted %v", reveal, redactedHasIt, wireHasIt)
		}
	}
}
