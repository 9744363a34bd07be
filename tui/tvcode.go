package tui

import (
	"strings"
	"time"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

// tvCodeCard is the TV's other way in (docs/second-screen.md): it shows a code, in
// large type and as a QR image of the activation page, with its countdown, and asks
// once a second whether a second screen has activated it.
type tvCodeCard struct {
	code   *client.TVCode
	signIn *client.CodeSignIn // nil until the second screen has signed in
	gone   bool               // the service no longer takes the code: g asks for a new one
	digits []string
	qr     qrImages
}

// name is the code as a person reads it, terminal-safe (a server sent it).
func (c *tvCodeCard) name() string { return present.Safe(present.GroupCode(c.code.Code)) }

// draw draws the code's large type and the activation page's QR image, in Update.
func (c *tvCodeCard) draw(s Styles, colour bool, width, height int) {
	c.digits, c.qr = nil, qrImages{}
	if c.code == nil {
		return
	}
	c.digits = strings.Split(s.Digits.Style.Render(present.BigDigits(c.code.Code, false)), "\n")
	page := c.code.ActivationPageURL
	if page == "" {
		page = c.code.ActivationURL
	}
	c.qr.draw(page, s, colour, width, height)
}

// pending is whether the card still waits for the second screen.
func (c *tvCodeCard) pending() bool { return c.code != nil && c.signIn == nil && !c.gone }

// View draws the card in width×height cells.
func (c *tvCodeCard) View(width, height int, now time.Time, s Styles, countdown func(time.Duration) string) []string {
	kind := "REST v2 second-screen sign-in"
	if c.code.Legacy {
		kind = "legacy v1 registration code"
	}
	out := wrap("The TV shows a code ("+kind+"): open the activation page on a phone, type the code, pick the TV provider and sign in there. The TV asks every second whether it is done.", width)
	if c.signIn != nil {
		name := present.Safe(c.signIn.MVPD)
		if mv, ok := assets.LookupMVPD(c.signIn.MVPD); ok {
			name = mv.Name
		}
		out = []string{s.OK.Render(cut("✓ Signed in through the second screen", width))}
		out = append(out, wrap("TV provider "+name+" as "+present.Safe(c.signIn.UserID)+", until "+present.Date(c.signIn.NotAfter.Time())+". The TV holds no service token and joined no profile: a plays a resource.", width)...)
		return out
	}
	out = append(out, "")
	if !s.Plain && width >= present.BigCodeWidth(len(c.code.Code)) {
		out = append(out, c.digits...)
	}
	left := c.code.NotAfter.Time().Sub(now)
	state := "expires in " + countdown(left) + " · waiting for the second screen"
	if c.gone || (c.code.NotAfter != 0 && left <= 0) {
		state = "no longer valid: g shows a new code"
	}
	out = append(out, s.Bold.Render(cut("code "+c.name(), width))+" · "+state)
	if !s.Plain && c.code.NotAfter != 0 {
		out = append(out, bar(s, min(width, 40), left, c.code.NotAfter.Time().Sub(c.code.NotBefore.Time()))+" "+countdown(left))
	}
	tail := urlLines("open: ", c.qr.url, width, s)
	out = append(out, c.qr.lines(width, height-len(out)-len(tail), s, "open the page below and type the code")...)
	return append(out, tail...)
}
