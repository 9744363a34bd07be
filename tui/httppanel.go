package tui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/handoff-sso/handoff/client"
)

// onHTTPKey moves in the HTTP panel; it reports whether the key was the panel's.
func (m *Model) onHTTPKey(msg tea.KeyPressMsg, p *pane) bool {
	k := m.keys
	switch {
	case key.Matches(msg, k.Up):
		if p.httpDetail {
			m.scrollDetail(p, -1)
		} else {
			p.httpCursor = max(0, p.httpCursor-1)
		}
	case key.Matches(msg, k.Down):
		if p.httpDetail {
			m.scrollDetail(p, 1)
		} else {
			p.httpCursor = max(0, min(len(p.exchanges)-1, p.httpCursor+1))
		}
	case msg.String() == "pgdown" && p.httpDetail:
		m.scrollDetail(p, 10)
	case msg.String() == "pgup" && p.httpDetail:
		m.scrollDetail(p, -10)
	case key.Matches(msg, k.Next) && len(p.exchanges) > 0:
		if p.httpDetail {
			p.closeDetail()
		} else {
			m.openDetail(p)
		}
	case key.Matches(msg, k.Back):
		if p.httpDetail {
			p.closeDetail()
		} else {
			m.showHTTP = false
		}
	default:
		return false
	}
	return true
}

// openDetail lays out the exchange under the cursor in full, here in Update, so that
// View neither encodes JSON nor wraps it on every frame.
func (m *Model) openDetail(p *pane) {
	p.httpDetail, p.httpScroll = true, 0
	m.layoutDetail(p)
}

// layoutDetail wraps the open exchange at the screen's width.
func (m *Model) layoutDetail(p *pane) {
	if !p.httpDetail || len(p.exchanges) == 0 {
		return
	}
	p.httpLines = p.httpLines[:0]
	for _, l := range exchangeDetail(p.exchanges[min(p.httpCursor, len(p.exchanges)-1)]) {
		p.httpLines = append(p.httpLines, wrap(l, max(1, m.width))...)
	}
	m.scrollDetail(p, 0)
}

// scrollDetail moves the open exchange by n lines, no further than its last page.
func (m *Model) scrollDetail(p *pane, n int) {
	p.httpScroll = max(0, min(p.httpScroll+n, len(p.httpLines)-m.httpRows()))
}

func (p *pane) closeDetail() { p.httpDetail, p.httpLines, p.httpScroll = false, nil, 0 }

// httpHeight is the HTTP panel's height under a header of head lines; httpRows is
// what of it shows exchanges (the rest is its rule and title).
func (m *Model) httpHeight(head int) int { return max(6, (m.height-head-1)*2/5) }
func (m *Model) httpRows() int           { return m.httpHeight(len(m.header())) - 2 }

// httpPanel lists the focused device's exchanges, or one exchange in full.
func (m *Model) httpPanel(p *pane, width, height int) string {
	s := m.styles
	title := fmt.Sprintf("HTTP · %s · %d %s · ↑/↓ move · enter details · esc back", p.label, len(p.exchanges), plural(len(p.exchanges), "exchange", "exchanges"))
	sep := strings.Repeat("─", width)
	if s.Plain {
		sep = strings.Repeat("-", width)
	}
	lines := []string{s.Muted.Render(sep), s.Bold.Render(ansi.Truncate(title, width, "…"))}
	rows := height - len(lines)
	switch {
	case len(p.exchanges) == 0:
		lines = append(lines, "No exchanges yet: every request this device makes shows here, secrets redacted.")
	case p.httpDetail:
		start := min(p.httpScroll, len(p.httpLines))
		lines = append(lines, p.httpLines[start:min(len(p.httpLines), start+rows)]...)
	default:
		start := max(0, min(p.httpCursor-rows+1, len(p.exchanges)-rows))
		for i := start; i < len(p.exchanges) && i < start+rows; i++ {
			line := exchangeLine(p.exchanges[i])
			if i == p.httpCursor {
				line = s.Selected.Render(ansi.Truncate("▸ "+line, width, "…"))
			} else {
				line = "  " + line
			}
			lines = append(lines, line)
		}
	}
	return fit(strings.Join(lines, "\n"), width, height)
}

func exchangeLine(ex client.Exchange) string {
	status := "no answer"
	if ex.Status != 0 {
		status = fmt.Sprintf("%d %s", ex.Status, http.StatusText(ex.Status))
	}
	latency := ex.Latency.Round(time.Millisecond).String()
	if ex.Latency < time.Millisecond {
		latency = "<1ms"
	}
	return fmt.Sprintf("%s  %-6s %-30s %-16s %s", ex.Started.Local().Format("15:04:05"), ex.Method, ex.URL, status, latency)
}

// exchangeDetail is one exchange in full: headers, bodies and the tokens in them,
// as the client recorded them (secrets already redacted).
func exchangeDetail(ex client.Exchange) []string {
	out := []string{exchangeLine(ex)}
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
		if exp, ok := t.Claims["exp"].(float64); ok {
			out = append(out, "  expires "+time.Unix(int64(exp), 0).Local().Format(time.DateTime))
		}
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
			out = append(out, "  "+n+": "+v)
		}
	}
	return out
}

func bodyLines(title string, body []byte) []string {
	if len(body) == 0 {
		return nil
	}
	out := []string{"", title}
	var buf bytes.Buffer
	if json.Indent(&buf, body, "  ", "  ") == nil {
		return append(out, strings.Split("  "+buf.String(), "\n")...)
	}
	for _, l := range strings.Split(strings.ToValidUTF8(string(body), "?"), "\n") {
		out = append(out, "  "+l)
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
	return lines
}
