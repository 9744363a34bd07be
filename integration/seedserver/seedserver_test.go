package seedserver

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// The switches seen from the wire, without the client: each must change what the
// server says, or the client's tests against it prove nothing.

type wire struct {
	t   *testing.T
	url string
	srv *Server
}

func start(t *testing.T, v Variants) *wire {
	srv, err := New(Config{Variants: v})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &wire{t, hs.URL, srv}
}

func (w *wire) do(method, path string, h map[string]string, body string) (int, http.Header, string) {
	w.t.Helper()
	req, _ := http.NewRequest(method, w.url+path, strings.NewReader(body))
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// bearer registers with the dashboard's statement and returns an access token.
func (w *wire) bearer() string {
	st, _ := json.Marshal(map[string]string{"software_statement": string(w.srv.SoftwareStatement())})
	_, _, reg := w.do("POST", "/o/client/register", map[string]string{"Content-Type": "application/json"}, string(st))
	var r struct {
		ClientID     string `json:"client_id"`
		ClientSecret string `json:"client_secret"`
	}
	_ = json.Unmarshal([]byte(reg), &r)
	form := url.Values{"client_id": {r.ClientID}, "client_secret": {r.ClientSecret}, "grant_type": {"client_credentials"}}.Encode()
	_, _, tok := w.do("POST", "/o/client/token", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, form)
	var g struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.Unmarshal([]byte(tok), &g)
	if g.AccessToken == "" {
		w.t.Fatalf("no access token: %s / %s", reg, tok)
	}
	return "Bearer " + g.AccessToken
}

// join signs a device in and returns its service token.
func (w *wire) join(auth, key string) string {
	info := base64.StdEncoding.EncodeToString([]byte(`{"primaryHardwareType":"MobilePhone","model":"iPhone","osName":"iOS","osVersion":"18.1"}`))
	status, _, body := w.do("POST", "/api/demo/serviceToken", map[string]string{"Authorization": auth, "AP-Device-Identifier": "fingerprint " + key,
		"X-Device-Info": info, "X-SSO-ID": "alice"}, "")
	var st struct {
		ServiceToken string `json:"serviceToken"`
	}
	if status != 201 || json.Unmarshal([]byte(body), &st) != nil {
		w.t.Fatalf("join: %d %s", status, body)
	}
	return st.ServiceToken
}

func TestSwitches(t *testing.T) {
	key := base64.StdEncoding.EncodeToString([]byte("device-one"))
	t.Run("sandbox endpoint only without NoSandbox", func(t *testing.T) {
		if s, _, _ := start(t, Variants{}).do("GET", "/sandbox/software-statement", nil, ""); s != 200 {
			t.Errorf("default: %d", s)
		}
		s, h, b := start(t, Variants{NoSandbox: true}).do("GET", "/sandbox/software-statement", nil, "")
		if s != 404 || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
			t.Errorf("NoSandbox: %d %s %q", s, h.Get("Content-Type"), b)
		}
	})
	t.Run("registration wants this dashboard's statement", func(t *testing.T) {
		w, other := start(t, Variants{}), start(t, Variants{})
		st, _ := json.Marshal(map[string]string{"software_statement": string(other.srv.SoftwareStatement())})
		if s, _, b := w.do("POST", "/o/client/register", nil, string(st)); s != 400 || !strings.Contains(b, "invalid_software_statement") {
			t.Errorf("another's statement: %d %s", s, b)
		}
	})
	t.Run("codes and typed attributes and unknown fields", func(t *testing.T) {
		w := start(t, Variants{AlphanumericCodes: true, TypedAttributes: true, UnknownFields: true})
		auth := w.bearer()
		st := w.join(auth, key)
		h := map[string]string{"Authorization": auth, "AP-Device-Identifier": "fingerprint " + key, "AD-Service-Token": st}
		letters := false
		for range 20 {
			_, _, b := w.do("POST", "/api/demo/link", h, "")
			var lc struct{ Code string }
			_ = json.Unmarshal([]byte(b), &lc)
			letters = letters || strings.ContainsAny(lc.Code, "ABCDEFGHJKLMNPQRSTUVWXYZ")
		}
		if !letters {
			t.Error("20 alphanumeric codes without a letter")
		}
		_, _, b := w.do("GET", "/api/demo/list", h, "")
		for _, want := range []string{`"osVersion":18.1`, `"hdr":true`, `"screen":{`, `"revision":"1.0.0"`, `"firmwareBuild"`} {
			if !strings.Contains(b, want) {
				t.Errorf("list lacks %s: %s", want, b)
			}
		}
		if s, _, _ := w.do("GET", "/api/demo/list", map[string]string{"Authorization": auth, "AD-Service-Token": st, "Accept": "text/html"}, ""); s != 406 {
			t.Errorf("Accept text/html: %d", s)
		}
	})
	t.Run("v1 formats and paths", func(t *testing.T) {
		for _, v := range []Variants{{}, {V1PathOnly: true}, {PlainText404: true}} {
			w := start(t, v)
			auth := w.bearer()
			w.join(auth, key)
			w.srv.Authenticate("alice", "Cox", "u1", time.Now().Add(time.Hour))
			q := "?requestor=demo&deviceId=" + url.QueryEscape(key)
			s, h, b := w.do("GET", "/api/v1/tokens/authn"+q, map[string]string{"Authorization": auth}, "")
			switch {
			case v.PlainText404:
				if s != 404 || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
					t.Errorf("PlainText404: %d %s", s, b)
				}
				continue
			case s != 200 || !strings.Contains(b, "<authentication>"):
				t.Errorf("%+v: no Accept should be XML: %d %s", v, s, b)
			}
			if _, _, b := w.do("GET", "/api/v1/tokens/authn"+q, map[string]string{"Authorization": auth, "Accept": "application/json"}, ""); !strings.Contains(b, `"userId":"u1"`) {
				t.Errorf("%+v: Accept JSON: %s", v, b)
			}
			s, _, _ = w.do("GET", "/api/v1/tokens/authn.json"+q, map[string]string{"Authorization": auth}, "")
			if (s == 200) == v.V1PathOnly {
				t.Errorf("%+v: suffix path answered %d", v, s)
			}
		}
	})
	t.Run("algorithms", func(t *testing.T) {
		for _, alg := range []string{"HS256", "RS256", "ES256"} {
			w := start(t, Variants{Alg: alg})
			st := w.join(w.bearer(), key)
			head, _ := base64.RawURLEncoding.DecodeString(strings.Split(st, ".")[0])
			if !strings.Contains(string(head), `"alg":"`+alg+`"`) {
				t.Errorf("%s: header %s", alg, head)
			}
			if _, err := w.srv.signer.verify(st); err != nil {
				t.Errorf("%s: own token refused", alg)
			}
			if _, err := w.srv.signer.verify(st[:len(st)-4] + "AAAA"); err == nil {
				t.Errorf("%s: a forged signature passed", alg)
			}
		}
	})
	t.Run("hostile and padded lists", func(t *testing.T) {
		w := start(t, Variants{Hostile: true, ExtraDevices: 1000, ExtraBytes: 1024})
		auth := w.bearer()
		st := w.join(auth, key)
		_, _, b := w.do("GET", "/api/demo/list", map[string]string{"Authorization": auth, "AD-Service-Token": st}, "")
		var l struct {
			Devices map[string]map[string]any `json:"devices"`
		}
		if err := json.Unmarshal([]byte(b), &l); err != nil || len(l.Devices) != 1001 || len(b) < 1<<20 {
			t.Fatalf("padded list: %d devices, %d bytes, %v", len(l.Devices), len(b), err)
		}
		if m, _ := l.Devices[key]["model"].(string); !strings.Contains(m, "\x1b]52;") {
			t.Errorf("hostile model %q", m)
		}
	})
}
