package tui

import (
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/handoff-sso/handoff/present"
)

// role is who takes a tour step's action.
type role int

const (
	rolePhone role = iota
	roleTV
	roleEither
)

// tourStep is one page of the guided tour: the flow's six steps (DESIGN.md "The flow"),
// narrated, with a welcome before them, the paths beyond them (the pull direction and
// how it compares among them) and a summary after.
type tourStep struct {
	flow   int // the flow's step number, 1–6; 0 for the pages around them
	title  string
	story  string
	action string // the next action, highlighted on the device that takes it
	who    role
}

var tourSteps = []tourStep{
	{0, "Welcome", "This tour walks through the six steps of cross-device sign-in: a phone that is signed in lets a TV join the same profile with a short code. It stays on each step until you press ]; [ goes back.",
		"f starts fresh (a new profile nobody has joined yet); ] goes on with the devices as they are", rolePhone},
	{1, "The phone's identity", "The phone gets a common identifier, the D2C account (direct-to-consumer: the streaming service's own account); it travels as the X-SSO-ID header.",
		"enter keeps the offered identity, e types another", rolePhone},
	{2, "A service token", "The phone gets a service token: POST /api/{sp}/serviceToken with X-SSO-ID. The token is a JWT whose sub is the identity; {sp} is the service provider, the streaming app.",
		"enter signs in", rolePhone},
	{3, "The TV provider", "The phone signs in with a TV provider (MVPD: the cable or satellite company that sells the TV subscription) through the sandbox's simulated MVPD. Linked devices share that sign-in.",
		"p picks a provider, then type the user id (optional: ] skips it)", rolePhone},
	{4, "A link code", "The phone asks for a link code: POST /api/{sp}/link gives a short code, shown large, as a QR image and with a countdown.",
		"l asks for a code", rolePhone},
	{5, "The TV joins", "The TV types the code: POST serviceToken with X-SSO-LINK gives it its own service token for the same profile; it then reads the TV provider sign-in (v2 profiles, v1 authn).",
		"type the code, then enter", roleTV},
	{6, "Devices", "Either device lists the profile's devices (GET list) and can unlink any of them (POST unlink); an unlinked device's token stops working.",
		"↑/↓ picks a device, space selects, u unlinks", roleEither},
	{0, "Unlink and rejoin", "Unlink the TV from the phone (select it, u, y): within seconds the TV sees its token refused and says so. A new code from the phone lets it join again.",
		"on the phone: u then y on the TV's row; then l, and type the new code on the TV", rolePhone},
	{0, "Roku", "A Roku TV joins without a code: its platform identity token vouches for it (seed 000). It is its own profile, the Roku subscriber's, not the phone's.",
		"in another terminal: handoff tv --preset roku, then R", roleTV},
	{0, "The browser", "The QR image holds a URL: opened in a browser (or scanned), the sandbox's page joins that browser to the profile like a TV typing the code.",
		"open the URL under the QR image; the phone lists the browser as a new device", rolePhone},
	{0, pullTitle, "The other direction, the one most TV apps use: the TV holds nothing and shows a code (POST /api/v2/{sp}/sessions without a service token, or the legacy v1 regcode). A phone opens the activation page, types the code, picks the TV provider and signs in there; the TV asks once a second (GET profiles/code/{code}, or seed 004's v1 authn, 404 until done), then may play (POST decisions/authorize).",
		"on the TV: g shows a code; on the phone: A, type it, pick a provider, enter; then a on the TV plays", roleTV},
	{0, "The two directions", "Pull (the TV shows a code): each new TV costs a TV-provider login on a second screen, and the TV joins no profile. Push (the seed's direction, the phone shows a link code): the phone signed in with its TV provider once; the TV joins the phone's SSO profile and shares that sign-in (serviceTokenSSO), so it needs no second TV-provider login, and unlinking it from the phone takes the sign-in away.",
		"compare the TV provider line of a TV that joined with a link code (shared through the link) and of one a second screen signed in", roleEither},
	{0, "Summary", "", "t ends the tour; [ goes back over any step", roleEither},
}

// pullTitle is the page of the other direction, done once a second screen signed a
// TV in and it asked to play.
const pullTitle = "The TV shows a code"

// tour is the guided tour: whether it shows and which page. It moves only when the
// user says so.
type tour struct {
	on   bool
	step int
}

func (t *tour) last() bool { return t.step == len(tourSteps)-1 }

// label is the page's place: "Tour 3/6" for the flow's steps, else its kind.
func (t tour) label() string {
	s := tourSteps[t.step]
	if s.flow > 0 {
		return fmt.Sprintf("Tour %d/6", s.flow)
	}
	return "Tour"
}

// View draws the tour's box in width cells; done says the flow got past this step,
// where is who acts (and in which terminal), summary is the last page's lines.
func (t tour) View(width int, s Styles, done bool, where string, summary []string) string {
	st := tourSteps[t.step]
	head := fmt.Sprintf("%s · %s — %s", t.label(), st.title, st.story)
	if t.last() {
		head = fmt.Sprintf("%s · %s — what happened:", t.label(), st.title)
	}
	next := fmt.Sprintf("Next: %s: %s.", where, st.action)
	if done {
		next = "✓ Done on screen. ] goes on."
	}
	lines := []string{head}
	lines = append(lines, summary...)
	lines = append(lines, next+"   ([ back · ] next · t ends the tour)")
	w := width
	if !s.Plain {
		w -= s.Tour.GetHorizontalFrameSize()
	}
	var out []string
	for _, l := range lines {
		out = append(out, strings.Split(ansi.Wordwrap(l, w, " "), "\n")...)
	}
	return s.Tour.Width(width).Render(strings.Join(out, "\n"))
}

// onTourKey takes the tour's keys: [ and ] work on every screen, entries included
// (no code or identity holds them); f starts fresh from the welcome page.
func (m *Model) onTourKey(msg tea.KeyPressMsg) (tea.Cmd, bool) {
	k := m.keys
	if !m.tour.on {
		return nil, false
	}
	switch {
	case key.Matches(msg, k.TourNext):
		m.tourGo(min(m.tour.step+1, len(tourSteps)-1))
	case key.Matches(msg, k.TourPrev):
		m.tourGo(max(m.tour.step-1, 0))
	case key.Matches(msg, k.Fresh) && m.tour.step == 0 && !m.typing():
		m.fresh()
		m.tourGo(1)
	default:
		return nil, false
	}
	m.showHelp, m.showQR = false, false
	return nil, true
}

// typing is whether the focused device's keys go to an entry or a question.
func (m *Model) typing() bool { p := m.focused(); return p != nil && p.typing() }

// tourGo opens page i and gives the keyboard to the device that acts on it.
func (m *Model) tourGo(i int) {
	m.tour.step = i
	who := tourSteps[i].who
	if who == roleEither {
		return
	}
	for j, p := range m.panes {
		if p.primary() == (who == rolePhone) {
			m.focus = j
			return
		}
	}
}

// fresh starts the tour from a state it explains: the phone offers a new identity, so
// a new profile that no device has joined, and every TV waits for a code.
func (m *Model) fresh() {
	id := fmt.Sprintf("tour-%d@example.com", m.now().Unix()%1000000)
	for _, p := range m.panes {
		m.signInAgain(p)
		if p.primary() {
			p.identity.SetValue(id)
			p.say(levelInfo, "Fresh start: enter signs in as "+id+", a new profile with no devices yet.")
		}
	}
}

// tourDone says whether the flow has got past page i: the tour says so, and waits.
func (m *Model) tourDone(i int) bool {
	var phoneIn, tvIn, linked, provider bool
	for _, p := range m.panes {
		if p.primary() {
			_, _, has := p.provider()
			provider = provider || has
			phoneIn = phoneIn || p.signedIn()
			linked = linked || p.card.link != nil || len(p.table.devices) > 1
		} else {
			tvIn = tvIn || p.signedIn()
		}
	}
	if tourSteps[i].title == pullTitle {
		for _, p := range m.panes {
			if p.tvCode.signIn != nil && p.play.decision != nil {
				return true
			}
		}
		return false
	}
	switch tourSteps[i].flow {
	case 1, 2:
		return phoneIn || tvIn
	case 3:
		return provider
	case 4:
		return linked || tvIn
	case 5:
		return tvIn
	}
	return false
}

// tourWhere says who acts on the page, and in which terminal when not on this one.
func (m *Model) tourWhere() string {
	st := tourSteps[m.tour.step]
	switch st.who {
	case roleEither:
		return "Either device"
	case rolePhone:
		if !m.hasRole(true) {
			return fmt.Sprintf("Phone (in another terminal: handoff phone --server %s)", m.opts.Server)
		}
		return "Phone"
	}
	if !m.hasRole(false) && st.flow > 0 {
		return fmt.Sprintf("TV (in another terminal: handoff tv --server %s)", m.opts.Server)
	}
	return "TV"
}

// tourSummary is the last page: what the flow did on this screen.
func (m *Model) tourSummary() []string {
	if !m.tour.last() {
		return nil
	}
	var out []string
	for _, p := range m.panes {
		line := "· " + p.label + ": " + p.standing()
		if p.signedIn() {
			line += " as " + p.subject() + fmt.Sprintf(", %d devices on the profile", len(p.table.devices))
			if _, prof, ok := p.provider(); ok {
				line += ", TV provider user " + present.Safe(prof.UserID())
			}
		}
		if in := p.tvCode.signIn; in != nil {
			line += ", signed in by a second screen with " + mvpdName(in.MVPD)
		}
		if d := p.play.decision; d != nil {
			line += map[bool]string{true: ", allowed to play ", false: ", refused to play "}[d.Authorized] + present.Safe(d.Resource)
		}
		out = append(out, line+fmt.Sprintf(", %d HTTP exchanges (h shows them, E saves them as HAR).", len(p.http.recs)))
	}
	return out
}

// tourActionFor returns the highlighted action for a device, if the tour points at it.
func (m *Model) tourActionFor(p *pane) (string, bool) {
	if !m.tour.on || m.tour.last() || m.tourDone(m.tour.step) {
		return "", false
	}
	s := tourSteps[m.tour.step]
	switch s.who {
	case roleEither:
		return s.action, p.signedIn()
	case rolePhone:
		return s.action, p.primary()
	}
	return s.action, !p.primary()
}

// hasRole is whether a phone (primary) or a TV is on this screen.
func (m *Model) hasRole(primary bool) bool {
	for _, p := range m.panes {
		if p.primary() == primary {
			return true
		}
	}
	return false
}
