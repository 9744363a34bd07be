package tui

import (
	"github.com/handoff-sso/handoff/client"
)

// phonePage is the phone's second QR image: the sandbox's phone page, where a real
// phone's browser plays the phone of the flow (signs in, makes link codes, lists and
// unlinks devices) while this terminal plays the TV or watches.
type phonePage struct {
	public client.PublicServer
	known  bool // public was asked for
	qr     qrImages
}

func (pp *phonePage) draw(sp string, s Styles, colour bool, width, height int) {
	pp.qr = qrImages{}
	if pp.known {
		pp.qr.draw(pp.public.PhoneURL(sp), s, colour, width, height)
	}
}

// View draws the card in width×height cells.
func (pp *phonePage) View(width, height int, s Styles) []string {
	out := []string{s.Bold.Render(cut("The phone page, for a real phone", width))}
	out = append(out, wrap("Scan it with a phone on the same network: its browser becomes a phone of the flow, and a TV in a terminal types the code it shows.", width)...)
	if !pp.known {
		return append(out, "Asking the server where phones reach it…")
	}
	var tail []string
	if pp.public.Loopback {
		for _, l := range wrap("A phone cannot open this loopback address: start handoff with --lan (or --advertise URL).", width) {
			tail = append(tail, s.Warn.Render(l))
		}
	}
	tail = append(tail, urlLines("open: ", pp.qr.url, width, s)...)
	out = append(out, pp.qr.lines(width, height-len(out)-len(tail), s, "open the address below")...)
	return append(out, tail...)
}
