package sandbox

import (
	"net/url"
	"testing"
)

// BenchmarkMVPDEndpoints times the calls of issue 4 over loopback, per driver: the
// MVPD sign-in (sessions and the sandbox login), v2 profiles (service token and Roku
// header), v1 authn in both formats, logout, and the Roku connect token and join.
func BenchmarkMVPDEndpoints(b *testing.B) {
	for _, driver := range drivers {
		b.Run(driver, func(b *testing.B) {
			ts := startServer(b, driver, "", Config{})
			c := benchClient{b: b, http: ts.http, base: ts.URL}
			access := ts.accessToken(b)
			phone := device{key: deviceKey("phone"), access: access}
			var tok tokenOut
			c.call("POST", "/api/demo/serviceToken", phone.headers("X-SSO-ID", "alice"), "", 201, &tok)
			sessionHeaders := phone.headers("AD-Service-Token", tok.Token, "Content-Type", "application/x-www-form-urlencoded")
			js := map[string]string{"Content-Type": "application/json"}
			signIn := func() {
				var s struct {
					URL string `json:"url"`
				}
				c.call("POST", "/api/v2/demo/sessions", sessionHeaders, "mvpd=Comcast_SSO", 201, &s)
				c.call("POST", s.URL, js, `{"userId":"bench"}`, 200, nil)
			}
			connect := func(format string) string {
				var ct struct {
					Token string `json:"token"`
				}
				c.call("POST", "/sandbox/roku/connect-token", js, `{"subscriberId":"bench-sub","format":"`+format+`"}`, 201, &ct)
				return ct.Token
			}
			signIn()
			connect("jws") // the Roku keys are made on first use, not inside a timed loop
			v1 := "?" + url.Values{"requestor": {"demo"}, "deviceId": {phone.key}}.Encode()
			info := phone.headers("X-Device-Info", deviceInfo(map[string]string{"osName": "iOS"}))

			b.Run("sessions+login", func(b *testing.B) {
				for b.Loop() {
					signIn()
				}
			})
			b.Run("profiles", func(b *testing.B) {
				for b.Loop() {
					c.call("GET", "/api/v2/demo/profiles", phone.headers("AD-Service-Token", tok.Token), "", 200, nil)
				}
			})
			b.Run("authn-v1-json", func(b *testing.B) {
				for b.Loop() {
					c.call("GET", "/api/v1/tokens/authn.json"+v1, info, "", 200, nil)
				}
			})
			b.Run("authn-v1-xml", func(b *testing.B) {
				for b.Loop() {
					c.call("GET", "/api/v1/tokens/authn.xml"+v1, info, "", 200, nil)
				}
			})
			b.Run("logout", func(b *testing.B) {
				for b.Loop() {
					b.StopTimer()
					signIn()
					b.StartTimer()
					c.call("DELETE", "/api/v2/demo/logout", phone.headers("AD-Service-Token", tok.Token), "", 200, nil)
				}
			})
			for _, format := range []string{"jws", "jwe"} {
				b.Run("roku-connect-token-"+format, func(b *testing.B) {
					for b.Loop() {
						connect(format)
					}
				})
				rokuTok := connect(format)
				b.Run("serviceToken-POST-roku-"+format, func(b *testing.B) {
					roku := device{key: deviceKey("roku"), access: access}
					for b.Loop() {
						c.call("POST", "/api/demo/serviceToken", roku.headers(headerRokuToken, rokuTok), "", 201, nil)
					}
				})
				b.Run("profiles-roku-"+format, func(b *testing.B) {
					roku := device{key: deviceKey("roku"), access: access}
					for b.Loop() {
						c.call("GET", "/api/v2/demo/profiles", roku.headers(headerRokuToken, rokuTok), "", 200, nil)
					}
				})
			}
		})
	}
}
