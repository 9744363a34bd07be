// Package pages holds the sandbox's HTML pages, embedded with no external asset: the
// simulated MVPD login form (/sandbox/mvpd-login/<code>), the browser link page
// (/sandbox/link?code=…) that lets a browser join a profile as a secondary device, and
// the phone page (/sandbox/phone) that lets a browser play the signed-in phone. All are
// sandbox-only: the real service has none of them.
package pages

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/base64"
	"html/template"
	"net/http"
	"time"
)

//go:embed *.html *.css *.js
var files embed.FS

var (
	style = mustRead("style.css")
	// Each page's script runs after sso.js, the calls both pages make.
	ssoJS   = mustRead("sso.js")
	linkJS  = ssoJS + "\n" + mustRead("link.js")
	phoneJS = ssoJS + "\n" + mustRead("phone.js")
	tmpl    = template.Must(template.New("").Funcs(template.FuncMap{"date": date}).ParseFS(files, "*.html"))
)

func mustRead(name string) string {
	b, err := files.ReadFile(name)
	if err != nil {
		panic("pages: embedded " + name + " is missing: " + err.Error())
	}
	return string(b)
}

func date(t time.Time) string { return t.UTC().Format("2 January 2006, 15:04 UTC") }

// MVPDLogin is what the simulated MVPD login page shows.
type MVPDLogin struct {
	Code            string // the login code in the URL
	MVPDID          string // "Comcast_SSO"
	MVPDName        string // "Xfinity"
	ServiceProvider string
	UserID          string    // prefilled suggestion, or what was submitted
	NotAfter        time.Time // when the login session ends
	Problem         string    // why the last submission was refused, for the person
	Gone            bool      // the session is unknown, expired or already used: no form
	Done            bool      // signed in: the confirmation instead of the form
	AuthNotAfter    time.Time // with Done: when the authentication expires
}

// Link is what the browser link page needs: the code to prefill (may be empty) and the
// service provider the page joins.
type Link struct {
	Code            string
	ServiceProvider string
}

// Phone is what the phone page needs: the service provider it signs in to.
type Phone struct {
	ServiceProvider string
}

type page struct {
	Nonce  string
	Style  template.CSS
	Script template.JS
	Data   any
}

// WriteMVPDLogin writes the MVPD login page with the given status.
func WriteMVPDLogin(w http.ResponseWriter, status int, p MVPDLogin) error {
	return write(w, status, "mvpd_login.html", p, "")
}

// WriteLink writes the browser link page.
func WriteLink(w http.ResponseWriter, status int, l Link) error {
	return write(w, status, "link.html", l, linkJS)
}

// WritePhone writes the phone page.
func WritePhone(w http.ResponseWriter, status int, p Phone) error {
	return write(w, status, "phone.html", p, phoneJS)
}

func write(w http.ResponseWriter, status int, name string, data any, script string) error {
	nonce := newNonce()
	p := page{Nonce: nonce, Style: template.CSS(style), Script: template.JS(script), Data: data}
	var buf bytes.Buffer
	if err := tmpl.ExecuteTemplate(&buf, name, p); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", CSP(nonce))
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// CSP is the policy every page is served with: nothing but this origin, and inline
// script and style only with the page's nonce.
func CSP(nonce string) string {
	n := "'nonce-" + nonce + "'"
	return "default-src 'none'; script-src " + n + "; style-src " + n +
		"; connect-src 'self'; img-src 'self' data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
}

func newNonce() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}
