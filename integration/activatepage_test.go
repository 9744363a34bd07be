package integration

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
)

// pageHeading is the page's h1, or "" while it loads.
const pageHeading = `(function(){var h=document.querySelector("h1");return h?h.textContent:""})()`

// TestActivatePageInChromium: the TV shows a code; a real headless Chromium, sized
// like a phone, opens the QR's URL, finds the code filled in, picks a TV provider,
// signs in on the MVPD login, and the TV's poll finds the sign-in. The page loads no
// external asset, fits the phone's width, and follows the dark colour scheme.
func TestActivatePageInChromium(t *testing.T) {
	chromiumPath(t)
	ctx := context.Background()
	base := startSandbox(t, "memory", nil)
	tv := openDevice(t, client.DeviceConfig{Name: "tv", Server: base, Role: assets.RoleSecondary})
	code, err := tv.ShowCode(ctx, false, "")
	if err != nil {
		t.Fatal(client.Explain(err))
	}

	b := launchBrowser(t, t.TempDir())
	defer b.close()
	if err := b.call("Emulation.setDeviceMetricsOverride", map[string]any{"width": 360, "height": 740, "deviceScaleFactor": 2, "mobile": true}, nil); err != nil {
		t.Fatal(err)
	}
	background := func() string {
		var bg string
		mustEval(t, b, `getComputedStyle(document.body).backgroundColor`, &bg)
		return bg
	}
	b.navigate(code.ActivationPageURL)
	b.waitFor(pageHeading, 30*time.Second, "Activate your TV")
	var prefilled string
	var fits, noAssets bool
	var providers int
	mustEval(t, b, `document.getElementById("code").value`, &prefilled)
	mustEval(t, b, `document.querySelectorAll("#mvpd option[value]:not([value=''])").length`, &providers)
	mustEval(t, b, `document.documentElement.scrollWidth <= window.innerWidth`, &fits)
	var resources []string
	mustEval(t, b, `performance.getEntriesByType("resource").map(function(e){return e.name})`, &resources)
	noAssets = true
	for _, r := range resources {
		noAssets = noAssets && strings.HasPrefix(r, base+"/")
	}
	if prefilled != code.Code || providers != len(assets.MVPDs()) || !fits || !noAssets {
		t.Fatalf("activation page: code %q (want %q), %d providers, fits %v, loads %q", prefilled, code.Code, providers, fits, resources)
	}
	light := background()
	if err := b.call("Emulation.setEmulatedMedia", map[string]any{"features": []map[string]string{{"name": "prefers-color-scheme", "value": "dark"}}}, nil); err != nil {
		t.Fatal(err)
	}
	if dark := background(); dark == light {
		t.Errorf("the page's background is %s in light and dark alike", dark)
	}

	dish, _ := assets.LookupMVPD("Dish")
	var submitted bool
	mustEval(t, b, `(function(){document.getElementById("mvpd").value="Dish";document.querySelector("form").submit();return true})()`, &submitted)
	b.waitFor(pageHeading, 30*time.Second, "Sign in to "+dish.Name)
	if s, err := tv.PollCodeSignIn(ctx, code); s != nil || err != nil {
		t.Fatalf("the TV's poll between activation and sign-in: %+v %v", s, err)
	}
	mustEval(t, b, `(function(){document.getElementById("userId").value="dish-on-phone";document.querySelector("form").submit();return true})()`, &submitted)
	b.waitFor(pageHeading, 30*time.Second, "Signed in to "+dish.Name)

	s, err := tv.PollCodeSignIn(ctx, code)
	if err != nil || s == nil || s.MVPD != "Dish" || s.UserID != "dish-on-phone" {
		t.Fatalf("the TV's poll after the browser signed in: %+v %v", s, err)
	}

	b.navigate(code.ActivationPageURL) // the same code again: refused in words, on the page
	b.waitFor(pageHeading, 30*time.Second, "Activate your TV")
	mustEval(t, b, `(function(){document.getElementById("mvpd").value="Cox";document.querySelector("form").submit();return true})()`, &submitted)
	deadline := time.Now().Add(30 * time.Second)
	var main string
	for !strings.Contains(main, "already used") {
		_ = b.eval(`document.querySelector("main") ? document.querySelector("main").innerText : ""`, &main)
		if time.Now().After(deadline) {
			t.Fatalf("a spent code on the page: %q", main)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
