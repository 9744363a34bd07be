package integration

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/integration/seedserver"
	"github.com/handoff-sso/handoff/present"
)

// startSeed serves an independent seed server on a loopback port until the test ends.
func startSeed(tb testing.TB, cfg seedserver.Config) (*seedserver.Server, string) {
	tb.Helper()
	srv, err := seedserver.New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	tb.Cleanup(hs.Close)
	return srv, hs.URL
}

// seedPair opens a phone and a TV on a seed server; the statement is the dashboard's
// when the server offers none of its own.
func seedPair(tb testing.TB, srv *seedserver.Server, url string, v seedserver.Variants, now func() time.Time) (phone, tv *client.Device) {
	var statement []byte
	if v.NoSandbox {
		statement = srv.SoftwareStatement()
	}
	phone = openDevice(tb, client.DeviceConfig{Name: "phone", Server: url, SoftwareStatement: statement, Now: now})
	tv = openDevice(tb, client.DeviceConfig{Name: "tv", Server: url, SoftwareStatement: statement, Role: assets.RoleSecondary, Now: now})
	return phone, tv
}

// TestSeedServerFlow runs the seed's two-device flow through client.Device against
// the independent server, once per variant the seed allows: sign in, link, redeem
// as typed, read the TV provider authentication (v1), list, unlink, refused.
func TestSeedServerFlow(t *testing.T) {
	variants := map[string]seedserver.Variants{
		"plain":              {},
		"no sandbox":         {NoSandbox: true},
		"alphanumeric":       {AlphanumericCodes: true},
		"typed attributes":   {TypedAttributes: true},
		"v1 path only":       {V1PathOnly: true},
		"plain-text 404":     {PlainText404: true},
		"unknown fields":     {UnknownFields: true},
		"RS256":              {Alg: "RS256"},
		"ES256":              {Alg: "ES256"},
		"short tokens":       {TokenTTL: 2 * time.Second},
		"hostile":            {Hostile: true},
		"everything at once": {NoSandbox: true, AlphanumericCodes: true, TypedAttributes: true, V1PathOnly: true, UnknownFields: true, Alg: "ES256", Hostile: true},
	}
	for name, v := range variants {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			srv, url := startSeed(t, seedserver.Config{Variants: v})
			phone, tv := seedPair(t, srv, url, v, nil)

			if _, err := phone.SignIn(ctx, "alice"); err != nil {
				t.Fatalf("sign-in: %s", client.Explain(err))
			}
			lc, err := phone.Link(ctx)
			if err != nil {
				t.Fatalf("link: %s", client.Explain(err))
			}
			codePattern := `^[0-9]{6}$`
			if v.AlphanumericCodes {
				codePattern = `^[A-Z0-9]{6}$`
			}
			if !regexp.MustCompile(codePattern).MatchString(lc.Code) || !json.Valid(lc.Raw) {
				t.Fatalf("link code %q (raw %s)", lc.Code, lc.Raw)
			}
			if u := client.LinkURL(url, "", lc.Code); !strings.HasSuffix(u, "code="+lc.Code) {
				t.Errorf("link URL %s", u)
			}
			if _, err := tv.Redeem(ctx, lc.Code[:3]+"-"+lc.Code[3:]); err != nil {
				t.Fatalf("redeem %q: %s", lc.Code, client.Explain(err))
			}

			srv.Authenticate("alice", "Cox", "u-42", time.Now().Add(30*24*time.Hour))
			for _, asXML := range []bool{false, true} {
				a, err := tv.Authn(ctx, asXML)
				if v.PlainText404 {
					if err == nil || client.IsNoAuthentication(err) || !strings.Contains(client.Explain(err), "no such endpoint") {
						t.Errorf("v1 on a server without it: %v → %q", err, client.Explain(err))
					}
					continue
				}
				if err != nil {
					t.Fatalf("v1 authn (xml %v): %s", asXML, client.Explain(err))
				}
				if a.MVPD != "Cox" || a.UserID != "u-42" || (a.Format == "xml") != asXML {
					t.Errorf("v1 authn (xml %v) = %+v", asXML, a)
				}
			}

			phoneKey, tvKey := phone.State().Key, tv.State().Key
			list, err := tv.Devices(ctx)
			if err != nil {
				t.Fatalf("list: %s", client.Explain(err))
			}
			if len(list.Devices) != 2 || list.Devices[phoneKey].Type != "regular" || list.Devices[tvKey].Type != "sso" {
				t.Fatalf("list = %+v", list.Devices)
			}
			p := list.Devices[phoneKey]
			if p.DeviceType != "mobile" || p.OSVersion != "18.1" || p.LastSeen == 0 {
				t.Errorf("phone entry = %+v", p)
			}
			if v.TypedAttributes && (p.Text("hdr") != "true" || p.Text("screen") != `{"height":2160,"width":3840}` || !strings.Contains(string(list.Raw), `"osVersion":18.1`)) {
				t.Errorf("typed attributes lost: %q %q", p.Text("hdr"), p.Text("screen"))
			}
			out, err := client.WithDevice(list.Raw, list, "tv")
			if err != nil {
				t.Fatal(err)
			}
			if v.UnknownFields && (!strings.Contains(string(out), `"weight":0.5`) || !strings.Contains(string(out), `"firmwareBuild":"A.1"`)) {
				t.Errorf("--json lost the unknown fields: %s", out)
			}
			if v.Hostile {
				checkHostileShownSafe(t, p, out)
			}

			res, err := phone.Unlink(ctx, tvKey, "bm90LWEta2V5")
			if err != nil || len(res.UnlinkedDevices) != 1 || res.UnlinkedDevices[0] != tvKey {
				t.Fatalf("unlink: %+v, %s", res, client.Explain(err))
			}
			if _, err := tv.Devices(ctx); !client.IsUnlinked(err) {
				t.Errorf("the unlinked TV listed: %v", err)
			}
			_, err = tv.Redeem(ctx, lc.Code)
			if !client.IsCodeRejected(err) {
				t.Errorf("a spent code: %v", err)
			}
			if msg := client.Explain(err); strings.ContainsAny(msg, "\x1b\x07\r\n\u009b\u202e") {
				t.Errorf("Explain passed server text raw: %q", msg)
			}
			// A refusal whose explanation quotes the server's message and trace.
			_, err = phone.Client().RefreshServiceToken(ctx, "demo", phone.Headers(), "")
			msg := client.Explain(err)
			if strings.ContainsAny(msg, "\x1b\x07\r\n\u009b\u202e") || !strings.Contains(msg, "AD-Service-Token") {
				t.Errorf("Explain of a server message: %q", msg)
			}
			if v.Hostile && (!strings.Contains(msg, `\x1b]52;c;cHduZWQ=\x07`) || !strings.Contains(msg, `\u202eevil`)) {
				t.Errorf("the hostile message is not shown escaped: %q", msg)
			}
		})
	}
}

// checkHostileShownSafe: what a hostile server or member wrote is kept as data, and
// comes out escaped through present, never raw.
func checkHostileShownSafe(t *testing.T, e client.DeviceEntry, jsonOut []byte) {
	t.Helper()
	if !strings.Contains(e.Model, "\x1b]52;") {
		t.Fatalf("the client should keep the data as received: %q", e.Model)
	}
	for _, name := range e.Names() {
		shown := present.Safe(e.Text(name))
		if strings.ContainsAny(shown, "\x1b\x07\r\n\u009b\u202e") {
			t.Errorf("%s shown raw: %q", name, shown)
		}
	}
	if got := present.Safe(e.Text("nickname")); !strings.Contains(got, `\x1b]0;pwned\x07`) || !strings.Contains(got, `\u202eevil\r\n`) {
		t.Errorf("nickname shown as %q", got)
	}
	safe := present.SafeJSON(jsonOut)
	if strings.ContainsAny(string(safe), "\u009b\u202e\x1b") {
		t.Errorf("--json output holds raw controls: %q", safe)
	}
	var a, b any
	if json.Unmarshal(safe, &a) != nil || json.Unmarshal(jsonOut, &b) != nil {
		t.Fatal("--json output is not JSON")
	}
	if ja, _ := json.Marshal(a); string(ja) != func() string { jb, _ := json.Marshal(b); return string(jb) }() {
		t.Error("escaping changed the values")
	}
}

// TestSeedServerSoftwareStatement: a real server has no /sandbox/software-statement;
// without a statement the client says how to give one, with a wrong one it says the
// server refused it, with the dashboard's it registers.
func TestSeedServerSoftwareStatement(t *testing.T) {
	ctx := context.Background()
	srv, url := startSeed(t, seedserver.Config{Variants: seedserver.Variants{NoSandbox: true}})
	bare := openDevice(t, client.DeviceConfig{Name: "phone", Server: url})
	_, err := bare.SignIn(ctx, "alice")
	var ns *client.NoSoftwareStatementError
	if !errors.As(err, &ns) || !strings.Contains(client.Explain(err), "--software-statement FILE") || !strings.Contains(client.Explain(err), "HANDOFF_SOFTWARE_STATEMENT") {
		t.Fatalf("no statement: %v → %q", err, client.Explain(err))
	}
	other, _ := startSeed(t, seedserver.Config{})
	wrong := openDevice(t, client.DeviceConfig{Name: "phone", Server: url, SoftwareStatement: other.SoftwareStatement()})
	if _, err := wrong.SignIn(ctx, "alice"); !strings.Contains(client.Explain(err), "refused the software statement") {
		t.Errorf("another server's statement: %q", client.Explain(err))
	}
	doc, _ := json.Marshal(map[string]string{"software_statement": string(srv.SoftwareStatement())})
	good := openDevice(t, client.DeviceConfig{Name: "phone", Server: url, SoftwareStatement: append(doc, '\n')})
	if _, err := good.SignIn(ctx, "alice"); err != nil {
		t.Fatalf("the dashboard's statement (as its JSON): %s", client.Explain(err))
	}
}

// TestSeedServerExpiry is seed step 2 on the clock of both sides: an expired token
// is refreshed before the call (GET serviceToken with the expired token, within the
// grace); a token the server calls expired while the device thinks it fresh gets one
// refresh and one retry; past the grace the refused refresh drops it.
func TestSeedServerExpiry(t *testing.T) {
	ctx := context.Background()
	devClock, srvClock := newClock(), newClock()
	v := seedserver.Variants{TokenTTL: 10 * time.Second, Grace: time.Hour}
	srv, url := startSeed(t, seedserver.Config{Variants: v, Now: srvClock.Now})
	phone, _ := seedPair(t, srv, url, v, devClock.Now)
	st, err := phone.SignIn(ctx, "alice")
	if err != nil {
		t.Fatal(client.Explain(err))
	}

	// Expired on both clocks, within the grace: refreshed first, never refused.
	devClock.Set(devClock.Now().Add(20 * time.Second))
	srvClock.Set(srvClock.Now().Add(20 * time.Second))
	refused := srv.Refused()
	if _, err := phone.Link(ctx); err != nil {
		t.Fatalf("link after expiry: %s", client.Explain(err))
	}
	if srv.Refused() != refused || phone.State().Claims.Expiry <= st.NotAfter.Time().Unix() {
		t.Errorf("refused %d times, token exp %d (was %d)", srv.Refused()-refused, phone.State().Claims.Expiry, st.NotAfter.Time().Unix())
	}

	// The server's clock is ahead: it refuses token_expired; one refresh, one retry.
	srvClock.Set(srvClock.Now().Add(30 * time.Second))
	refused = srv.Refused()
	if _, err := phone.Devices(ctx); err != nil {
		t.Fatalf("list refused as expired: %s", client.Explain(err))
	}
	if srv.Refused() != refused+1 || !phone.State().SignedIn {
		t.Errorf("refused %d times (want 1, then cured), signed in %v", srv.Refused()-refused, phone.State().SignedIn)
	}

	// Past the grace: the refresh is refused, and only then the token dropped.
	devClock.Set(devClock.Now().Add(2 * time.Hour))
	srvClock.Set(srvClock.Now().Add(2 * time.Hour))
	_, err = phone.Link(ctx)
	if err == nil || phone.State().SignedIn || !strings.Contains(client.Explain(err), "sign in again") {
		t.Errorf("past the grace: %v, signed in %v", err, phone.State().SignedIn)
	}
}

// TestSeedServerHugeList: a profile of 20 000 devices, a list of several MiB, is read
// and unlink --all-others clears it in as many calls as the request cap needs.
func TestSeedServerHugeList(t *testing.T) {
	ctx := context.Background()
	v := seedserver.Variants{ExtraDevices: 20000, ExtraBytes: 256}
	srv, url := startSeed(t, seedserver.Config{Variants: v})
	phone, tv := seedPair(t, srv, url, v, nil)
	if _, err := phone.SignIn(ctx, "alice"); err != nil {
		t.Fatal(client.Explain(err))
	}
	linkTV(t, ctx, phone, tv)
	list, err := phone.Devices(ctx)
	if err != nil {
		t.Fatalf("list: %s", client.Explain(err))
	}
	if len(list.Devices) != 20002 || len(list.Raw) < 4<<20 {
		t.Fatalf("%d devices in %d bytes", len(list.Devices), len(list.Raw))
	}
	res, err := phone.UnlinkOthers(ctx)
	if err != nil {
		t.Fatalf("unlink --all-others: %s", client.Explain(err))
	}
	var raw struct {
		Batches []json.RawMessage `json:"batches"`
	}
	if len(res.UnlinkedDevices) != 20001 || json.Unmarshal(res.Raw, &raw) != nil || len(raw.Batches) < 2 {
		t.Fatalf("unlinked %d devices in %d calls", len(res.UnlinkedDevices), len(raw.Batches))
	}
	after, err := phone.Devices(ctx)
	if err != nil || len(after.Devices) != 1 {
		t.Fatalf("after unlink --all-others: %d devices, %v", len(after.Devices), err)
	}
	if _, ok := after.Devices[phone.State().Key]; !ok {
		t.Error("the phone unlinked itself")
	}
}

// TestSeedServerHostileMember: a member of the profile whose X-Device-Info carries
// escape sequences (title, clipboard) is listed with them kept as data and shown
// escaped.
func TestSeedServerHostileMember(t *testing.T) {
	ctx := context.Background()
	srv, url := startSeed(t, seedserver.Config{})
	phone, _ := seedPair(t, srv, url, seedserver.Variants{}, nil)
	if _, err := phone.SignIn(ctx, "alice"); err != nil {
		t.Fatal(client.Explain(err))
	}
	info, _ := json.Marshal(map[string]any{"primaryHardwareType": "TV", "model": "\x1b]0;owned\x07\x1b]52;c;cHduZWQ=\x07", "osName": "\u202eLinux", "osVersion": "\x1b[2J\r\n"})
	evil := openDevice(t, client.DeviceConfig{Name: "evil", Server: url})
	hdr := client.DeviceHeaders{Key: client.NewDeviceKey(), Info: base64.StdEncoding.EncodeToString(info), UserAgent: "evil \u202e\u009b"}
	if _, err := evil.Client().CreateServiceToken(ctx, "demo", hdr, client.Identity{SSOID: "alice"}); err != nil {
		t.Fatalf("hostile member join: %s", client.Explain(err))
	}
	list, err := phone.Devices(ctx)
	if err != nil {
		t.Fatal(client.Explain(err))
	}
	e, ok := list.Devices[hdr.Key]
	if !ok || e.Model != "\x1b]0;owned\x07\x1b]52;c;cHduZWQ=\x07" {
		t.Fatalf("hostile member entry = %+v", e)
	}
	for _, name := range e.Names() {
		if shown := present.Safe(e.Text(name)); strings.ContainsAny(shown, "\x1b\x07\r\n\u202e") {
			t.Errorf("%s shown raw: %q", name, shown)
		}
	}
	if got := present.Safe(e.Model); got != `\x1b]0;owned\x07\x1b]52;c;cHduZWQ=\x07` {
		t.Errorf("model shown as %q", got)
	}
}
