package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// redactor masks the secrets of one exchange and remembers them, so that a secret
// that shows up somewhere unexpected (an echo in an error body, an HTML page) is
// masked there too.
type redactor struct {
	secrets []string
	codes   []string // MVPD login codes: short, masked like link codes
	tokens  []DecodedToken
}

// secretFields are the JSON and form fields whose values are secrets, lower-cased.
// "code" and "link" hold link codes only when they look like one (an error's "code"
// is a lower-case word).
var secretFields = map[string]bool{
	"client_secret": true, "access_token": true, "refresh_token": true, "id_token": true,
	"servicetoken": true, "jws": true, "software_statement": true, "token": true,
	"client_assertion": true, "password": true, "serializedtoken": true,
}

var linkCodeFields = map[string]bool{"code": true, "link": true}

// secretHeaders hold a token, a credential or a link code.
var secretHeaders = map[string]string{
	"Authorization":                      "token",
	"Ad-Service-Token":                   "token",
	"X-Roku-Reserved-Roku-Connect-Token": "token",
	"X-Sso-Link":                         "code",
	"Cookie":                             "opaque",
	"Set-Cookie":                         "opaque",
}

// minScrubLen keeps the substring pass to long secrets: a six-digit code would match
// inside any timestamp.
const minScrubLen = 16

func (r *redactor) header(h http.Header, side string) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		kind, secret := secretHeaders[http.CanonicalHeaderKey(k)]
		for _, v := range vs {
			if !secret {
				out[k] = append(out[k], v)
				continue
			}
			var masked string
			switch kind {
			case "token":
				scheme, tok, ok := strings.Cut(v, " ")
				if ok && strings.EqualFold(scheme, "bearer") {
					masked = scheme + " " + r.token(tok, side+k+" header")
				} else {
					masked = r.token(v, side+k+" header")
				}
			case "code":
				masked = maskCode(v)
			default:
				r.remember(v)
				masked = redactedLen(v)
			}
			out[k] = append(out[k], masked)
		}
	}
	return out
}

// mvpdLoginPath is the sandbox's MVPD login page; the rest of its path is a
// single-use login code, masked like a link code.
const mvpdLoginPath = "/sandbox/mvpd-login/"

// minLoginCode keeps the scrub of login codes to codes long enough not to match by
// chance (the sandbox's have eight characters).
const minLoginCode = 6

// loginPath masks the login code that follows mvpdLoginPath in s (a path, or the
// sessions answer's "url") and remembers it, so that it is masked wherever else the
// exchange holds it: the sessions answer's "code", the login page's HTML.
func (r *redactor) loginPath(s string) string {
	i := strings.Index(s, mvpdLoginPath)
	if i < 0 {
		return s
	}
	i += len(mvpdLoginPath)
	if code := s[i:]; len(code) >= minLoginCode {
		r.codes = append(r.codes, code)
	}
	return s[:i] + maskCode(s[i:])
}

func (r *redactor) url(u *url.URL) string {
	path := r.loginPath(u.EscapedPath())
	if u.RawQuery == "" {
		return path
	}
	return path + "?" + r.values(u.Query(), "query ")
}

func (r *redactor) body(b []byte, contentType, side string) []byte {
	if len(b) == 0 {
		return nil
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "application/x-www-form-urlencoded":
		if q, err := url.ParseQuery(string(b)); err == nil {
			return []byte(r.values(q, side))
		}
	case mt == "application/json" || strings.HasSuffix(mt, "+json") || json.Valid(b):
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var v any
		if dec.Decode(&v) == nil {
			v = r.walk(v, side)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			if enc.Encode(v) == nil {
				return bytes.TrimRight(buf.Bytes(), "\n")
			}
		}
	}
	return bytes.Clone(b)
}

// values writes a query or a form body with its secrets masked. The masks stay
// unescaped: the result is for people to read, not to send.
func (r *redactor) values(q url.Values, side string) string {
	var b strings.Builder
	for _, k := range slices.Sorted(maps.Keys(q)) {
		lk := strings.ToLower(k)
		for _, v := range q[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k) + "=")
			switch {
			case secretFields[lk] || strings.Contains(lk, "secret"):
				b.WriteString(r.token(v, side+k))
			case linkCodeFields[lk] && looksLikeLinkCode(v):
				b.WriteString(maskCode(v))
			default:
				b.WriteString(url.QueryEscape(v))
			}
		}
	}
	return b.String()
}

func (r *redactor) walk(v any, side string) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			lk := strings.ToLower(k)
			s, isString := e.(string)
			switch {
			case isString && secretFields[lk]:
				t[k] = r.token(s, side+k)
			case isString && linkCodeFields[lk] && looksLikeLinkCode(s):
				t[k] = maskCode(s)
			case isString:
				t[k] = r.loginPath(s)
			default:
				t[k] = r.walk(e, side)
			}
		}
	case []any:
		for i, e := range t {
			t[i] = r.walk(e, side)
		}
	}
	return v
}

// token masks a credential. A JWT keeps its header and claims, which are what a
// developer wants to read and are useless without the signature; anything else is
// hidden whole.
func (r *redactor) token(tok, where string) string {
	if tok == "" {
		return ""
	}
	r.remember(tok)
	if h, c, err := splitJWT(tok); err == nil {
		r.tokens = append(r.tokens, DecodedToken{Where: where, Header: h, Claims: c})
		i := strings.LastIndexByte(tok, '.')
		return tok[:i+1] + "<redacted>"
	}
	return redactedLen(tok)
}

func (r *redactor) remember(secret string) {
	if len(secret) >= minScrubLen {
		r.secrets = append(r.secrets, secret)
	}
	if i := strings.LastIndexByte(secret, '.'); i >= 0 && len(secret)-i-1 >= minScrubLen {
		r.secrets = append(r.secrets, secret[i+1:]) // a JWT's signature alone
	}
}

// scrub masks every remembered secret wherever it still appears.
func (r *redactor) scrub(x *Exchange) {
	if len(r.secrets)+len(r.codes) == 0 {
		return
	}
	pairs := make([]string, 0, 2*(len(r.secrets)+len(r.codes)))
	for _, s := range r.secrets {
		pairs = append(pairs, s, redactedLen(s))
	}
	for _, c := range r.codes {
		pairs = append(pairs, c, maskCode(c))
	}
	rep := strings.NewReplacer(pairs...)
	x.URL = rep.Replace(x.URL)
	x.RequestBody = []byte(rep.Replace(string(x.RequestBody)))
	x.ResponseBody = []byte(rep.Replace(string(x.ResponseBody)))
	for _, h := range []http.Header{x.RequestHeader, x.ResponseHeader} {
		for k, vs := range h {
			for i, v := range vs {
				h[k][i] = rep.Replace(v)
			}
		}
	}
	if len(x.RequestBody) == 0 {
		x.RequestBody = nil
	}
	if len(x.ResponseBody) == 0 {
		x.ResponseBody = nil
	}
}

func redactedLen(s string) string { return fmt.Sprintf("<redacted %d chars>", len(s)) }

// maskCode shows a link code's first digit, enough to tell two codes apart on screen.
func maskCode(code string) string {
	if code == "" {
		return ""
	}
	return code[:1] + "*****"
}

// looksLikeLinkCode tells a link code (digits, or letters and digits) from an error
// code word ("unauthorized", "header_missing"): a code has a digit or a capital.
func looksLikeLinkCode(s string) bool {
	return isLinkCodeText(s) && strings.ContainsAny(s, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
}

// isLinkCodeText reports a non-empty string of ASCII letters and digits.
func isLinkCodeText(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if (r < '0' || r > '9') && (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return false
		}
	}
	return true
}
