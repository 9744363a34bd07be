package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

// maxExchanges bounds the HTTP panel's memory.
const maxExchanges = 200

// httpPanel is one device's HTTP exchanges: a list with a cursor (polls hidden unless
// asked for) and one exchange in full, on the whole screen, in a viewport.
type httpPanel struct {
	recs      []record
	shown     []int // indices into recs of the rows the list shows
	cursor    int   // into shown
	showPolls bool
	detail    bool
	view      viewport.Model
	note      string // news of the panel (where a HAR file went), in its title until a key
}

func newHTTPPanel() httpPanel {
	v := viewport.New()
	v.SoftWrap = true
	// h closes the panel and l makes a code: the viewport scrolls sideways by arrow only.
	v.KeyMap.Left, v.KeyMap.Right = key.NewBinding(key.WithKeys("left")), key.NewBinding(key.WithKeys("right"))
	v.KeyMap.HalfPageUp, v.KeyMap.HalfPageDown = key.NewBinding(key.WithKeys("ctrl+u")), key.NewBinding(key.WithKeys("ctrl+d"))
	return httpPanel{view: v}
}

func (h *httpPanel) add(ex client.Exchange) {
	follow := h.cursor >= len(h.shown)-1
	step, poll := stepOf(ex)
	h.recs = append(h.recs, record{ex: ex, url: present.Safe(ex.URL), step: step, poll: poll})
	if over := len(h.recs) - maxExchanges; over > 0 {
		h.recs = append(h.recs[:0], h.recs[over:]...)
	}
	h.reshow(follow && !h.detail)
}

// reshow works out the rows shown; follow keeps the cursor on the newest.
func (h *httpPanel) reshow(follow bool) {
	var at *record
	if h.cursor < len(h.shown) && h.shown[h.cursor] < len(h.recs) {
		at = &h.recs[h.shown[h.cursor]]
	}
	h.shown = h.shown[:0]
	h.cursor = 0
	for i := range h.recs {
		if h.showPolls || !h.recs[i].poll {
			if &h.recs[i] == at {
				h.cursor = len(h.shown)
			}
			h.shown = append(h.shown, i)
		}
	}
	if follow || at == nil {
		h.cursor = max(0, len(h.shown)-1)
	}
}

// polls counts the hidden rows.
func (h *httpPanel) polls() int {
	n := 0
	for _, r := range h.recs {
		if r.poll {
			n++
		}
	}
	return n
}

// current is the exchange under the cursor.
func (h *httpPanel) current() (record, bool) {
	if h.cursor >= len(h.shown) {
		return record{}, false
	}
	return h.recs[h.shown[h.cursor]], true
}

func (h *httpPanel) open(width, height int) {
	r, ok := h.current()
	if !ok {
		return
	}
	h.detail = true
	h.view.SetContentLines(exchangeDetail(r))
	h.view.GotoTop()
	h.layout(width, height)
}

// layout sizes the full-screen detail: all but its title and its key line.
func (h *httpPanel) layout(width, height int) {
	h.view.SetWidth(width)
	h.view.SetHeight(max(1, height-2))
}

func (h *httpPanel) close() { h.detail = false }

// httpHeight is the HTTP panel's height under a header of head lines.
func (m *Model) httpHeight(head int) int { return max(6, (m.height-head-1)*2/5) }

// Update moves the cursor, or scrolls the open exchange; it reports whether the key
// was the panel's.
func (h *httpPanel) Update(msg tea.KeyPressMsg, k KeyMap, width, height int) bool {
	h.note = ""
	switch {
	case h.detail && key.Matches(msg, k.Next), h.detail && key.Matches(msg, k.Back):
		h.close()
	case h.detail:
		vk := h.view.KeyMap
		if !key.Matches(msg, vk.Up, vk.Down, vk.PageDown, vk.PageUp, vk.HalfPageUp, vk.HalfPageDown, vk.Left, vk.Right) {
			return false
		}
		h.view, _ = h.view.Update(msg)
	case key.Matches(msg, k.Up):
		h.cursor = max(0, h.cursor-1)
	case key.Matches(msg, k.Down):
		h.cursor = max(0, min(len(h.shown)-1, h.cursor+1))
	case key.Matches(msg, k.Next):
		h.open(width, height)
	case key.Matches(msg, k.Polls):
		h.showPolls = !h.showPolls
		h.reshow(false)
	default:
		return false
	}
	return true
}

// View is the list, in a width×height strip under the devices.
func (h *httpPanel) View(label string, width, height int, s Styles) string {
	polls := "P shows the polls"
	if h.showPolls {
		polls = "P hides the polls"
	}
	title := fmt.Sprintf("HTTP · %s · %d shown, %d polls %s · ↑/↓ · enter full view · y copies as curl · E saves HAR · %s · esc",
		label, len(h.shown), h.polls(), map[bool]string{true: "shown", false: "hidden"}[h.showPolls], polls)
	sep := strings.Repeat("─", width)
	if s.Plain {
		sep = strings.Repeat("-", width)
	}
	if h.note != "" {
		title = fmt.Sprintf("HTTP · %s · %s", label, h.note)
	}
	lines := []string{s.Muted.Render(sep), s.Bold.Render(ansi.Truncate(title, width, "…"))}
	rows := height - len(lines)
	if len(h.shown) == 0 {
		lines = append(lines, "No exchanges yet: every request this device makes shows here, secrets redacted.")
		return fit(strings.Join(lines, "\n"), width, height)
	}
	start := max(0, min(h.cursor-rows+1, len(h.shown)-rows))
	for i := start; i < len(h.shown) && i < start+rows; i++ {
		r := h.recs[h.shown[i]]
		cur := "  "
		if i == h.cursor {
			cur = "▸ "
			if s.Plain {
				cur = "> "
			}
		}
		lines = append(lines, h.row(r, cur, width, s, i == h.cursor))
	}
	return strings.Join(fitLines(lines, width, height), "\n")
}

// row is one exchange: time, step, method, path, status in colour and in a word,
// latency; the path gives way first.
func (h *httpPanel) row(r record, cur string, width int, s Styles, selected bool) string {
	ex := r.ex
	status := statusText(ex) + " · " + statusWord(ex.Status)
	fixed := 2 + 9 + 19 + 7 + 1 + 30 + 7
	pathW := max(8, width-fixed)
	left := cur + present.Clock(ex.Started) + " " + pad(r.step, 18) + " " + pad(present.Safe(ex.Method), 6) + " " + pad(r.url, pathW) + " "
	right := " " + latency(ex)
	if selected {
		return s.Selected.Render(cut(left+pad(status, 29)+right, width))
	}
	st := s.OK
	switch {
	case ex.Status == 0 || ex.Status >= 500:
		st = s.Err
	case ex.Status >= 400:
		st = s.Warn
	}
	return cut(left+st.Render(pad(status, 29))+right, width)
}

// DetailView is the open exchange on the whole screen.
func (h *httpPanel) DetailView(label string, width, height int, s Styles) string {
	r, _ := h.current()
	title := s.Bold.Render(ansi.Truncate(fmt.Sprintf("HTTP · %s · %s %s · %s (%s)", label, present.Safe(r.ex.Method), r.url, statusText(r.ex), statusWord(r.ex.Status)), width, "…"))
	keys := s.Muted.Render(ansi.Truncate(fmt.Sprintf("↑/↓ pgup/pgdn scroll · %d%% · y copies as curl · E saves HAR · enter/esc back to the list", int(h.view.ScrollPercent()*100)), width, "…"))
	lines := append([]string{title}, strings.Split(h.view.View(), "\n")...)
	lines = fitLines(lines, width, height-1)
	return strings.Join(append(lines, fitLines([]string{keys}, width, 1)...), "\n")
}
