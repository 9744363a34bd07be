package integration

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/client"
)

// TestRokuPlatformSSO: two Roku devices of one subscriber join one profile through
// their connect tokens, without a code; a sign-in with a TV provider on one shows on
// the other as platformSSO through the Roku header.
func TestRokuPlatformSSO(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			ctx := context.Background()
			base := startSandbox(t, driver, nil)
			living := openDevice(t, client.DeviceConfig{Name: "roku1", Server: base, Preset: "roku"})
			bedroom := openDevice(t, client.DeviceConfig{Name: "roku2", Server: base, Preset: "roku"})
			other := openDevice(t, client.DeviceConfig{Name: "roku3", Server: base, Preset: "roku"})

			st1, err := living.RokuSignIn(ctx, "roku-sub-1")
			if err != nil {
				t.Fatalf("roku1: %s", client.Explain(err))
			}
			// The second device presents a JWE, the first a JWS: both wrappings join.
			ct, err := bedroom.Client().RokuConnectToken(ctx, "roku-sub-1", bedroom.State().Key, "jwe")
			if err != nil || ct.Format != "jwe" || strings.Count(ct.Token, ".") != 4 {
				t.Fatalf("JWE connect token = %+v, %v", ct, err)
			}
			st2, err := bedroom.JoinWithPlatformToken(ctx, ct.Token)
			if err != nil {
				t.Fatalf("roku2: %s", client.Explain(err))
			}
			st3, err := other.RokuSignIn(ctx, "roku-sub-2")
			if err != nil {
				t.Fatal(client.Explain(err))
			}
			c1, _ := client.DecodeClaims(st1.Token)
			c2, _ := client.DecodeClaims(st2.Token)
			c3, _ := client.DecodeClaims(st3.Token)
			if c1.Subject == "" || c1.Subject != c2.Subject || c3.Subject == c1.Subject {
				t.Fatalf("profiles: roku1 %q, roku2 %q, other subscriber %q", c1.Subject, c2.Subject, c3.Subject)
			}
			list, err := living.Devices(ctx)
			if err != nil {
				t.Fatal(client.Explain(err))
			}
			if len(list.Devices) != 2 {
				t.Fatalf("list = %+v, want the two Roku devices", list.Devices)
			}
			for _, d := range []*client.Device{living, bedroom} {
				if e := list.Devices[d.State().Key]; e.Type != "platformSSO" || e.Manufacturer != "Roku" {
					t.Errorf("%s in the list = %+v", d.State().Name, e)
				}
			}
			if s := bedroom.State(); s.JoinedVia != "platformSSO" || !s.SignedIn {
				t.Errorf("roku2 state = %+v", s)
			}

			if _, err := living.MVPDSignIn(ctx, "Charter_Direct", "spectrum-7"); err != nil {
				t.Fatal(client.Explain(err))
			}
			byRoku, err := bedroom.Client().RokuConnectToken(ctx, "roku-sub-1", "", "jws")
			if err != nil {
				t.Fatal(client.Explain(err))
			}
			for _, tc := range []struct {
				name string
				dev  *client.Device
				cred client.ProfileCredential
				want string
			}{
				{"roku1, service token", living, client.ProfileCredential{ServiceToken: st1.Token}, "regular"},
				{"roku2, service token", bedroom, client.ProfileCredential{ServiceToken: st2.Token}, "serviceTokenSSO"},
				{"roku2, Roku header", bedroom, client.ProfileCredential{RokuToken: byRoku.Token}, "platformSSO"},
			} {
				p, err := tc.dev.Client().GetProfiles(ctx, "demo", tc.dev.Headers(), tc.cred, "")
				if err != nil {
					t.Fatalf("%s: %s", tc.name, client.Explain(err))
				}
				if got := p.Profiles["Charter_Direct"]; len(p.Profiles) != 1 || got.Type != tc.want || got.UserID() != "spectrum-7" {
					t.Errorf("%s: profiles = %+v, want type %s", tc.name, p.Profiles, tc.want)
				}
			}
			if p, err := other.Profiles(ctx); err != nil || len(p.Profiles) != 0 {
				t.Errorf("another subscriber sees %+v, %v", p, err)
			}
		})
	}
}

// TestRokuTokensRefused: a tampered, expired, wrongly signed or wrongly encrypted
// connect token is 401 header_invalid, on POST serviceToken and on profiles alike.
func TestRokuTokensRefused(t *testing.T) {
	ctx := context.Background()
	clk := newClock()
	base := startSandbox(t, "memory", clk.Now)
	foreign := startSandbox(t, "memory", clk.Now) // its own Roku keys
	tv := openDevice(t, client.DeviceConfig{Name: "roku", Server: base, Preset: "roku", Now: clk.Now})
	stranger := openDevice(t, client.DeviceConfig{Name: "roku", Server: foreign, Preset: "roku", Now: clk.Now})
	issue := func(d *client.Device, format string) string {
		t.Helper()
		ct, err := d.Client().RokuConnectToken(ctx, "roku-sub-9", "", format)
		if err != nil {
			t.Fatal(client.Explain(err))
		}
		return ct.Token
	}
	tamper := func(tok string, part int) string {
		p := strings.Split(tok, ".")
		b := []byte(p[part])
		if i := len(b) / 2; b[i] == 'A' { // still Base64url, other bytes
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		p[part] = string(b)
		return strings.Join(p, ".")
	}
	expired := issue(tv, "jws")
	expiredJWE := issue(tv, "jwe")
	clk.Set(clk.Now().Add(16 * time.Minute))
	cases := map[string]string{
		"tampered JWS claims":              tamper(issue(tv, "jws"), 1),
		"tampered JWS signature":           tamper(issue(tv, "jws"), 2),
		"tampered JWE ciphertext":          tamper(issue(tv, "jwe"), 3),
		"expired JWS":                      expired,
		"expired JWE":                      expiredJWE,
		"JWS signed by another sandbox":    issue(stranger, "jws"),
		"JWE encrypted by another sandbox": issue(stranger, "jwe"),
		"not a token":                      "hello",
	}
	var ae *client.APIError
	for name, tok := range cases {
		_, err := tv.JoinWithPlatformToken(ctx, tok)
		if !errors.As(err, &ae) || ae.HTTPStatus != 401 || ae.Code != "header_invalid" || ae.Message == "" {
			t.Errorf("%s on serviceToken: %v", name, err)
		}
		_, err = tv.Client().GetProfiles(ctx, "demo", tv.Headers(), client.ProfileCredential{RokuToken: tok}, "")
		if !errors.As(err, &ae) || ae.HTTPStatus != 401 || ae.Code != "header_invalid" {
			t.Errorf("%s on profiles: %v", name, err)
		}
	}
	if _, err := tv.JoinWithPlatformToken(ctx, issue(tv, "jwe")); err != nil {
		t.Fatalf("a good token after the refusals: %s", client.Explain(err))
	}
}
