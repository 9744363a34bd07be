package tui

import (
	"context"
	"fmt"
	"time"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/spinner"
	"charm.land/bubbles/v2/viewport"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"

	"github.com/handoff-sso/handoff/client"
)

// pollEvery is how often a signed-in device reads its profile's devices and its TV
// provider sign-ins: that is how a phone sees the TV join, a TV learns that it was
// unlinked or that the phone signed in with a TV provider, within 5 s. The HTTP panel
// hides these polls unless asked.
const (
	pollEvery         = 5 * time.Second
	providerPollEvery = 5 * time.Second
)

// The identities offered first: the D2C account, the TV provider account and the Roku
// subscriber.
const (
	DefaultIdentity     = "demo-user@example.com"
	DefaultProviderUser = "demo-subscriber"
	DefaultRokuUser     = "roku-subscriber-1"
)

// identities are the D2C accounts the phone offers with ↑/↓: two phones on the same
// identity share a profile, on different ones they do not.
var identities = []string{DefaultIdentity, "alice@example.com", "bob@example.com"}

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
	// Probe checks that the server answers at all; nil: the server is in this process.
	// Until it does, the screen says so and the probe is retried with backoff.
	Probe func(context.Context) error
	Dark  bool // the background assumed until the terminal answers
	Now   func() time.Time
	// RevealSecrets keeps secrets in what y copies and E saves (--reveal-secrets):
	// only what the client's trace holds, which it redacts itself.
	RevealSecrets bool
	HARDir        string // where E writes HAR files; "": the system's temporary directory
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

	spin     spinner.Model // turns while a step the user asked for runs (not in --plain)
	spinning bool

	showHTTP bool
	showHelp bool
	helpView viewport.Model // the help, scrolled when it is taller than the screen
	showQR   bool           // the focused device's QR image alone on the screen

	clock         sandboxClock // the sandbox clock's shift, as its answers say
	serverDown    string       // why the server cannot be reached, while it cannot
	probeAttempts int
	tour          tour
	chrome        chrome
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
	m := &Model{opts: opts, now: now, keys: DefaultKeyMap(), help: help.New(), helpView: viewport.New(), spin: spinner.New(spinner.WithSpinner(spinner.MiniDot)), colour: !opts.Plain, tour: tour{on: opts.Tour}}
	for _, d := range opts.Devices {
		m.panes = append(m.panes, newPane(d.Label, d.Device, opts.Identity))
	}
	m.setStyles(opts.Dark)
	return m
}

func (m *Model) setStyles(dark bool) {
	m.styles = NewStyles(dark, m.opts.Plain)
	m.help.Styles = m.styles.Help
	for _, p := range m.panes {
		m.drawCards(p)
		for _, e := range p.entries() {
			e.setStyles(m.styles)
		}
	}
}

// Init resumes every signed-in device (its token refreshed if it must be) and starts
// the clock.
func (m *Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tick()}
	if m.opts.QueryTerminal {
		cmds = append(cmds, tea.RequestBackgroundColor)
	}
	if m.opts.Probe != nil {
		cmds = append(cmds, probe(m.opts.Probe))
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
	return m.startReq(resultMsg{dev: dev, op: o, arg: arg, keys: keys})
}

// startReq is start for a step that needs more than an argument (the TV code a poll
// asks about).
func (m *Model) startReq(req resultMsg) tea.Cmd {
	p, o := m.panes[req.dev], req.op
	if p.busy[o] {
		return nil
	}
	p.busy[o] = true
	run := runStep(p.caps, req)
	if steps[o].quiet || m.opts.Plain || m.spinning {
		return run
	}
	m.spinning = true
	return tea.Batch(run, m.spin.Tick)
}

// inFlight is whether a step the user asked for is running on any device.
func (m *Model) inFlight() bool {
	for _, p := range m.panes {
		for o, busy := range p.busy {
			if busy && !steps[o].quiet {
				return true
			}
		}
	}
	return false
}

// Update handles one message; it never blocks. What changes only with the model (the
// tour's box, the bottom bar) is drawn here, once per message, not on every frame.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := m.update(msg)
	m.drawChrome()
	return m, cmd
}

// chrome is the screen's parts drawn in Update.
type chrome struct {
	tour string // the tour's box; "" when it is off
	foot string // the bottom bar
}

func (m *Model) drawChrome() {
	m.chrome = chrome{foot: fitLines([]string{m.help.ShortHelpView(m.shortHelp())}, m.width, 1)[0]}
	if m.tour.on && m.width > 0 {
		m.chrome.tour = m.tour.View(m.width, m.styles, m.tourDone(m.tour.step), m.tourWhere(), m.tourSummary())
	}
}

func (m *Model) update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.SetWidth(msg.Width)
		m.layout()
	case tea.BackgroundColorMsg:
		m.setStyles(msg.IsDark())
	case tea.ColorProfileMsg:
		m.colour = !m.opts.Plain && msg.Profile > colorprofile.ASCII
		for _, p := range m.panes {
			m.drawCards(p)
		}
	case spinner.TickMsg:
		if !m.inFlight() {
			m.spinning = false
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd
	case tickMsg:
		return m, tea.Batch(append(m.onTick(), tick())...)
	case resultMsg:
		return m, m.onResult(msg)
	case harWrittenMsg:
		m.onHARWritten(msg)
	case retryMsg:
		return m, m.start(msg.dev, msg.op, msg.arg, msg.keys)
	case probeMsg:
		return m, m.onProbe(msg)
	case probeAgainMsg:
		return m, probe(m.opts.Probe)
	case ExchangeMsg:
		m.clock.observe(client.Exchange(msg))
		for _, p := range m.panes {
			if p.state.Name == msg.Device {
				p.http.add(client.Exchange(msg))
			}
		}
	case tea.PasteMsg:
		m.onPaste(msg)
	case tea.KeyPressMsg:
		return m, m.onKey(msg)
	}
	return m, nil
}

// layout gives each part its room when the screen's size changes: the entries their
// width, the HTTP detail the whole screen.
func (m *Model) layout() {
	w := m.width
	if len(m.panes) == 2 && !m.styles.Plain && w >= sideBySide {
		w /= 2
	}
	if !m.styles.Plain {
		w -= 4
	}
	for _, p := range m.panes {
		for _, e := range p.entries() {
			e.SetWidth(w)
		}
		p.http.layout(m.width, m.height)
		m.drawCards(p)
	}
	if m.showHelp {
		y := m.helpView.YOffset()
		m.openHelp()
		m.helpView.SetYOffset(y)
	}
}

// onProbe keeps the server's reachability on screen, probing again with backoff
// until it answers.
func (m *Model) onProbe(msg probeMsg) tea.Cmd {
	if msg.err == nil {
		m.serverDown, m.probeAttempts = "", 0
		return nil
	}
	m.probeAttempts++
	wait := backoff(m.probeAttempts - 1)
	m.serverDown = fmt.Sprintf("%s Trying again in %s (attempt %d); everything else still works.", client.Explain(msg.err), wait, m.probeAttempts)
	return tea.Tick(wait, func(time.Time) tea.Msg { return probeAgainMsg{} })
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
		if p.tvCode.pending() {
			// Once a tick: the answer is the TV's only news that a phone signed in.
			cmds = append(cmds, m.startReq(resultMsg{dev: i, op: opPollCode, tvCode: p.tvCode.code}))
		}
		if !p.signedIn() {
			continue
		}
		if !p.state.NotAfter.IsZero() && p.state.NotAfter.Sub(now) < refreshMargin && p.attempts[opFresh] == 0 && !p.refreshRefused {
			cmds = append(cmds, m.start(i, opFresh, "", nil))
		}
		if p.card.showLink && p.card.link != nil && !p.card.linkStale && !now.Before(p.card.link.NotAfter.Time()) && !p.busy[opLink] {
			if p.card.autoCodes < maxAutoCodes {
				p.card.autoCodes++
				p.say(levelInfo, fmt.Sprintf("The code expired: making a new one (%d of %d).", p.card.autoCodes, maxAutoCodes))
				cmds = append(cmds, m.start(i, opLink, "", nil))
			} else {
				p.card.linkStale = true
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
