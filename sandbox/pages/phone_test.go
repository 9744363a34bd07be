package pages

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestPhonePage(t *testing.T) {
	rec := httptest.NewRecorder()
	if err := WritePhone(rec, http.StatusOK, Phone{ServiceProvider: "acme<x>"}); err != nil {
		t.Fatal(err)
	}
	body := checkHeaders(t, rec, http.StatusOK)
	for _, want := range []string{
		`<meta name="viewport" content="width=device-width, initial-scale=1">`,
		`data-sp="acme&lt;x&gt;"`, `id="signin-form"`, `id="sso-id"`, `id="make-code"`, `id="link-code"`,
		`id="countdown"`, `id="devices"`, "prefers-color-scheme: dark", "var handoffSSO", `"handoff-phone-page"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the phone page lacks %q", want)
		}
	}
	if strings.Contains(body, "acme<x>") {
		t.Error("the service provider is not escaped")
	}
}
