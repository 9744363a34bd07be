package sandbox

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// benchClient sends raw net/http requests over one keep-alive client.
type benchClient struct {
	b    *testing.B
	http *http.Client
	base string
}

// call sends one request, drains the answer and returns it decoded when out is not
// nil. A status other than want stops the benchmark.
func (c benchClient) call(method, path string, h map[string]string, body string, want int, out any) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.b.Fatal(err)
	}
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.b.Fatal(err)
	}
	raw, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != want {
		c.b.Fatalf("%s %s: %d %s (%v)", method, path, resp.StatusCode, raw, err)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			c.b.Fatal(err)
		}
	}
}

type tokenOut struct {
	Token string `json:"serviceToken"`
}

type codeOut struct {
	Code string `json:"code"`
}

func BenchmarkEndpoints(b *testing.B) {
	var listBody []byte
	for _, driver := range drivers {
		b.Run(driver, func(b *testing.B) {
			ts := startServer(b, driver, "", Config{LinkCodeTTL: time.Hour})
			c := benchClient{b: b, http: ts.http, base: ts.URL}
			access := ts.accessToken(b)
			phone := device{key: deviceKey("phone"), access: access}
			tv := device{key: deviceKey("tv"), access: access}
			var phoneTok, tvTok tokenOut
			c.call("POST", "/api/demo/serviceToken", phone.headers("X-SSO-ID", "alice"), "", 201, &phoneTok)
			c.call("POST", "/api/demo/serviceToken", tv.headers("X-SSO-ID", "alice"), "", 201, &tvTok)
			st := ts.do(b, "GET", "/sandbox/software-statement", nil, "").str("software_statement")
			reg := ts.do(b, "POST", "/o/client/register", map[string]string{"Content-Type": "application/json"}, jsonBody(map[string]string{"software_statement": st}))
			form := url.Values{"client_id": {reg.str("client_id")}, "client_secret": {reg.str("client_secret")}, "grant_type": {"client_credentials"}}.Encode()

			b.Run("software-statement", func(b *testing.B) {
				for b.Loop() {
					c.call("GET", "/sandbox/software-statement", nil, "", 200, nil)
				}
			})
			b.Run("register", func(b *testing.B) {
				body := jsonBody(map[string]string{"software_statement": st})
				for b.Loop() {
					c.call("POST", "/o/client/register", map[string]string{"Content-Type": "application/json"}, body, 201, nil)
				}
			})
			b.Run("token", func(b *testing.B) {
				for b.Loop() {
					c.call("POST", "/o/client/token", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, form, 201, nil)
				}
			})
			b.Run("serviceToken-POST", func(b *testing.B) {
				for b.Loop() {
					c.call("POST", "/api/demo/serviceToken", phone.headers("X-SSO-ID", "alice"), "", 201, nil)
				}
			})
			b.Run("serviceToken-GET", func(b *testing.B) {
				for b.Loop() {
					c.call("GET", "/api/demo/serviceToken", phone.headers("AD-Service-Token", phoneTok.Token), "", 200, nil)
				}
			})
			b.Run("link", func(b *testing.B) {
				for b.Loop() {
					c.call("POST", "/api/demo/link", phone.headers("AD-Service-Token", phoneTok.Token), "", 201, nil)
				}
			})
			b.Run("serviceToken-POST-link", func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					var code codeOut
					c.call("POST", "/api/demo/link", phone.headers("AD-Service-Token", phoneTok.Token), "", 201, &code)
					b.StartTimer()
					c.call("POST", "/api/demo/serviceToken", tv.headers("X-SSO-LINK", code.Code), "", 201, nil)
				}
			})
			b.Run("list", func(b *testing.B) {
				for b.Loop() {
					c.call("GET", "/api/demo/list", phone.headers("AD-Service-Token", phoneTok.Token), "", 200, nil)
				}
			})
			b.Run("unlink", func(b *testing.B) {
				box := device{key: deviceKey("box"), access: access}
				body := jsonBody(map[string]any{"devices": []string{box.key}})
				h := phone.headers("AD-Service-Token", phoneTok.Token, "Content-Type", "application/json")
				for b.Loop() {
					b.StopTimer()
					c.call("POST", "/api/demo/serviceToken", box.headers("X-SSO-ID", "alice"), "", 201, nil)
					b.StartTimer()
					c.call("POST", "/api/demo/unlink", h, body, 200, nil)
				}
			})
			if listBody == nil {
				listBody = ts.do(b, "GET", "/api/demo/list", phone.headers("AD-Service-Token", phoneTok.Token), "").raw
			}
		})
	}

	// The baseline: a bare net/http handler answering a body of the list's size.
	b.Run("baseline-list-size", func(b *testing.B) { benchBareBody(b, listBody) })
}

// benchBareBody is the baseline a benchmark is read against: a bare net/http handler
// that answers body, over the same loopback client.
func benchBareBody(b *testing.B, body []byte) {
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer hs.Close()
	c := benchClient{b: b, http: hs.Client(), base: hs.URL}
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		c.call("GET", "/", nil, "", 200, nil)
	}
}

// BenchmarkFlow is the seed's five calls over loopback: the phone gets a service
// token, asks for a link code, the TV redeems it, lists the devices, and the phone
// unlinks the TV. It reports the median of the flows as well as the mean.
func BenchmarkFlow(b *testing.B) {
	for _, driver := range drivers {
		b.Run(driver, func(b *testing.B) {
			ts := startServer(b, driver, "", Config{})
			c := benchClient{b: b, http: ts.http, base: ts.URL}
			access := ts.accessToken(b)
			phone := device{key: deviceKey("phone"), access: access}
			tv := device{key: deviceKey("tv"), access: access}
			unlinkBody := jsonBody(map[string]any{"devices": []string{tv.key}})
			var times []time.Duration
			n := 0
			for b.Loop() {
				n++
				start := time.Now()
				var phoneTok, tvTok tokenOut
				var code codeOut
				c.call("POST", "/api/demo/serviceToken", phone.headers("X-SSO-ID", "flow-"+strconv.Itoa(n)), "", 201, &phoneTok)
				c.call("POST", "/api/demo/link", phone.headers("AD-Service-Token", phoneTok.Token), "", 201, &code)
				c.call("POST", "/api/demo/serviceToken", tv.headers("X-SSO-LINK", code.Code), "", 201, &tvTok)
				c.call("GET", "/api/demo/list", tv.headers("AD-Service-Token", tvTok.Token), "", 200, nil)
				c.call("POST", "/api/demo/unlink", phone.headers("AD-Service-Token", phoneTok.Token, "Content-Type", "application/json"), unlinkBody, 200, nil)
				times = append(times, time.Since(start))
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Nanoseconds()), "median-ns/flow")
		})
	}
}
