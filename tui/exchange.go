package tui

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

// record is one exchange as the HTTP panel keeps it: the exchange, the flow's step it
// belongs to, and whether it is a poll (hidden unless asked for).
type record struct {
	ex   client.Exchange
	url  string // ex.URL, terminal-safe
	step string
	poll bool
}

// stepOf names the flow's step an exchange belongs to, from its method and path: the
// exchange comes from the trace, which knows nothing of the screen's steps.
func stepOf(ex client.Exchange) (string, bool) {
	path, _, _ := strings.Cut(ex.URL, "?")
	has := func(s string) bool { return strings.HasSuffix(path, s) }
	switch {
	case has("/serviceToken") && ex.Method == http.MethodPost && ex.RequestHeader.Get("X-SSO-LINK") != "":
		return "5 join with code", false
	case has("/serviceToken") && ex.Method == http.MethodPost:
		return "2 service token", false
	case has("/serviceToken"):
		return "token refresh", false
	case has("/link"):
		return "4 link code", false
	case has("/list"):
		return "6 devices (poll)", true
	case has("/unlink"):
		return "6 unlink", false
	case strings.Contains(path, "/profiles/code/"):
		return "TV code (poll)", true
	case has("/regcode"), has("/sessions") && ex.RequestHeader.Get("AD-Service-Token") == "":
		return "show a code", false
	case strings.Contains(path, "/sandbox/activate"):
		return "activate TV code", false
	case strings.Contains(path, "/decisions/authorize"):
		return "play (authorize)", false
	case has("/sandbox/info"):
		return "public address", false
	case has("/sessions"), strings.Contains(path, "/mvpd-login/"), strings.Contains(path, "/authenticate"):
		return "3 TV provider", false
	case strings.Contains(path, "/profiles"):
		return "TV provider (poll)", true
	case strings.Contains(path, "/tokens/authn"):
		return "v1 authn (poll)", true
	case has("/logout"):
		return "provider sign-out", false
	case strings.Contains(path, "/roku/"):
		return "Roku join", false
	case strings.Contains(path, "/o/") || strings.Contains(path, "/token") || strings.Contains(path, "/register") || strings.Contains(path, "/software-statement"):
		return "client setup", false
	}
	return "other", false
}

// statusWord says what a status means in a word, so that 401 never looks like 200
// when colour is off.
func statusWord(code int) string {
	switch {
	case code == 0:
		return "no answer"
	case code < 300:
		return "ok"
	case code < 400:
		return "redirect"
	case code < 500:
		return "refused"
	}
	return "server error"
}

func statusText(ex client.Exchange) string {
	if ex.Status == 0 {
		return "no answer"
	}
	return fmt.Sprintf("%d %s", ex.Status, http.StatusText(ex.Status))
}

func latency(ex client.Exchange) string {
	if ex.Latency < time.Millisecond {
		return "<1ms"
	}
	return ex.Latency.Round(time.Millisecond).String()
}

// epochField finds the timestamps the service writes as epoch numbers, in s or ms.
var epochField = regexp.MustCompile(`"(notBefore|notAfter|lastSeen|expires|exp|iat|nbf|issued|created)": (\d{10,13})\b`)

// readableTimes adds the local time after each epoch timestamp of an indented JSON line.
func readableTimes(line string) string {
	m := epochField.FindStringSubmatch(line)
	if m == nil {
		return line
	}
	n, err := strconv.ParseInt(m[2], 10, 64)
	if err != nil {
		return line
	}
	t := time.Unix(n, 0)
	if len(m[2]) == 13 {
		t = time.UnixMilli(n)
	}
	return line + "   ← " + present.Date(t) + " " + present.Clock(t)
}

// exchangeDetail is one exchange in full: headers (X-Device-Info decoded), bodies with
// readable times, and the tokens in them, as the client recorded them (secrets
// already redacted).
func exchangeDetail(r record) []string {
	ex := r.ex
	out := []string{fmt.Sprintf("%s %s", present.Safe(ex.Method), r.url),
		fmt.Sprintf("step: %s · %s (%s) · %s · at %s", r.step, statusText(ex), statusWord(ex.Status), latency(ex), present.Clock(ex.Started))}
	if ex.Err != "" {
		out = append(out, "Failed: "+ex.Err)
	}
	out = append(out, "", "Request headers:")
	out = append(out, headerLines(ex.RequestHeader)...)
	out = append(out, bodyLines("Request body:", ex.RequestBody)...)
	out = append(out, "", "Response headers:")
	out = append(out, headerLines(ex.ResponseHeader)...)
	out = append(out, bodyLines("Response body:", ex.ResponseBody)...)
	for _, t := range ex.Tokens {
		out = append(out, "", "Token in "+t.Where+" (decoded, not verified):")
		out = append(out, indentJSON("  header ", t.Header)...)
		out = append(out, indentJSON("  claims ", t.Claims)...)
	}
	return out
}

func headerLines(h http.Header) []string {
	if len(h) == 0 {
		return []string{"  (none)"}
	}
	names := make([]string, 0, len(h))
	for n := range h {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []string
	for _, n := range names {
		for _, v := range h[n] {
			out = append(out, "  "+present.Safe(n)+": "+present.Safe(v))
			if strings.EqualFold(n, "X-Device-Info") {
				out = append(out, deviceInfo(v)...)
			}
		}
	}
	return out
}

// deviceInfo decodes X-Device-Info (Base64 of a JSON object) under its header line.
func deviceInfo(v string) []string {
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v))
	if err != nil {
		if raw, err = base64.RawURLEncoding.DecodeString(strings.TrimSpace(v)); err != nil {
			return []string{"    (not Base64: shown as sent)"}
		}
	}
	var buf bytes.Buffer
	if json.Indent(&buf, raw, "    ", "  ") != nil {
		return []string{"    decoded: " + present.Safe(string(raw))}
	}
	lines := strings.Split("    decoded: "+buf.String(), "\n")
	for i, l := range lines {
		lines[i] = present.Safe(l)
	}
	return lines
}

func bodyLines(title string, body []byte) []string {
	if len(body) == 0 {
		return nil
	}
	out := []string{"", title}
	var buf bytes.Buffer
	if json.Indent(&buf, body, "  ", "  ") == nil {
		for _, l := range strings.Split("  "+buf.String(), "\n") {
			out = append(out, readableTimes(present.Safe(l)))
		}
		return out
	}
	for _, l := range strings.Split(string(body), "\n") {
		out = append(out, "  "+present.Safe(l))
	}
	return out
}

func indentJSON(prefix string, v map[string]any) []string {
	b, err := json.MarshalIndent(v, "    ", "  ")
	if err != nil {
		return nil
	}
	lines := strings.Split(string(b), "\n")
	lines[0] = prefix + lines[0]
	for i, l := range lines {
		lines[i] = readableTimes(present.Safe(l))
	}
	return lines
}
