package tui

import (
	"sort"
	"time"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

// maxAutoCodes is how many codes the phone makes on its own after one expires; then
// it waits for a key, so that a forgotten screen does not keep minting codes.
const maxAutoCodes = 3

// level says how a status line reads: the words carry the meaning, colour only helps.
type level int

const (
	levelInfo level = iota
	levelOK
	levelWarn
	levelErr
)

// pane is one device on screen: its state as of the last step, and what its part of
// the screen shows.
type pane struct {
	label string
	caps  caps
	state client.DeviceState

	held mode // a mode entered on purpose (see mode.go)

	identity entry // the phone's D2C identity (step 1)
	codeIn   entry // the TV's code entry (step 5)

	card  linkCard  // step 4: the link code the phone shows
	phone phonePage // the phone page's QR image, for a real phone

	tvCode     tvCodeCard // the code a TV shows for a second screen
	tvCodeIn   entry      // the phone types a TV's code to activate it
	activating string     // that code, while the TV provider is picked for it
	play       playResult // the TV's last decision for a resource

	providers    *client.Profiles       // the profile's TV provider sign-ins; nil until read
	providerNote string                 // why they could not be read
	authn        *client.Authentication // the same, through the v1 API (TVs only)
	authnNote    string
	lastProvider time.Time      // when the two were last read
	picker       providerPicker // step 3: the TV provider and the user id there

	table         deviceTable // step 6: the profile's devices
	ghostsOffered int         // how many leftovers the status last offered to unlink
	confirm       []string    // keys waiting for a yes

	http httpPanel

	busy           map[op]bool
	refreshRefused bool // the service refused to refresh this token
	attempts       map[op]int
	lastPoll       time.Time
	startedOver    bool // the user took in that it was unlinked and starts again

	status      string
	statusLevel level
}

func newPane(label string, d Device, identity string) *pane {
	p := &pane{
		label: label, caps: capsOf(d), state: d.State(),
		busy: map[op]bool{}, attempts: map[op]int{},
	}
	p.http = newHTTPPanel()
	p.identity = newEntry("X-SSO-ID › ", "", 128, nil, false)
	p.identity.SetValue(identity)
	p.picker = newProviderPicker()
	p.codeIn = newEntry("code › ", "123 456", 40, codeRune, true)
	p.tvCodeIn = newEntry("TV code › ", "K7M 2PQ9", 40, codeRune, true)
	if p.primary() {
		p.say(levelInfo, "Press enter to sign in as "+identity+", or e to type another identity.")
	} else {
		p.say(levelInfo, "Type the code the phone shows, then press enter.")
	}
	if p.state.SignedIn {
		p.say(levelInfo, "Resuming as "+p.subject()+".")
	}
	return p
}

func (p *pane) primary() bool { return p.state.Preset.Role != assets.RoleSecondary }

// standing is the device's state in a word or two, for the tab bar: in narrow
// terminals the other device's news must still reach the eye.
func (p *pane) standing() string {
	switch {
	case p.unlinked():
		return "unlinked"
	case p.signedIn() && p.primary():
		return "signed in"
	case p.signedIn():
		return "joined"
	case p.tvCode.signIn != nil:
		return "code activated"
	case p.primary():
		return "signed out"
	}
	return "not joined"
}

// canProvider is whether the device has the TV provider steps.
func (p *pane) canProvider() bool { return p.caps.provider != nil }

// canLegacy is whether the device reads the v1 authentication: the TV, as the
// flow's step 5 says.
func (p *pane) canLegacy() bool {
	return p.caps.legacy != nil && !p.primary()
}

// canRoku is whether the device can join through the Roku platform identity.
func (p *pane) canRoku() bool {
	return p.caps.platform != nil && p.state.Preset.PlatformSSO
}

// provider is the profile's first TV provider sign-in, in id order.
func (p *pane) provider() (string, client.MVPDProfile, bool) {
	if p.providers == nil || len(p.providers.Profiles) == 0 {
		return "", client.MVPDProfile{}, false
	}
	ids := make([]string, 0, len(p.providers.Profiles))
	for id := range p.providers.Profiles {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids[0], p.providers.Profiles[ids[0]], true
}

// subject is the profile's identity as the token names it, made terminal-safe.
func (p *pane) subject() string { return present.Safe(p.state.Claims.Subject) }

func (p *pane) say(l level, s string) { p.status, p.statusLevel = s, l }

// signedIn is whether the device holds a token the service still honours.
func (p *pane) signedIn() bool { return p.state.SignedIn && !p.state.Unlinked }

// unlinked is whether the service unlinked this device and the screen still says so:
// the client's state is the one source, until the user starts again.
func (p *pane) unlinked() bool { return p.state.Unlinked && !p.startedOver }

// entries are the pane's text entries, for styling and layout.
func (p *pane) entries() []*entry {
	return []*entry{&p.identity, &p.codeIn, &p.picker.user, &p.tvCodeIn}
}

// canSecondScreen is whether the device has the second-screen steps (show a code,
// activate one, play).
func (p *pane) canSecondScreen() bool { return p.caps.second != nil }

// authenticated is whether the TV holds a TV provider authentication, either way:
// through the phone's profile (the link code) or a second screen (its own code).
func (p *pane) authenticated() bool {
	if p.tvCode.signIn != nil {
		return true
	}
	_, _, has := p.provider()
	return p.signedIn() && (has || p.authn != nil)
}

// newcomer returns a device that appeared since the link code was made.
func (p *pane) newcomer() (deviceRow, bool) {
	if p.card.linkKnown == nil {
		return deviceRow{}, false
	}
	for _, r := range p.table.devices {
		if !p.card.linkKnown[r.key] && !r.self {
			return r, true
		}
	}
	return deviceRow{}, false
}
