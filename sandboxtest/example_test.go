package sandboxtest_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/sandbox"
	"github.com/handoff-sso/handoff/sandboxtest"
)

// tvApp is the app under test: a TV that redeems a link code typed by its user, and
// retries once when the service says to.
type tvApp struct {
	base, accessToken, deviceKey string
}

var errCodeRefused = errors.New("the code was refused: ask the phone for a new one")

func (a tvApp) redeem(code string) (serviceToken string, err error) {
	for attempt := 0; ; attempt++ {
		req, _ := http.NewRequest("POST", a.base+"/api/demo/serviceToken", nil)
		req.Header.Set("Authorization", "Bearer "+a.accessToken)
		req.Header.Set("AP-Device-Identifier", "fingerprint "+a.deviceKey)
		req.Header.Set("X-SSO-LINK", code)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return "", err
		}
		var body struct {
			ServiceToken string `json:"serviceToken"`
			Error        struct {
				Code   string `json:"code"`
				Action string `json:"action"`
			} `json:"error"`
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		switch {
		case err != nil:
			return "", err
		case resp.StatusCode == http.StatusCreated:
			return body.ServiceToken, nil
		case body.Error.Action == "retry" && attempt == 0:
			continue
		case body.Error.Code == "invalid_parameter_code":
			return "", errCodeRefused
		}
		return "", fmt.Errorf("the service answered %d %s", resp.StatusCode, body.Error.Code)
	}
}

// TestExample is how an app team tests its TV app against the sandbox: a signed-in
// phone makes a link code; the app redeems it, survives one failure of the service,
// and says the right thing about a code that has expired.
func TestExample(t *testing.T) {
	sb := sandboxtest.New(t)
	phone := sb.SignedInDevice("alice")
	tv := tvApp{base: sb.URL, accessToken: sb.AccessToken(), deviceKey: sandboxtest.DeviceKey("living-room tv")}

	// The service fails once; the app retries and joins alice's profile.
	sb.AddFault(sandbox.FaultSpec{Route: "POST /api/{sp}/serviceToken", Status: 503, Times: 1})
	if _, err := tv.redeem(sb.LinkCode(phone)); err != nil {
		t.Fatalf("redeem after one 503: %v", err)
	}
	if st := sb.State(); st.Devices != 2 || st.Profiles != 1 || st.Faults != 0 {
		t.Fatalf("state %+v, want alice's two devices and the fault spent", st)
	}

	// Ten minutes later (without waiting ten minutes) the next code has expired.
	code := sb.LinkCode(phone)
	sb.Advance(10 * time.Minute)
	if _, err := tv.redeem(code); !errors.Is(err, errCodeRefused) {
		t.Fatalf("an expired code: %v, want %v", err, errCodeRefused)
	}
}

func TestHelpers(t *testing.T) {
	sb := sandboxtest.New(t, sandboxtest.WithSeed(7))
	if c := sb.Clock(); c.Shifted || c.Offset() != 0 {
		t.Fatalf("a new sandbox's clock is shifted: %+v", c)
	}
	at := time.Date(2031, 5, 6, 7, 8, 9, 0, time.UTC)
	if c := sb.SetClock(at); !c.Shifted || c.Now.Sub(at).Abs() > time.Minute {
		t.Fatalf("SetClock: %+v", c)
	}
	if c := sb.ResetClock(); c.Shifted || time.Since(c.Now).Abs() > time.Minute {
		t.Fatalf("ResetClock: %+v", c)
	}
	sb.AddFault(sandbox.FaultSpec{Route: "GET /api/{sp}/list", Status: 500})
	phone := sb.SignedInDevice("bob")
	if sb.State().Faults != 1 || !sb.State().Seeded {
		t.Fatalf("state %+v", sb.State())
	}
	sb.ClearFaults()
	sb.Reset()
	if st := sb.State(); st.Devices != 0 || st.Clients != 0 || st.Faults != 0 {
		t.Fatalf("after Reset and ClearFaults: %+v", st)
	}
	if phone.ServiceToken == "" || phone.Key != sandboxtest.DeviceKey(phone.Name) {
		t.Fatalf("device %+v", phone)
	}
	// Seeded: a second sandbox with the same seed gives the same first code.
	a, b := sandboxtest.New(t, sandboxtest.WithSeed(9)), sandboxtest.New(t, sandboxtest.WithSeed(9))
	if ca, cb := a.LinkCode(a.SignedInDevice("x")), b.LinkCode(b.SignedInDevice("x")); ca != cb {
		t.Fatalf("seed 9 twice: %s and %s", ca, cb)
	}
}
