package tui

// tourStep is one of the six steps of the flow (DESIGN.md "The flow"), narrated.
type tourStep struct {
	title  string
	story  string
	action string // the next action, highlighted on the device that takes it
	phone  bool   // the action is the phone's (else the TV's)
}

var tourSteps = []tourStep{
	{"The phone's identity", "The phone gets a common identifier, the D2C account; it travels as X-SSO-ID.",
		"enter keeps the offered identity, e types another", true},
	{"A service token", "The phone gets a service token: POST /api/{sp}/serviceToken with X-SSO-ID. The token is a JWT whose sub is the identity.",
		"enter signs in", true},
	{"The TV provider", "The phone signs in with a TV provider (MVPD) through the sandbox's simulated MVPD: POST /api/v2/{sp}/sessions, then the provider's login. Linked devices share that sign-in.",
		"p picks a provider, then type the user id (] skips this step)", true},
	{"A link code", "The phone asks for a link code: POST /api/{sp}/link gives six digits, shown large, as a QR image and with a countdown.",
		"l asks for a code", true},
	{"The TV joins", "The TV types the code: POST serviceToken with X-SSO-LINK gives it its own service token for the same profile; it then reads the TV provider sign-in (v2 profiles, v1 authn).",
		"type the six digits, then enter", false},
	{"Devices", "Either device lists the profile's devices (GET list) and can unlink any of them (POST unlink); an unlinked device's token stops working.",
		"↑/↓ picks a device, space selects, u unlinks", false},
}

// tourDone says whether the flow has got past a step.
func (m *Model) tourDone(i int) bool {
	var phoneIn, tvIn, linked, provider bool
	for _, p := range m.panes {
		if p.primary() {
			_, _, has := p.provider()
			provider = provider || has
			phoneIn = phoneIn || p.signedIn()
			linked = linked || p.link != nil || len(p.devices) > 1
		} else {
			tvIn = tvIn || p.signedIn()
		}
	}
	switch i {
	case 0, 1:
		return phoneIn || tvIn
	case 2:
		return provider || linked || tvIn
	case 3:
		return linked || tvIn
	case 4:
		return tvIn
	}
	return false
}

// advanceTour moves the tour past the steps the flow has done.
func (m *Model) advanceTour() {
	for m.tourOn && m.tourStep < len(tourSteps)-1 && m.tourDone(m.tourStep) {
		m.tourStep++
	}
}

// tourActionFor returns the highlighted action for a device, if the tour points at it.
func (m *Model) tourActionFor(p *pane) (string, bool) {
	if !m.tourOn {
		return "", false
	}
	s := tourSteps[m.tourStep]
	if m.tourStep == len(tourSteps)-1 {
		return s.action, p.signedIn()
	}
	return s.action, s.phone == p.primary()
}
