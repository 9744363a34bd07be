package pages

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"
)

var nonceAttr = regexp.MustCompile(`nonce="([^"]+)"`)

// checkHeaders asserts the security headers and that every inline block carries the
// nonce the CSP allows, and returns the body.
func checkHeaders(t *testing.T, rec *httptest.ResponseRecorder, status int) string {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d", rec.Code, status)
	}
	h := rec.Header()
	if h.Get("Content-Type") != "text/html; charset=utf-8" || h.Get("Cache-Control") != "no-store" || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("headers %v", h)
	}
	body := rec.Body.String()
	nonces := nonceAttr.FindAllStringSubmatch(body, -1)
	if len(nonces) == 0 {
		t.Fatal("no nonce in the page")
	}
	csp := h.Get("Content-Security-Policy")
	for _, n := range nonces {
		if !strings.Contains(csp, "'nonce-"+n[1]+"'") {
			t.Fatalf("nonce %q is not allowed by CSP %q", n[1], csp)
		}
	}
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "connect-src 'self'") {
		t.Fatalf("CSP %q is not restrictive", csp)
	}
	for _, ext := range []string{"http://", "https://", "//cdn"} {
		if strings.Contains(body, `src="`+ext) || strings.Contains(body, `href="`+ext) {
			t.Fatalf("page loads an external asset (%s)", ext)
		}
	}
	return body
}

func TestMVPDLoginForm(t *testing.T) {
	rec := httptest.NewRecorder()
	err := WriteMVPDLogin(rec, http.StatusOK, MVPDLogin{
		Code: "ABC123", MVPDID: "Comcast_SSO", MVPDName: "Xfinity", ServiceProvider: "demo",
		UserID: "user-17", NotAfter: time.Date(2026, 11, 22, 14, 30, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	body := checkHeaders(t, rec, http.StatusOK)
	for _, want := range []string{
		`<form method="post" action="/sandbox/mvpd-login/ABC123">`,
		`<label for="userId">Your Xfinity user id</label>`,
		`id="userId" name="userId" value="user-17"`,
		"Sign in to Xfinity", "22 November 2026, 14:30 UTC", `lang="en"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	if strings.Contains(body, "<script") {
		t.Error("the login form needs no script")
	}
}

func TestMVPDLoginStates(t *testing.T) {
	for name, tc := range map[string]struct {
		p      MVPDLogin
		want   []string
		absent string
	}{
		"problem": {MVPDLogin{Code: "C", MVPDName: "DISH", Problem: "Type a user id."}, []string{`role="alert"`, "Type a user id.", "<form"}, ""},
		"done": {MVPDLogin{Code: "C", MVPDName: "DISH", ServiceProvider: "demo", UserID: "u1", Done: true,
			AuthNotAfter: time.Date(2026, 12, 22, 0, 0, 0, 0, time.UTC)}, []string{"Signed in to DISH", "<code>u1</code>", "22 December 2026"}, "<form"},
		"gone": {MVPDLogin{Code: "C", Gone: true}, []string{"no longer works", `role="alert"`}, "<form"},
	} {
		rec := httptest.NewRecorder()
		if err := WriteMVPDLogin(rec, http.StatusOK, tc.p); err != nil {
			t.Fatal(err)
		}
		body := checkHeaders(t, rec, http.StatusOK)
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: lacks %q", name, w)
			}
		}
		if tc.absent != "" && strings.Contains(body, tc.absent) {
			t.Errorf("%s: has %q", name, tc.absent)
		}
	}
}

func TestPagesEscapeInput(t *testing.T) {
	evil := `"><script>alert(1)</script>`
	rec := httptest.NewRecorder()
	if err := WriteMVPDLogin(rec, http.StatusOK, MVPDLogin{Code: evil, MVPDName: evil, UserID: evil, ServiceProvider: evil}); err != nil {
		t.Fatal(err)
	}
	if body := rec.Body.String(); strings.Contains(body, "<script>alert") {
		t.Fatalf("login page echoes markup:\n%s", body)
	}
	rec = httptest.NewRecorder()
	if err := WriteLink(rec, http.StatusOK, Link{Code: evil, ServiceProvider: evil}); err != nil {
		t.Fatal(err)
	}
	if body := rec.Body.String(); strings.Contains(body, "<script>alert") {
		t.Fatal("link page echoes markup")
	}
}

func TestLinkPage(t *testing.T) {
	rec := httptest.NewRecorder()
	if err := WriteLink(rec, http.StatusOK, Link{Code: "123456", ServiceProvider: "demo"}); err != nil {
		t.Fatal(err)
	}
	body := checkHeaders(t, rec, http.StatusOK)
	for _, want := range []string{
		`data-code="123456"`, `data-sp="demo"`, `value="123456"`, `aria-live="polite"`,
		`<label for="code">`, "/o/client/register", "/api/v2/", "X-SSO-LINK", "AP-Device-Identifier",
		"localStorage", "crypto.subtle.digest",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("link page lacks %q", want)
		}
	}
	if n := len(nonceAttr.FindAllString(body, -1)); n != 2 {
		t.Errorf("%d nonced blocks, want style and script", n)
	}
}
