package tui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

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
	url       string          // what the QR image holds
	digits    []string        // the code in large type
	qr        string          // the QR image at its smallest; "" when it cannot be drawn
	qrs       []qrImage       // the QR image at scales 1, 2 …, as far as the screen holds
	qrErr     error
}

// qrImage is the link code's QR image drawn at one scale, with its size in cells.
type qrImage struct {
	text string
	w, h int
}

// draw draws the code's large type and QR images once per code, style and screen
// size: scale 1 always, and larger scales as long as they fit the screen, for the
// full-screen image and big panes.
func (c *linkCard) draw(server, sp string, s Styles, colour bool, width, height int) {
	c.digits, c.qr, c.qrs, c.qrErr, c.url = nil, "", nil, nil, ""
	if c.link == nil {
		return
	}
	c.digits = strings.Split(s.Digits.Style.Render(present.BigDigits(c.link.Code, false)), "\n")
	c.url = client.LinkURL(server, sp, c.link.Code)
	n, err := present.QRModules(c.url)
	if err != nil {
		c.qrErr = err
		return
	}
	for scale := 1; scale == 1 || (scale*n <= width && (scale*n+1)/2+1 <= height); scale++ {
		img, err := present.RenderQRScaled(c.url, colour, s.Dark, scale)
		if err != nil {
			c.qrErr = err
			return
		}
		c.qrs = append(c.qrs, qrImage{text: img, w: lipgloss.Width(img), h: strings.Count(img, "\n") + 1})
	}
	c.qr = c.qrs[0].text
}

// bigQR is the largest QR image that fits w×h cells (the smallest if none does).
func (c *linkCard) bigQR(w, h int) qrImage {
	best := qrImage{}
	for _, img := range c.qrs {
		if best.text == "" || (img.w <= w && img.h <= h) {
			best = img
		}
	}
	return best
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
	room := height - len(out) - 1
	switch {
	case c.qrErr != nil:
		out = append(out, "The QR image could not be drawn; the code above works the same.")
	case s.Plain:
		// A screen reader would spell the image out block by block.
		out = append(out, "The QR image is not drawn in --plain: z shows it full screen.")
	case c.qrs[0].w > width:
		out = append(out, fmt.Sprintf("The QR image needs %d columns: z shows it full screen.", c.qrs[0].w))
	case c.qrs[0].h > room:
		out = append(out, fmt.Sprintf("The QR image needs %d more rows: z shows it full screen.", c.qrs[0].h-room))
	default:
		out = append(out, strings.Split(c.bigQR(width, room).text, "\n")...)
	}
	return append(out, s.Muted.Render(cut("QR: "+c.url, width)))
}
