package tui

import (
	"fmt"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/handoff-sso/handoff/present"
)

// qrImage is a QR image drawn at one scale, with its size in cells.
type qrImage struct {
	text string
	w, h int
}

// qrImages is one URL's QR image, drawn in Update at scale 1 and at the larger scales
// the screen holds, so that View only picks one. The link card, the phone page and
// the TV's code each own one.
type qrImages struct {
	url  string
	imgs []qrImage // scales 1, 2 …; empty when nothing is drawn
	err  error
}

// draw draws url at scale 1 always, and larger while the image fits width×height.
func (q *qrImages) draw(url string, s Styles, colour bool, width, height int) {
	*q = qrImages{url: url}
	if url == "" {
		return
	}
	n, err := present.QRModules(url)
	if err != nil {
		q.err = err
		return
	}
	for scale := 1; scale == 1 || (scale*n <= width && (scale*n+1)/2+1 <= height); scale++ {
		img, err := present.RenderQRScaled(url, colour, s.Dark, scale)
		if err != nil {
			q.imgs, q.err = nil, err
			return
		}
		q.imgs = append(q.imgs, qrImage{text: img, w: lipgloss.Width(img), h: strings.Count(img, "\n") + 1})
	}
}

// small is the image at scale 1, "" when it could not be drawn.
func (q *qrImages) small() string {
	if len(q.imgs) == 0 {
		return ""
	}
	return q.imgs[0].text
}

// big is the largest image that fits w×h cells (the smallest if none does).
func (q *qrImages) big(w, h int) qrImage {
	best := qrImage{}
	for _, img := range q.imgs {
		if best.text == "" || (img.w <= w && img.h <= h) {
			best = img
		}
	}
	return best
}

// lines is the image in width×room cells, or one line that says why it is not there
// and what else works (what, e.g. "the code above works the same").
func (q *qrImages) lines(width, room int, s Styles, what string) []string {
	switch {
	case q.err != nil || len(q.imgs) == 0:
		return []string{"The QR image could not be drawn; " + what + "."}
	case s.Plain:
		// A screen reader would spell the image out block by block.
		return []string{"The QR image is not drawn in --plain: z shows it full screen."}
	case q.imgs[0].w > width:
		return []string{fmt.Sprintf("The QR image needs %d columns: z shows it full screen.", q.imgs[0].w)}
	case q.imgs[0].h > room:
		return []string{fmt.Sprintf("The QR image needs %d more rows: z shows it full screen.", q.imgs[0].h-room)}
	}
	return strings.Split(q.big(width, room).text, "\n")
}

// urlLines writes a QR image's address under it, whole on up to two lines, so that a
// person can type it where a camera is not at hand; the address came from a server.
func urlLines(label, url string, width int, s Styles) []string {
	lines := strings.Split(ansi.Hardwrap(label+present.Safe(url), width, true), "\n")
	if len(lines) > 2 {
		lines = lines[:2]
		lines[1] = cut(lines[1]+"…", width)
	}
	for i, l := range lines {
		lines[i] = s.Muted.Render(l)
	}
	return lines
}
