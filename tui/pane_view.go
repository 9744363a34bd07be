package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/handoff-sso/handoff/assets"

	"github.com/handoff-sso/handoff/present"
)

// renderPane draws device i in a width×height box, as exactly height lines of
// exactly width cells.
func (m *Model) renderPane(i, width, height int) []string {
	p := m.panes[i]
	s := m.styles
	focused := i == m.focus && len(m.panes) > 1
	frame := s.Pane
	if focused {
		frame = s.PaneFocus
	}
	iw, ih := width, height
	if !s.Plain {
		iw, ih = width-4, height-2
	}
	if iw < 10 || ih < 3 {
		return fitLines(nil, width, height)
	}
	head := []string{m.paneTitle(p, focused), s.Muted.Render(m.paneSubtitle(p))}
	status := m.statusLines(p, iw)
	room := ih - len(head) - len(status)
	compact := p.card.showLink || p.tvCode.pending() || p.mode() == modePhonePage || room < 18
	steps := m.steps(p, iw, compact)
	body := m.paneBody(p, iw, room-len(steps))
	lines := append(head, steps...)
	lines = append(fitLines(append(lines, body...), iw, ih-len(status)), fitLines(status, iw, len(status))...)
	if s.Plain {
		return lines
	}
	return frame.draw(lines, iw)
}

func (m *Model) paneTitle(p *pane, focused bool) string {
	mark := "  "
	if focused {
		mark = "▶ "
		if m.styles.Plain {
			mark = "> "
		}
	}
	t := mark + m.styles.PaneTitle.Render(p.label) + " · " + p.state.Preset.Title
	if focused {
		t += m.styles.Muted.Render(" (keys go here)")
	}
	return t
}

func (m *Model) paneSubtitle(p *pane) string {
	parts := []string{p.state.Account}
	if p.state.StoreKind != "" {
		parts = append(parts, "secrets: "+p.state.StoreKind)
	}
	return strings.Join(parts, " · ")
}

// statusLines is the device's last news, wrapped on up to three lines, each styled
// on its own so that the colour survives the wrap.
func (m *Model) statusLines(p *pane, width int) []string {
	s := m.styles
	var busy []string
	for o := range steps {
		if p.busy[op(o)] && !steps[o].quiet {
			busy = append(busy, steps[o].doing)
		}
	}
	text := p.status
	style, mark := s.Muted, "· "
	if len(busy) > 0 && p.statusLevel != levelErr {
		text = strings.Join(busy, ", ") + "…"
		if !s.Plain {
			mark = m.spin.View() + " "
		}
		return fitStatus(wrap(mark+text, width), width, style)
	}
	switch p.statusLevel {
	case levelOK:
		style, mark = s.OK, "✓ "
	case levelWarn:
		style, mark = s.Warn, "! "
	case levelErr:
		style, mark = s.Err, "✗ "
	}
	return fitStatus(wrap(mark+text, width), width, style)
}

// fitStatus keeps a status to three lines, each styled on its own so that the colour
// survives the wrap.
func fitStatus(lines []string, width int, style Ink) []string {
	if len(lines) > 3 {
		lines = lines[:3]
		lines[2] = ansi.Truncate(lines[2], width-1, "") + "…"
	}
	for i, l := range lines {
		lines[i] = style.Render(l)
	}
	return lines
}

// step is one line of a device's checklist.
type step struct {
	name, detail string
	done, off    bool
}

func (m *Model) stepsOf(p *pane) []step {
	now := m.now()
	signed := p.signedIn()
	sub := p.subject()
	if p.primary() {
		id := p.identity.Value()
		if signed {
			id = sub
		}
		token := "enter signs in"
		if signed {
			token = "expires in " + m.countdown(p.state.NotAfter.Sub(now))
		}
		link := "l makes a code"
		switch {
		case p.card.showLink && p.card.link != nil:
			link = "code " + present.GroupCode(p.card.link.Code)
		case len(p.table.devices) > 1:
			link = fmt.Sprintf("%d devices on the profile", len(p.table.devices))
		}
		linked := signed && len(p.table.devices) > 1
		provider := m.providerStep(p, "3 TV provider", true)
		if linked && !provider.done && !provider.off {
			// The flow went on without it: it is no longer the next step.
			provider.off, provider.detail = true, "skipped (p signs in with one)"
		}
		return []step{
			{name: "1 Identity", detail: id, done: signed},
			{name: "2 Service token", detail: token, done: signed},
			provider,
			{name: "4 Link a device", detail: link, done: linked},
			{name: "6 Devices", detail: m.devicesDetail(p)},
		}
	}
	joined := "type the code"
	if signed {
		joined = "profile " + sub + " · expires in " + m.countdown(p.state.NotAfter.Sub(now))
	}
	list := []step{
		{name: "5 Join with a code", detail: joined, done: signed},
		m.providerStep(p, "5 TV provider", false),
		{name: "6 Devices", detail: m.devicesDetail(p)},
	}
	if in := p.tvCode.signIn; in != nil {
		// The other direction: a second screen signed this TV in, with no profile.
		list[0] = step{name: "Code on the TV", detail: "activated by a second screen", done: true}
		list[1] = step{name: "TV provider", detail: mvpdName(in.MVPD) + " as " + present.Safe(in.UserID), done: true}
		list[2] = step{name: "6 Devices", detail: "none: no profile joined", off: true}
	}
	if p.canSecondScreen() {
		play := step{name: "Play", detail: "after a TV provider sign-in", off: !p.authenticated()}
		switch d := p.play.decision; {
		case d != nil && d.Authorized:
			play = step{name: "Play", detail: present.Safe(d.Resource) + " authorized", done: true}
		case d != nil:
			play.detail = present.Safe(d.Resource) + " not authorized"
		case p.authenticated():
			play.detail = "a asks to play " + playResource
		}
		list = append(list, play)
	}
	return list
}

// providerStep is the TV provider's line of the checklist: a step the phone takes
// (step 3), or what the TV got through the link (step 5).
func (m *Model) providerStep(p *pane, name string, takes bool) step {
	switch {
	case !p.canProvider():
		return step{name: name, detail: "not in this build", off: true}
	case !p.signedIn():
		return step{name: name, detail: "after signing in", off: !takes}
	}
	if _, _, ok := p.provider(); ok {
		return step{name: name, detail: m.providerText(p, false), done: true}
	}
	switch {
	case p.providerNote != "":
		return step{name: name, detail: "unknown: " + p.providerNote, off: !takes}
	case takes:
		return step{name: name, detail: "p picks a provider (optional)"}
	}
	return step{name: name, detail: "none on this profile yet", off: true}
}

// providerText says who the profile is signed in with; long adds how and until when.
func (m *Model) providerText(p *pane, long bool) string {
	id, prof, ok := p.provider()
	if !ok {
		return "none"
	}
	name := id
	if mv, found := assets.LookupMVPD(id); found {
		name = mv.Name
	}
	if !long {
		return name + " as " + present.Safe(prof.UserID())
	}
	how := map[string]string{"regular": "signed in here", "serviceTokenSSO": "shared through the link", "platformSSO": "through the platform"}[prof.Type]
	if how == "" {
		how = prof.Type
	}
	return fmt.Sprintf("%s as %s, %s, until %s", name, present.Safe(prof.UserID()), how, present.Date(prof.NotAfter.Time()))
}

func (m *Model) devicesDetail(p *pane) string {
	switch {
	case !p.signedIn():
		return "after signing in"
	case !p.table.listed:
		return "listing…"
	}
	return fmt.Sprintf("%d on this profile", len(p.table.devices))
}

// steps draws the checklist: one line per step, or one line in all when room is short.
func (m *Model) steps(p *pane, width int, compact bool) []string {
	s := m.styles
	list := m.stepsOf(p)
	next := -1
	for i, st := range list {
		if !st.done && !st.off {
			next = i
			break
		}
	}
	action, tourHere := m.tourActionFor(p)
	var out, short []string
	for i, st := range list {
		mark, style := "·", s.StepLater
		switch {
		case st.done:
			mark, style = "✓", s.StepDone
		case st.off:
			mark = "–"
		case i == next:
			mark, style = "▸", s.StepNext
		}
		if s.Plain {
			mark = pad(map[string]string{"·": "[ ]", "✓": "[done]", "–": "[n/a]", "▸": "[next]"}[mark], 6)
		}
		line := style.Render(mark+" "+pad(st.name, 18)) + " " + st.detail
		out = append(out, ansi.Truncate(line, width, "…"))
		if i == next && tourHere {
			out = append(out, ansi.Truncate(s.StepNext.Render("  ◀ tour: "+action), width, "…"))
		}
		short = append(short, style.Render(strings.TrimSpace(mark)+" "+st.name))
	}
	if compact {
		line := strings.Join(short, "  ")
		if tourHere && next >= 0 {
			line += "  " + s.StepNext.Render("◀ tour: "+action)
		}
		return []string{ansi.Truncate(line, width, "…")}
	}
	return append(out, "")
}
