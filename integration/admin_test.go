package integration

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/sandbox"
)

// startAdminSandbox serves a memory sandbox with a known admin token.
func startAdminSandbox(t *testing.T, cfg sandbox.Config) (string, *sandbox.Server) {
	t.Helper()
	cfg.Memory = true
	srv, err := sandbox.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	base, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Error(err)
		}
	})
	return base, srv
}

// The admin client the CLI's `handoff sandbox …` commands run, against a real sandbox.
func TestAdminClient(t *testing.T) {
	ctx := t.Context()
	base, srv := startAdminSandbox(t, sandbox.Config{})
	adm, err := client.NewAdmin(base, srv.AdminToken(), nil)
	if err != nil {
		t.Fatal(err)
	}

	c, raw, err := adm.Clock(ctx)
	if err != nil || c.Shifted || time.Since(c.Now).Abs() > time.Minute || !json.Valid(raw) {
		t.Fatalf("Clock: %+v %s %v", c, raw, err)
	}
	if c, _, err = adm.AdvanceClock(ctx, 36*time.Hour); err != nil || !c.Shifted || c.Offset != 36*time.Hour {
		t.Fatalf("AdvanceClock: %+v %v", c, err)
	}
	if _, _, err := adm.AdvanceClock(ctx, -time.Hour); !client.IsBadInput(err) {
		t.Fatalf("AdvanceClock(-1h): %v, want an input error", err)
	}
	at := time.Date(2030, 6, 1, 8, 0, 0, 0, time.UTC)
	if c, _, err = adm.SetClock(ctx, at); err != nil || c.Now.Sub(at).Abs() > time.Minute {
		t.Fatalf("SetClock: %+v %v", c, err)
	}
	if c, _, err = adm.ResetClock(ctx); err != nil || c.Shifted {
		t.Fatalf("ResetClock: %+v %v", c, err)
	}

	f, raw, err := adm.AddFault(ctx, client.FaultSpec{Route: "POST /api/{sp}/link", Status: 503, Times: 2, Delay: 10 * time.Millisecond})
	if err != nil || f.ID == "" || !f.Counted || f.Remaining != 2 || f.Delay != 10*time.Millisecond || !strings.Contains(string(raw), `"route"`) {
		t.Fatalf("AddFault: %+v %s %v", f, raw, err)
	}
	_, _, err = adm.AddFault(ctx, client.FaultSpec{Route: "POST /api/{sp}/nothing", Status: 503})
	if msg := client.ExplainAdmin(err); !strings.Contains(msg, "serves no route") {
		t.Fatalf("a fault on no route: %q", msg)
	}
	fs, _, err := adm.Faults(ctx)
	if err != nil || len(fs) != 1 || fs[0].Route != "POST /api/{sp}/link" || fs[0].Status != 503 {
		t.Fatalf("Faults: %+v %v", fs, err)
	}
	if n, _, err := adm.ClearFaults(ctx); err != nil || n != 1 {
		t.Fatalf("ClearFaults: %d %v", n, err)
	}

	st, raw, err := adm.State(ctx)
	if err != nil || st.Data != "memory" || st.Faults != 0 || st.Seeded || !json.Valid(raw) {
		t.Fatalf("State: %+v %s %v", st, raw, err)
	}
	if st, _, err = adm.Reset(ctx); err != nil || st.Profiles != 0 {
		t.Fatalf("Reset: %+v %v", st, err)
	}

	// A wrong token is explained, never shown as a Go error.
	bad, _ := client.NewAdmin(base, "not-the-token", nil)
	if _, _, err := bad.Clock(ctx); !strings.Contains(client.ExplainAdmin(err), "refused the admin token") {
		t.Fatalf("wrong token: %q", client.ExplainAdmin(err))
	}
	var ae *client.APIError
	if _, _, err := bad.State(ctx); !errors.As(err, &ae) || ae.HTTPStatus != 401 {
		t.Fatalf("wrong token: %v, want an APIError 401", err)
	}
	if _, err := client.NewAdmin(base, "", nil); !strings.Contains(client.ExplainAdmin(err), "--admin-token") {
		t.Fatalf("no token: %q", client.ExplainAdmin(err))
	}
}

// The token file the sandbox keeps is the one the CLI finds; the flag and
// HANDOFF_ADMIN_TOKEN come first.
func TestAdminTokenFile(t *testing.T) {
	base, srv := startAdminSandbox(t, sandbox.Config{})
	state := t.TempDir()
	path, err := sandbox.SaveAdminToken(state, base, srv.AdminToken())
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file %s: %v %v, want mode 0600", path, fi.Mode(), err)
	}
	if fi, err := os.Stat(filepath.Dir(path)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("token directory: %v %v, want mode 0700", fi.Mode(), err)
	}
	t.Setenv(client.EnvAdminToken, "")
	tok, err := client.LoadAdminToken("", state, base)
	if err != nil || tok != srv.AdminToken() {
		t.Fatalf("LoadAdminToken from the file: %q %v", tok, err)
	}
	adm, _ := client.NewAdmin(base, tok, nil)
	if _, _, err := adm.Clock(t.Context()); err != nil {
		t.Fatalf("the file's token is refused: %v", err)
	}
	t.Setenv(client.EnvAdminToken, "from-env")
	if tok, _ := client.LoadAdminToken("", state, base); tok != "from-env" {
		t.Fatalf("HANDOFF_ADMIN_TOKEN not used: %q", tok)
	}
	if tok, _ := client.LoadAdminToken("from-flag", state, base); tok != "from-flag" {
		t.Fatalf("--admin-token not used: %q", tok)
	}
	t.Setenv(client.EnvAdminToken, "")
	if err := sandbox.RemoveAdminToken(path); err != nil {
		t.Fatal(err)
	}
	if _, err := client.LoadAdminToken("", state, base); !strings.Contains(client.ExplainAdmin(err), "HANDOFF_ADMIN_TOKEN") {
		t.Fatalf("no file: %v", err)
	}
}

// What a tester sees in handoff's own client when the sandbox is told to fail: a
// dropped connection is a network error, a faulted status is the API's error, and
// both are explained in words.
func TestFaultsAsTheClientSeesThem(t *testing.T) {
	ctx := t.Context()
	base, srv := startAdminSandbox(t, sandbox.Config{})
	adm, _ := client.NewAdmin(base, srv.AdminToken(), nil)
	c, err := client.New(base, client.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := adm.AddFault(ctx, client.FaultSpec{Route: "GET /sandbox/software-statement", Drop: true, Times: 1}); err != nil {
		t.Fatal(err)
	}
	_, err = c.FetchSoftwareStatement(ctx)
	var ue *client.UnreachableError
	if !errors.As(err, &ue) || !strings.Contains(client.Explain(err), "Cannot reach") {
		t.Fatalf("a dropped call: %v (%q), want an UnreachableError", err, client.Explain(err))
	}
	if _, _, err := adm.AddFault(ctx, client.FaultSpec{Route: "GET /sandbox/software-statement", Status: 503, Times: 1}); err != nil {
		t.Fatal(err)
	}
	_, err = c.FetchSoftwareStatement(ctx)
	var ae *client.APIError
	if !errors.As(err, &ae) || ae.HTTPStatus != 503 || ae.Code != "service_unavailable" || ae.Action != "retry" || ae.RetryAfter <= 0 {
		t.Fatalf("a 503 fault: %#v", err)
	}
	if st, err := c.FetchSoftwareStatement(ctx); err != nil || st == "" {
		t.Fatalf("after both faults: %q %v", st, err)
	}
}
