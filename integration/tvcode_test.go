package integration

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
)

// The TV shows the code (issue 16), with client.Device against the real sandbox on
// loopback: the TV asks for a code (REST v2 session or legacy regcode), polls, a
// second screen activates it and signs in, the TV finds the sign-in and plays.

func TestTVCodeFlows(t *testing.T) {
	for _, driver := range drivers {
		for _, legacy := range []bool{false, true} {
			name := driver + "/v2"
			if legacy {
				name = driver + "/legacy"
			}
			t.Run(name, func(t *testing.T) {
				ctx := context.Background()
				base := startSandbox(t, driver, nil)
				tv := openDevice(t, client.DeviceConfig{Name: "tv", Server: base, Role: assets.RoleSecondary})
				phone := openDevice(t, client.DeviceConfig{Name: "phone", Server: base})

				code, err := tv.ShowCode(ctx, legacy, "")
				if err != nil {
					t.Fatal(client.Explain(err))
				}
				if code.Legacy != legacy || code.Code == "" || code.ActivationURL != base+"/sandbox/activate" ||
					!strings.HasPrefix(code.ActivationPageURL, base+"/sandbox/activate?code=") || code.NotAfter <= code.NotBefore {
					t.Fatalf("code = %+v", code)
				}
				if s, err := tv.PollCodeSignIn(ctx, code); s != nil || err != nil {
					t.Fatalf("poll before the second screen: %+v %v", s, err)
				}
				if _, err := tv.Authn(ctx, false); !client.IsNoAuthentication(err) {
					t.Fatalf("seed 004's call before the second screen: %v, want 404", err)
				}
				if _, err := tv.Authorize(ctx, "live"); !client.IsNotAuthenticated(err) || !strings.Contains(client.Explain(err), "TV code") {
					t.Fatalf("authorize before sign-in: %v (%s)", err, client.Explain(err))
				}

				waited := make(chan error, 1)
				var got *client.CodeSignIn
				go func() {
					var err error
					got, err = tv.WaitForCodeSignIn(ctx, code, 20*time.Millisecond)
					waited <- err
				}()
				login, err := phone.ActivateCode(ctx, strings.ToLower(code.Code), "Cox", "tv-viewer")
				if err != nil {
					t.Fatal(client.Explain(err))
				}
				if login.MVPD != "Cox" || login.UserID != "tv-viewer" {
					t.Fatalf("second screen login = %+v", login)
				}
				select {
				case err := <-waited:
					if err != nil || got.MVPD != "Cox" || got.UserID != "tv-viewer" || got.NotAfter != login.NotAfter {
						t.Fatalf("the TV's wait: %+v %v", got, err)
					}
				case <-time.After(10 * time.Second):
					t.Fatal("the TV did not notice the sign-in")
				}
				for _, asXML := range []bool{false, true} {
					a, err := tv.Authn(ctx, asXML)
					if err != nil || a.MVPD != "Cox" || a.UserID != "tv-viewer" {
						t.Errorf("seed 004's call after the sign-in (xml %v): %+v %v", asXML, a, err)
					}
				}

				d, err := tv.Authorize(ctx, "live")
				if err != nil || !d.Authorized || d.Token == nil || d.Token.SerializedToken == "" || d.MVPD != "Cox" || d.Resource != "live" {
					t.Fatalf("permit: %+v %v", d, err)
				}
				d, err = tv.Authorize(ctx, "denied-premium")
				if err != nil || d.Authorized || d.Token != nil || d.Error == nil || d.Error.Code != "authorization_denied_by_mvpd" {
					t.Fatalf("deny: %+v %v", d, err)
				}

				_, err = phone.ActivateCode(ctx, code.Code, "Dish", "someone-else")
				var te *client.TVCodeError
				if !errors.As(err, &te) || !te.Used || !strings.Contains(client.Explain(err), "already used") {
					t.Fatalf("second activation: %v (%s)", err, client.Explain(err))
				}
			})
		}
	}
}

func TestRegcodeXML(t *testing.T) {
	ctx := context.Background()
	base := startSandbox(t, "memory", nil)
	tv := openDevice(t, client.DeviceConfig{Name: "tv", Server: base, Role: assets.RoleSecondary})
	for _, asXML := range []bool{true, false} {
		code, err := tv.Client().CreateRegcode(ctx, "demo", tv.Headers(), "Dish", 90*time.Second, asXML)
		if err != nil {
			t.Fatal(client.Explain(err))
		}
		if !code.Legacy || code.MVPD != "Dish" || code.ServiceProvider != "demo" || code.NotAfter.Time().Sub(code.NotBefore.Time()) != 90*time.Second {
			t.Errorf("regcode (xml %v) = %+v", asXML, code)
		}
	}
	if _, err := tv.Client().CreateRegcode(ctx, "demo", tv.Headers(), "", 11*time.Hour, false); !client.IsBadInput(err) {
		t.Errorf("an 11-hour regcode: %v, want bad input", err)
	}
}

func TestTVCodeExpiry(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		ctx := context.Background()
		clk := newClock()
		base := startSandbox(t, "memory", clk.Now)
		tv := openDevice(t, client.DeviceConfig{Name: "tv", Server: base, Role: assets.RoleSecondary, Now: clk.Now})
		phone := openDevice(t, client.DeviceConfig{Name: "phone", Server: base, Now: clk.Now})
		code, err := tv.ShowCode(ctx, legacy, "Cox")
		if err != nil {
			t.Fatal(client.Explain(err))
		}
		clk.Set(code.NotAfter.Time())
		var te *client.TVCodeError
		if _, err := tv.WaitForCodeSignIn(ctx, code, time.Millisecond); !errors.As(err, &te) || te.Used || !client.IsTVCodeGone(err) {
			t.Errorf("legacy %v: waiting past the expiry: %v", legacy, err)
		}
		_, err = phone.ActivateCode(ctx, code.Code, "", "late")
		if !errors.As(err, &te) || te.Used || te.Refusal == nil || !strings.Contains(client.Explain(err), "wrong or expired") {
			t.Errorf("legacy %v: activating an expired code: %v (%s)", legacy, err, client.Explain(err))
		}
		if !legacy {
			code.NotAfter = 0 // ask the service, not the local clock
			if _, err := tv.PollCodeSignIn(ctx, code); !errors.As(err, &te) || te.Refusal == nil || te.Refusal.HTTPStatus != 404 {
				t.Errorf("profiles/code of an expired code: %v", err)
			}
		}
	}
}

// TestTVCodeSeedDirectionDecision: the seed's TV, linked with the phone's code, plays
// with its service token; the comparison the walkthrough makes.
func TestTVCodeSeedDirectionDecision(t *testing.T) {
	ctx := context.Background()
	base := startSandbox(t, "memory", nil)
	phone := openDevice(t, client.DeviceConfig{Name: "phone", Server: base})
	tv := openDevice(t, client.DeviceConfig{Name: "tv", Server: base, Role: assets.RoleSecondary})
	if _, err := phone.SignIn(ctx, "dora@example.com"); err != nil {
		t.Fatal(client.Explain(err))
	}
	if _, err := phone.MVPDSignIn(ctx, "Verizon", "dora-fios"); err != nil {
		t.Fatal(client.Explain(err))
	}
	linkTV(t, ctx, phone, tv)
	if d, err := tv.Authorize(ctx, "live"); err != nil || !d.Authorized || d.MVPD != "Verizon" {
		t.Fatalf("the linked TV plays with no second TV provider sign-in: %+v %v", d, err)
	}
}
