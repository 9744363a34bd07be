package tui

import (
	"strings"
	"time"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

// linkCard is the phone's step 4: the link code it shows, in large type, as a QR
// image and with its countdown, and what the phone knows of its use.
type linkCard struct {
	link      *client.LinkCode
	showLink  bool
	autoCodes int             // codes made on their own since the last key
	linkStale bool            // expired, and no new one will come without a key
	linkKnown map[string]bool // device keys listed when the code was made, to notice the join
	// public is where other devices reach the server, asked for with the code: the
	// QR image carries the link page under it.
	public client.PublicServer
	digits []string // the code in large type
	qr     qrImages // the link page's QR image
}

// draw draws the code's large type and QR images once per code, style and screen
// size, for the card, the full-screen image and big panes.
func (c *linkCard) draw(sp string, s Styles, colour bool, width, height int) {
	c.digits, c.qr = nil, qrImages{}
	if c.link == nil {
		return
	}
	c.digits = strings.Split(s.Digits.Style.Render(present.BigDigits(c.link.Code, false)), "\n")
	c.qr.draw(c.public.LinkURL(sp, c.link.Code), s, colour, width, height)
}

// View draws the card in width×height cells under the token's expiry line; countdown
// words what is left (to the minute under --plain).
func (c *linkCard) View(width, height int, now time.Time, s Styles, expiry string, countdown func(time.Duration) string) []string {
	l := c.link
	left := l.NotAfter.Time().Sub(now)
	total := l.NotAfter.Time().Sub(l.NotBefore.Time())
	out := []string{expiry, ""}
	if !s.Plain && width >= present.BigCodeWidth(len(l.Code)) {
		out = append(out, c.digits...)
	}
	state := "expires in " + countdown(left)
	if c.linkStale || left <= 0 {
		state = "expired: press l for a new one"
	}
	out = append(out, s.Bold.Render("code "+present.GroupCode(l.Code))+" · "+state)
	if !s.Plain {
		out = append(out, bar(s, min(width, 40), left, total)+" "+countdown(left))
	}
	var tail []string
	if c.public.Loopback {
		tail = wrap("A phone cannot open this loopback address: start handoff with --lan (or --advertise URL) for a real phone to scan it.", width)
		for i, t := range tail {
			tail[i] = s.Warn.Render(t)
		}
	}
	tail = append(tail, urlLines("QR: ", c.qr.url, width, s)...)
	out = append(out, c.qr.lines(width, height-len(out)-len(tail), s, "the code above works the same")...)
	return append(out, tail...)
}
