package integration

import (
	"context"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/client"
)

// appState reads the link page's state ("joined", "unlinked", "error", …).
const appState = `(function(){var a=document.getElementById("app");return a?a.dataset.state:""})()`

// TestLinkPageInChromium: the phone signs in with a TV provider and makes a code; a
// real headless Chromium opens the QR's URL, joins the profile as a secondary device
// and shows the profile and its provider; the phone lists it as "sso" with the
// browser's own User-Agent; after the phone unlinks it, the page, reopened in a
// restarted browser on the same profile directory, says it was unlinked.
func TestLinkPageInChromium(t *testing.T) {
	chromiumPath(t)
	ctx := context.Background()
	base := startSandbox(t, "memory", nil)
	phone := openDevice(t, client.DeviceConfig{Name: "phone", Server: base})
	st, err := phone.SignIn(ctx, "frank@example.com")
	if err != nil {
		t.Fatal(client.Explain(err))
	}
	if _, err := phone.MVPDSignIn(ctx, "Verizon", "frank-fios"); err != nil {
		t.Fatal(client.Explain(err))
	}
	lc, err := phone.Link(ctx)
	if err != nil {
		t.Fatal(client.Explain(err))
	}
	pageURL := base + "/sandbox/link?" + url.Values{"code": {lc.Code[:3] + "-" + lc.Code[3:]}}.Encode()
	profileDir := filepath.Join(t.TempDir(), "chromium-profile")

	b := launchBrowser(t, profileDir)
	b.navigate(pageURL)
	if state := b.waitFor(appState, 30*time.Second, "joined", "error"); state != "joined" {
		t.Fatalf("the page did not join: %s", b.text("status"))
	}
	var ua, key, profileID, provider string
	mustEval(t, b, "navigator.userAgent", &ua)
	mustEval(t, b, `document.getElementById("device-key").textContent`, &key)
	mustEval(t, b, `document.getElementById("profile-id").textContent`, &profileID)
	mustEval(t, b, `document.getElementById("provider").textContent`, &provider)
	claims, _ := client.DecodeClaims(st.Token)
	if profileID != claims.Subject || !strings.Contains(provider, "Verizon") || !strings.Contains(provider, "frank-fios") {
		t.Errorf("page shows profile %q and provider %q; want %q and Verizon/frank-fios", profileID, provider, claims.Subject)
	}
	var fallbackOK bool
	mustEval(t, b, `(async()=>{const d=new TextEncoder().encode("handoff");
		const a=new Uint8Array(await crypto.subtle.digest("SHA-256",d));const f=window.handoffLink.sha256(d);
		return a.length===32&&a.every((x,i)=>x===f[i]);})()`, &fallbackOK)
	if !fallbackOK {
		t.Error("the page's SHA-256 for insecure contexts differs from crypto.subtle")
	}

	list, err := phone.Devices(ctx)
	if err != nil {
		t.Fatal(client.Explain(err))
	}
	entry, ok := list.Devices[key]
	if !ok || entry.Type != "sso" || entry.UserAgent != ua || !strings.Contains(ua, "Chrome") {
		t.Fatalf("the phone's list = %+v; want the browser %q as sso with User-Agent %q", list.Devices, key, ua)
	}

	b.navigate(pageURL) // a reload re-checks the link rather than joining again
	if state := b.waitFor(appState, 30*time.Second, "joined", "error", "unlinked"); state != "joined" {
		t.Fatalf("reload while linked: %s: %s", state, b.text("status"))
	}
	b.close()

	if _, err := phone.Unlink(ctx, key); err != nil {
		t.Fatal(client.Explain(err))
	}
	b = launchBrowser(t, profileDir)
	b.navigate(pageURL)
	if state := b.waitFor(appState, 30*time.Second, "unlinked", "joined", "error"); state != "unlinked" {
		t.Fatalf("after the unlink the page is %q: %s", state, b.text("status"))
	}
	if msg := b.text("status"); !strings.Contains(msg, "unlinked") {
		t.Errorf("status after the unlink = %q", msg)
	}
	if list, err := phone.Devices(ctx); err != nil || len(list.Devices) != 1 {
		t.Errorf("the reload joined again: %+v, %v", list, err)
	}
	b.close()
}

// text is an element's visible text, for failure messages and checks.
func (b *browser) text(id string) string {
	var s string
	if err := b.eval(`(function(){var e=document.getElementById("`+id+`");return e?e.innerText:""})()`, &s); err != nil {
		return "(" + err.Error() + ")"
	}
	return s
}

func mustEval(t *testing.T, b *browser, expr string, out any) {
	t.Helper()
	if err := b.eval(expr, out); err != nil {
		t.Fatal(err)
	}
}
