package tui

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
)

// pollEvery is how often a signed-in device reads its profile's devices: that is how
// a phone sees the TV join and a TV learns that it was unlinked. The TV provider
// sign-ins change seldom and are read less often, so that the HTTP panel is not
// drowned in polls.
const (
	pollEvery         = 5 * time.Second
	providerPollEvery = 30 * time.Second
)

// The identities offered first: the D2C account, the TV provider account and the Roku
// subscriber.
const (
	DefaultIdentity     = "demo-user@example.com"
	DefaultProviderUser = "demo-subscriber"
	DefaultRokuUser     = "roku-subscriber-1"
)

// DeviceSpec puts one device on screen.
type DeviceSpec struct {
	Label  string // "Phone", "TV"
	Device Device
}

// Options configure the interface.
type Options struct {
	Devices  []DeviceSpec
	Server   string   // base URL shown in the title bar, so that other terminals can join
	Note     string   // what the server is ("embedded sandbox"), shown next to it
	Identity string   // the D2C identity offered first; "": DefaultIdentity
	Plain    bool     // for screen readers: no boxes, no colours, no animation
	Tour     bool     // start with the guided tour open
	Notices  []string // what the user must be told before anything else (keystore fallbacks)
	// QueryTerminal asks the terminal for its background colour; off in tests, where
	// nothing answers.
	QueryTerminal bool
	Dark          bool // the background assumed until the terminal answers
	Now           func() time.Time
}

// Model is the root model.
type Model struct {
	opts   Options
	now    func() time.Time
	width  int
	height int
	styles Styles
	keys   KeyMap
	help   help.Model
	colour bool

	panes []*pane
	focus int

	showHTTP bool
	showHelp bool
	showQR   bool // the focused device's QR image alone on the screen
	tourOn   bool
	tourStep int
}

// New builds the model; it makes no network call (Init starts the work).
func New(opts Options) *Model {
	if opts.Identity == "" {
		opts.Identity = DefaultIdentity
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	m := &Model{opts: opts, now: now, keys: DefaultKeyMap(), help: help.New(), colour: !opts.Plain, tourOn: opts.Tour}
	m.setStyles(opts.Dark)
	for _, d := range opts.Devices {
		m.panes = append(m.panes, newPane(d.Label, d.Device, opts.Identity))
	}
	m.advanceTour()
	return m
}

func (m *Model) setStyles(dark bool) {
	m.styles = NewStyles(dark, m.opts.Plain)
	m.help.Styles = m.styles.Help
	for _, p := range m.panes {
		m.drawQR(p)
	}
}

// Init resumes every signed-in device (its token refreshed if it must be) and starts
// the clock.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tick()}
	if m.opts.QueryTerminal {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	for i, p := range m.panes {
		if p.signedIn() {
			cmds = append(cmds, m.start(i, opFresh, "", nil))
		}
	}
	return tea.Batch(cmds...)
}

// start runs a step unless the same step is already running on that device.
func (m *Model) start(dev int, o op, arg string, keys []string) tea.Cmd {
	p := m.panes[dev]
	if p.busy[o] {
		return nil
	}
	p.busy[o] = true
	return runStep(p.dev, dev, o, arg, keys)
}

// Update handles one message; it never blocks.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.SetWidth(msg.Width)
	case tea.BackgroundColorMsg:
		m.setStyles(msg.IsDark())
	case tea.ColorProfileMsg:
		m.colour = !m.opts.Plain && msg.Profile > colorprofile.ASCII
		for _, p := range m.panes {
			m.drawQR(p)
		}
	case tickMsg:
		return m, tea.Batch(append(m.onTick(), tick())...)
	case resultMsg:
		cmd := m.onResult(msg)
		m.advanceTour()
		return m, cmd
	case retryMsg:
		return m, m.start(msg.dev, msg.op, msg.arg, msg.keys)
	case ExchangeMsg:
		for _, p := range m.panes {
			if p.state.Name == msg.Device {
				p.addExchange(client.Exchange(msg))
			}
		}
	case tea.PasteMsg:
		if p := m.focused(); p != nil {
			switch {
			case p.editing:
				p.identity.update(msg)
			case p.entering():
				p.codeIn.update(msg)
			}
		}
	case tea.KeyPressMsg:
		cmd := m.onKey(msg)
		m.advanceTour()
		return m, cmd
	}
	return m, nil
}

func (m *Model) focused() *pane {
	if len(m.panes) == 0 {
		return nil
	}
	return m.panes[m.focus]
}

func (m *Model) onTick() []tea.Cmd {
	now := m.now()
	var cmds []tea.Cmd
	for i, p := range m.panes {
		if !p.signedIn() {
			continue
		}
		if !p.state.NotAfter.IsZero() && p.state.NotAfter.Sub(now) < refreshMargin && p.attempts[opFresh] == 0 && !p.refreshRefused {
			cmds = append(cmds, m.start(i, opFresh, "", nil))
		}
		if p.showLink && p.link != nil && !p.linkStale && !now.Before(p.link.NotAfter.Time()) && !p.busy[opLink] {
			if p.autoCodes < maxAutoCodes {
				p.autoCodes++
				p.say(levelInfo, fmt.Sprintf("The code expired: making a new one (%d of %d).", p.autoCodes, maxAutoCodes))
				cmds = append(cmds, m.start(i, opLink, "", nil))
			} else {
				p.linkStale = true
				p.say(levelWarn, "The code expired. Press l for a new one.")
			}
		}
		if now.Sub(p.lastPoll) >= pollEvery && p.attempts[opList] == 0 {
			p.lastPoll = now
			cmds = append(cmds, m.start(i, opList, "", nil))
		}
		if now.Sub(p.lastProvider) >= providerPollEvery {
			cmds = append(cmds, m.readProviders(i)...)
		}
	}
	return cmds
}

func (m *Model) onResult(msg resultMsg) tea.Cmd {
	p := m.panes[msg.dev]
	p.busy[msg.op] = false
	p.state = msg.state
	if msg.err != nil {
		return m.onError(msg, p)
	}
	p.attempts[msg.op] = 0
	if msg.token != nil {
		p.refreshRefused = false
	}
	switch msg.op {
	case opSignIn:
		p.unlinked = false
		next := "l makes a link code for the TV."
		if p.canProvider() {
			next = "p signs in with a TV provider, or l makes a link code for the TV."
		}
		p.say(levelOK, "Signed in as "+p.state.Claims.Subject+". Next: "+next)
		return m.joinedCmds(msg.dev)
	case opRedeem, opRoku:
		p.unlinked = false
		p.codeIn.Reset()
		via := ""
		if msg.op == opRoku {
			via = " through its Roku identity"
		}
		p.say(levelOK, "Joined the profile of "+p.state.Claims.Subject+via+".")
		return m.joinedCmds(msg.dev)
	case opMVPD:
		name := msg.arg
		if mv, ok := assets.LookupMVPD(msg.arg); ok {
			name = mv.Name
		}
		p.say(levelOK, fmt.Sprintf("Signed in with %s as %s until %s; linked devices share it.", name, msg.login.UserID, msg.login.NotAfter.Time().Local().Format("2 Jan 2006")))
		return tea.Batch(m.readProviders(msg.dev)...)
	case opProfiles:
		p.providers, p.providerNote = msg.profiles, ""
	case opAuthn:
		p.authn, p.authnNote = msg.authn, ""
	case opRefresh:
		p.say(levelOK, "Service token refreshed; it now expires at "+clock(p.state.NotAfter)+".")
	case opFresh:
		if p.signedIn() && !p.listed {
			return m.start(msg.dev, opList, "", nil)
		}
	case opLink:
		p.link, p.showLink, p.linkStale = msg.code, true, false
		p.linkKnown = map[string]bool{}
		for _, r := range p.devices {
			p.linkKnown[r.key] = true
		}
		m.drawQR(p)
		p.say(levelOK, "Type "+groupCode(msg.code.Code)+" on the TV, or scan the QR image. c copies it.")
	case opList:
		p.setDevices(msg.list)
		if r, ok := p.joined(); ok && p.showLink {
			p.showLink, p.link, p.linkKnown = false, nil, nil
			p.say(levelOK, fmt.Sprintf("%s joined with the code. The profile has %d devices.", deviceName(r.entry), len(p.devices)))
		}
	case opUnlink:
		n := len(msg.unlinked.UnlinkedDevices)
		clear(p.selected)
		for _, k := range msg.unlinked.UnlinkedDevices {
			if k == p.state.Key {
				p.unlinked = true
			}
		}
		p.say(levelOK, fmt.Sprintf("Unlinked %d %s.", n, plural(n, "device", "devices")))
		if !p.unlinked {
			return m.start(msg.dev, opList, "", nil)
		}
		p.say(levelWarn, "This device unlinked itself. Press s to sign in again.")
	}
	return nil
}

// joinedCmds reads what a device that just joined a profile can see.
func (m *Model) joinedCmds(dev int) tea.Cmd {
	return tea.Batch(append(m.readProviders(dev), m.start(dev, opList, "", nil))...)
}

// readProviders reads the profile's TV provider sign-in, in v2 and, on a TV, in v1.
func (m *Model) readProviders(dev int) []tea.Cmd {
	p := m.panes[dev]
	p.lastProvider = m.now()
	var cmds []tea.Cmd
	if p.canProvider() {
		cmds = append(cmds, m.start(dev, opProfiles, "", nil))
	}
	if p.canLegacy() {
		cmds = append(cmds, m.start(dev, opAuthn, "", nil))
	}
	return cmds
}

func (m *Model) onError(msg resultMsg, p *pane) tea.Cmd {
	err := msg.err
	if msg.op == opProfiles && !msg.state.Unlinked && !client.IsUnlinked(err) {
		// Read on every poll: say it where the TV provider shows, not in the status.
		p.providerNote = explain(err)
		return nil
	}
	if msg.op == opAuthn {
		p.authn = nil
		switch {
		case client.IsNoAuthentication(err):
			p.authnNote = "none for this device (HTTP 404)"
		case client.IsAuthenticationExpired(err):
			p.authnNote = "expired (HTTP 410)"
		default:
			p.authnNote = explain(err)
		}
		return nil
	}
	if transient(err) {
		p.attempts[msg.op]++
		n := p.attempts[msg.op]
		wait := backoff(n - 1)
		p.say(levelWarn, fmt.Sprintf("%s Retrying %s in %s (attempt %d).", explain(err), msg.op.doing(), wait, n))
		return retryAfter(wait, retryMsg{dev: msg.dev, op: msg.op, arg: msg.arg, keys: msg.keys})
	}
	p.attempts[msg.op] = 0
	if msg.op == opFresh || msg.op == opRefresh {
		// Refused once, refused every second: wait for a new token or a key.
		p.refreshRefused = true
	}
	if msg.state.Unlinked || client.IsUnlinked(err) {
		p.unlinked = true
		p.showLink, p.link = false, nil
		p.say(levelErr, "This device was unlinked from the profile. Press s to sign in again.")
		return nil
	}
	p.say(levelErr, explain(err))
	return nil
}

// explain is the one line a person reads for an error; it never shows a Go error.
func explain(err error) string {
	if s := client.Explain(err); s != "" {
		return s
	}
	var api *client.APIError
	if errors.As(err, &api) && api.Message != "" {
		return api.Message
	}
	return "Something went wrong; press r to try again."
}

func (m *Model) drawQR(p *pane) {
	if p.link == nil {
		p.qr, p.qrErr = "", nil
		return
	}
	p.qr, p.qrErr = p.qrc.get(linkURL(p.state.Server, p.link.Code), m.colour, m.styles.Dark)
	p.qrWidth = lipgloss.Width(p.qr)
}

// linkURL is where the QR image points: the sandbox's page that joins a browser.
func linkURL(server, code string) string {
	return strings.TrimRight(server, "/") + "/sandbox/link?code=" + code
}

func (m *Model) onKey(msg tea.KeyPressMsg) tea.Cmd {
	k := m.keys
	if msg.String() == "ctrl+c" {
		return tea.Quit
	}
	if m.showHelp || m.showQR {
		m.showHelp, m.showQR = false, false
		return nil
	}
	p := m.focused()
	if p == nil {
		return tea.Quit
	}
	switch {
	case p.editing:
		return m.onEditKey(msg, p)
	case p.picking:
		return m.onPickKey(msg, p)
	case p.confirm != nil:
		keys := p.confirm
		p.confirm = nil
		if key.Matches(msg, k.Yes) {
			p.say(levelInfo, "Unlinking…")
			return m.start(m.focus, opUnlink, "", keys)
		}
		p.say(levelInfo, "Nothing was unlinked.")
		return nil
	case m.showHTTP && m.onHTTPKey(msg, p):
		return nil
	case p.entering() && !key.Matches(msg, k.Next) && p.codeIn.update(msg):
		return nil
	}
	switch {
	case key.Matches(msg, k.Quit):
		return tea.Quit
	case key.Matches(msg, k.Help):
		m.showHelp = true
	case key.Matches(msg, k.Switch):
		m.focus = (m.focus + 1) % len(m.panes)
	case key.Matches(msg, k.SwitchBack):
		m.focus = (m.focus + len(m.panes) - 1) % len(m.panes)
	case key.Matches(msg, k.HTTP):
		m.showHTTP = !m.showHTTP
		p.httpDetail = false
	case key.Matches(msg, k.Tour):
		m.tourOn = !m.tourOn
		m.advanceTour()
	case key.Matches(msg, k.TourNext) && m.tourOn:
		m.tourStep = min(m.tourStep+1, len(tourSteps)-1)
	case key.Matches(msg, k.TourPrev) && m.tourOn:
		m.tourStep = max(m.tourStep-1, 0)
	case key.Matches(msg, k.Next):
		return m.next(p)
	case key.Matches(msg, k.Edit) && p.primary() && !p.signedIn():
		p.editing = true
		p.say(levelInfo, "Type the identity, enter to sign in with it, esc to keep the old one.")
	case key.Matches(msg, k.Provider) && p.primary() && p.signedIn() && p.canProvider():
		m.pick(p)
	case key.Matches(msg, k.Roku) && p.entering() && p.canRoku():
		p.say(levelInfo, "Signing in with Roku as "+DefaultRokuUser+"…")
		return m.start(m.focus, opRoku, DefaultRokuUser, nil)
	case key.Matches(msg, k.Link) && p.primary() && p.signedIn():
		p.autoCodes = 0
		p.say(levelInfo, "Asking for a link code…")
		return m.start(m.focus, opLink, "", nil)
	case key.Matches(msg, k.ShowQR) && p.link != nil && p.showLink && p.qr != "":
		m.showQR = true
	case key.Matches(msg, k.Copy) && p.link != nil && p.showLink:
		p.say(levelOK, "Copied "+groupCode(p.link.Code)+" to the clipboard (OSC 52; the terminal must allow it).")
		return tea.SetClipboard(p.link.Code)
	case key.Matches(msg, k.DevicesTab), key.Matches(msg, k.Back):
		if p.showLink {
			p.showLink = false
			p.say(levelInfo, "Code hidden; it stays valid until it expires. l makes a new one.")
		}
		if p.signedIn() {
			return tea.Batch(append(m.readProviders(m.focus), m.start(m.focus, opList, "", nil))...)
		}
	case key.Matches(msg, k.Up):
		p.cursor = max(0, p.cursor-1)
	case key.Matches(msg, k.Down):
		p.cursor = max(0, min(len(p.devices)-1, p.cursor+1))
	case key.Matches(msg, k.Select) && p.cursor < len(p.devices):
		r := p.devices[p.cursor]
		if p.selected[r.key] {
			delete(p.selected, r.key)
		} else {
			p.selected[r.key] = true
		}
	case key.Matches(msg, k.Unlink) && p.signedIn() && len(p.devices) > 0:
		p.confirm = p.toUnlink()
		p.say(levelWarn, "Unlink "+m.describe(p, p.confirm)+"? y: unlink · n/enter: keep (default)")
	case key.Matches(msg, k.Refresh) && p.signedIn():
		p.say(levelInfo, "Refreshing the service token…")
		return m.start(m.focus, opRefresh, "", nil)
	case key.Matches(msg, k.SignInAgain) && (p.unlinked || !p.state.SignedIn):
		return m.signInAgain(p)
	}
	return nil
}

func (m *Model) pick(p *pane) {
	p.picking = true
	p.say(levelInfo, "Choose a TV provider: ↑/↓ move, enter signs in as "+DefaultProviderUser+", esc cancels.")
}

// onPickKey moves in the TV provider list (step 3).
func (m *Model) onPickKey(msg tea.KeyPressMsg, p *pane) tea.Cmd {
	list := assets.MVPDs()
	switch {
	case key.Matches(msg, m.keys.Up):
		p.mvpdCursor = max(0, p.mvpdCursor-1)
	case key.Matches(msg, m.keys.Down):
		p.mvpdCursor = min(len(list)-1, p.mvpdCursor+1)
	case key.Matches(msg, m.keys.Next):
		p.picking = false
		mv := list[p.mvpdCursor]
		p.say(levelInfo, "Signing in with "+mv.Name+" as "+DefaultProviderUser+"…")
		return m.start(m.focus, opMVPD, mv.ID, []string{DefaultProviderUser})
	case key.Matches(msg, m.keys.Back), key.Matches(msg, m.keys.Provider):
		p.picking = false
		p.say(levelInfo, "No TV provider chosen. p opens the list again; l makes a link code.")
	}
	return nil
}

func (m *Model) onEditKey(msg tea.KeyPressMsg, p *pane) tea.Cmd {
	switch {
	case key.Matches(msg, m.keys.Next):
		p.editing = false
		return m.next(p)
	case key.Matches(msg, m.keys.Back):
		p.editing = false
		p.say(levelInfo, "Press enter to sign in as "+p.identity.Value()+".")
	default:
		p.identity.update(msg)
	}
	return nil
}

// next does the focused device's next step of the flow.
func (m *Model) next(p *pane) tea.Cmd {
	switch {
	case p.unlinked:
		return m.signInAgain(p)
	case p.primary() && !p.signedIn():
		id := strings.TrimSpace(p.identity.Value())
		if id == "" {
			p.say(levelErr, "The identity is empty: press e and type one, such as "+DefaultIdentity+".")
			return nil
		}
		p.say(levelInfo, "Signing in as "+id+"…")
		return m.start(m.focus, opSignIn, id, nil)
	case p.primary() && !p.showLink && p.canProvider() && p.providers != nil && len(p.providers.Profiles) == 0:
		m.pick(p)
	case p.primary() && !p.showLink:
		p.autoCodes = 0
		p.say(levelInfo, "Asking for a link code…")
		return m.start(m.focus, opLink, "", nil)
	case p.primary():
		p.say(levelInfo, "The TV is next: type the code there (tab switches device).")
	case !p.signedIn():
		code, err := client.NormalizeLinkCode(p.codeIn.Value())
		if err != nil {
			p.say(levelErr, explainCode(err))
			return nil
		}
		p.say(levelInfo, "Joining with "+groupCode(code)+"…")
		return m.start(m.focus, opRedeem, code, nil)
	default:
		return m.start(m.focus, opList, "", nil)
	}
	return nil
}

// explainCode is what the code entry says about what was typed.
func explainCode(err error) string {
	if s := client.Explain(err); s != "" {
		return s
	}
	return "A link code is six digits, such as 123 456: check what the phone shows."
}

func (m *Model) signInAgain(p *pane) tea.Cmd {
	p.unlinked = false
	p.state.SignedIn = false
	p.devices, p.listed = nil, false
	p.link, p.showLink = nil, false
	p.providers, p.providerNote, p.authn, p.authnNote = nil, "", nil, ""
	if p.primary() {
		p.say(levelInfo, "Press enter to sign in as "+p.identity.Value()+", or e to type another identity.")
	} else {
		p.codeIn.Reset()
		p.say(levelInfo, "Ask the phone for a new code (l), type it here, then press enter.")
	}
	return nil
}

func (m *Model) describe(p *pane, keys []string) string {
	names := make([]string, 0, len(keys))
	for _, k := range keys {
		for _, r := range p.devices {
			if r.key == k {
				n := deviceName(r.entry)
				if r.self {
					n += " (this device)"
				}
				names = append(names, n)
			}
		}
	}
	return fmt.Sprintf("%d %s: %s", len(keys), plural(len(keys), "device", "devices"), strings.Join(names, ", "))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
