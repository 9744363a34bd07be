package tui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/handoff-sso/handoff/client"
)

// redacted stands for a secret in a curl command or a HAR file.
const redacted = "[redacted]"

// secretHeaders carry credentials or codes that let someone act as the device.
var secretHeaders = map[string]bool{
	"Authorization": true, "Ad-Service-Token": true, "X-Sso-Link": true, "Cookie": true, "Set-Cookie": true,
	"Proxy-Authorization": true,
}

// secretFields are body and query fields that hold tokens or credentials.
var (
	secretJSON  = regexp.MustCompile(`("(?:serviceToken|access_token|refresh_token|id_token|client_secret|software_statement|token|platformToken|connectToken|code)"\s*:\s*)"[^"]*"`)
	secretQuery = regexp.MustCompile(`((?:^|[?&])(?:access_token|client_secret|code|token|refresh_token)=)[^&]*`)
)

// scrub redacts what could let someone act as the device: the client's trace already
// redacts, and this is said again here because these files leave the screen. reveal
// (--reveal-secrets) keeps the secrets the client kept for it.
type scrub struct{ reveal bool }

func (s scrub) header(name, v string) string {
	if s.reveal || !secretHeaders[http.CanonicalHeaderKey(name)] {
		return v
	}
	if scheme, _, ok := strings.Cut(v, " "); ok && strings.EqualFold(scheme, "Bearer") {
		return scheme + " " + redacted
	}
	return redacted
}

func (s scrub) body(b []byte) string {
	if s.reveal {
		return string(b)
	}
	text := secretJSON.ReplaceAllString(string(b), `$1"`+redacted+`"`)
	return secretQuery.ReplaceAllString(text, "${1}"+redacted)
}

func (s scrub) url(u string) string {
	if s.reveal {
		return u
	}
	path, query, ok := strings.Cut(u, "?")
	if !ok {
		return u
	}
	return path + "?" + secretQuery.ReplaceAllString(query, "${1}"+redacted)
}

// exported is the exchange a curl command or HAR file holds: with its secrets when
// the user asked for them (--reveal-secrets, which also made the client keep them).
func exported(ex client.Exchange, reveal bool) client.Exchange {
	if reveal {
		return ex.Unredacted()
	}
	return ex
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func sortedHeaders(h http.Header) []string {
	names := make([]string, 0, len(h))
	for n := range h {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// curlCommand is the exchange as a curl command that makes the same request.
func curlCommand(server string, ex client.Exchange, s scrub) string {
	parts := []string{"curl", "-X", ex.Method}
	for _, n := range sortedHeaders(ex.RequestHeader) {
		if strings.EqualFold(n, "Content-Length") {
			continue
		}
		for _, v := range ex.RequestHeader[n] {
			parts = append(parts, "-H", shellQuote(n+": "+s.header(n, v)))
		}
	}
	if len(ex.RequestBody) > 0 {
		parts = append(parts, "--data-raw", shellQuote(s.body(ex.RequestBody)))
	}
	parts = append(parts, shellQuote(strings.TrimRight(server, "/")+s.url(ex.URL)))
	return strings.Join(parts, " ")
}

// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/), the fields tools read.
type (
	harFile struct {
		Log harLog `json:"log"`
	}
	harLog struct {
		Version string     `json:"version"`
		Creator harCreator `json:"creator"`
		Entries []harEntry `json:"entries"`
	}
	harCreator struct {
		Name    string `json:"name"`
		Version string `json:"version"`
	}
	harEntry struct {
		StartedDateTime string      `json:"startedDateTime"`
		Time            float64     `json:"time"`
		Request         harRequest  `json:"request"`
		Response        harResponse `json:"response"`
		Cache           struct{}    `json:"cache"`
		Timings         harTimings  `json:"timings"`
		Comment         string      `json:"comment,omitempty"`
	}
	harRequest struct {
		Method      string       `json:"method"`
		URL         string       `json:"url"`
		HTTPVersion string       `json:"httpVersion"`
		Cookies     []harNV      `json:"cookies"`
		Headers     []harNV      `json:"headers"`
		QueryString []harNV      `json:"queryString"`
		PostData    *harPostData `json:"postData,omitempty"`
		HeadersSize int          `json:"headersSize"`
		BodySize    int          `json:"bodySize"`
	}
	harResponse struct {
		Status      int        `json:"status"`
		StatusText  string     `json:"statusText"`
		HTTPVersion string     `json:"httpVersion"`
		Cookies     []harNV    `json:"cookies"`
		Headers     []harNV    `json:"headers"`
		Content     harContent `json:"content"`
		RedirectURL string     `json:"redirectURL"`
		HeadersSize int        `json:"headersSize"`
		BodySize    int        `json:"bodySize"`
	}
	harNV struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	}
	harPostData struct {
		MimeType string `json:"mimeType"`
		Text     string `json:"text"`
	}
	harContent struct {
		Size     int    `json:"size"`
		MimeType string `json:"mimeType"`
		Text     string `json:"text,omitempty"`
	}
	harTimings struct {
		Send    float64 `json:"send"`
		Wait    float64 `json:"wait"`
		Receive float64 `json:"receive"`
	}
)

func harHeaders(h http.Header, s scrub) []harNV {
	out := []harNV{}
	for _, n := range sortedHeaders(h) {
		for _, v := range h[n] {
			out = append(out, harNV{Name: n, Value: s.header(n, v)})
		}
	}
	return out
}

func harQuery(u string, s scrub) []harNV {
	out := []harNV{}
	_, q, ok := strings.Cut(s.url(u), "?")
	if !ok {
		return out
	}
	for _, kv := range strings.Split(q, "&") {
		k, v, _ := strings.Cut(kv, "=")
		out = append(out, harNV{Name: k, Value: v})
	}
	return out
}

// buildHAR is a device's exchanges as a HAR 1.2 log, secrets redacted.
func buildHAR(server string, recs []record, s scrub) harFile {
	f := harFile{Log: harLog{Version: "1.2", Creator: harCreator{Name: "handoff", Version: "1"}, Entries: []harEntry{}}}
	for _, r := range recs {
		ex := exported(r.ex, s.reveal)
		ms := float64(ex.Latency) / float64(time.Millisecond)
		e := harEntry{
			StartedDateTime: ex.Started.UTC().Format(time.RFC3339Nano),
			Time:            ms,
			Comment:         "step: " + r.step,
			Request: harRequest{Method: ex.Method, URL: strings.TrimRight(server, "/") + s.url(ex.URL), HTTPVersion: "HTTP/1.1",
				Cookies: []harNV{}, Headers: harHeaders(ex.RequestHeader, s), QueryString: harQuery(ex.URL, s),
				HeadersSize: -1, BodySize: len(ex.RequestBody)},
			Response: harResponse{Status: ex.Status, StatusText: http.StatusText(ex.Status), HTTPVersion: "HTTP/1.1",
				Cookies: []harNV{}, Headers: harHeaders(ex.ResponseHeader, s), HeadersSize: -1, BodySize: len(ex.ResponseBody),
				Content: harContent{Size: len(ex.ResponseBody), MimeType: ex.ResponseHeader.Get("Content-Type"), Text: s.body(ex.ResponseBody)}},
			Timings: harTimings{Wait: ms},
		}
		if len(ex.RequestBody) > 0 {
			e.Request.PostData = &harPostData{MimeType: ex.RequestHeader.Get("Content-Type"), Text: s.body(ex.RequestBody)}
		}
		if ex.Status == 0 {
			e.Response.BodySize, e.Response.StatusText = -1, "no answer: "+ex.Err
		}
		f.Log.Entries = append(f.Log.Entries, e)
	}
	return f
}

// harWrittenMsg says where the HAR file went, or why it could not be written.
type harWrittenMsg struct {
	dev  int
	path string
	n    int
	err  error
}

// writeHAR writes the file off the Update loop, readable by its owner only.
func writeHAR(dev int, dir, label string, now time.Time, f harFile) tea.Cmd {
	return func() tea.Msg {
		name := fmt.Sprintf("handoff-%s-%s.har", strings.ToLower(label), now.Format("20060102-150405"))
		path := filepath.Join(dir, name)
		b, err := json.MarshalIndent(f, "", "  ")
		if err == nil {
			err = os.WriteFile(path, b, 0o600)
		}
		return harWrittenMsg{dev: dev, path: path, n: len(f.Log.Entries), err: err}
	}
}
