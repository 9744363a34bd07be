package client

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

// A server's link code is drawn, typed and put in a URL: one that is not letters
// and digits is refused, not shown.
func TestLinkCodeFromAServerIsChecked(t *testing.T) {
	f := newFakeSSO(t)
	d, _ := OpenDevice(DeviceConfig{Name: "phone", Server: f.URL})
	if _, err := d.SignIn(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	for code, ok := range map[string]bool{"6ZJV85": true, "\x1b[2J12": false, "12-34-56": false, "12 34": false, "ab\u202e12": false} {
		f.mu.Lock()
		f.endpoint = func(w http.ResponseWriter, r *http.Request) {
			writeJSON(w, 201, map[string]any{"status": "CREATED", "code": code, "notAfter": 1})
		}
		f.mu.Unlock()
		lc, err := d.Link(ctx)
		if ok != (err == nil) || (ok && lc.Code != code) {
			t.Errorf("server code %q: %+v, %v", code, lc, err)
		}
		if !ok && (!IsUnavailable(err) || strings.ContainsAny(Explain(err), "\x1b\u202e")) {
			t.Errorf("server code %q: %v → %q", code, err, Explain(err))
		}
	}
}

// An answer past the cap is refused as such, whatever the server announces, while
// a list of several MiB is read.
func TestAnswerCap(t *testing.T) {
	f := newFakeSSO(t)
	d, _ := OpenDevice(DeviceConfig{Name: "phone", Server: f.URL})
	if _, err := d.SignIn(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	size := 0
	f.mu.Lock()
	f.endpoint = func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		pad := strings.Repeat("x", size)
		_, _ = w.Write([]byte(`{"devices":{"k":{"type":"sso","pad":"` + pad + `"}}}`))
	}
	f.mu.Unlock()
	size = 8 << 20
	if l, err := d.Devices(ctx); err != nil || len(l.Raw) < size || l.Devices["k"].Type != "sso" {
		t.Fatalf("8 MiB list: %v", err)
	}
	size = maxResponseBody
	_, err := d.Devices(ctx)
	var pe *ProtocolError
	if !errors.As(err, &pe) || !strings.Contains(pe.Problem, "larger than 32 MiB") {
		t.Fatalf("over the cap: %v", err)
	}
}

// The sandbox's statement endpoint is asked only when the caller gave none.
func TestGivenStatementSkipsTheSandbox(t *testing.T) {
	f := newFakeSSO(t)
	jwt := fakeJWT(map[string]any{"software_id": "x"})
	d, _ := OpenDevice(DeviceConfig{Name: "phone", Server: f.URL, SoftwareStatement: []byte(jwt + "\n")})
	if _, err := d.SignIn(ctx, "alice"); err != nil {
		t.Fatal(err)
	}
	if f.statements.Load() != 0 || f.registers.Load() != 1 {
		t.Errorf("statements fetched %d, registrations %d", f.statements.Load(), f.registers.Load())
	}
}
