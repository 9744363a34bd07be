package tui

import (
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// Explicit black and white cells, so that the image scans on light and dark terminals
// alike. Truecolour; the renderer brings it down to what the terminal has.
const (
	sgrReset = "\x1b[0m"
	qrBlack  = "0;0;0"
	qrWhite  = "255;255;255"
)

// RenderQR encodes payload (medium error correction, with its quiet zone) and draws it
// two modules per line. colour draws every cell with explicit black and white; without
// colour (NO_COLOR, --plain) it draws the modules that contrast with the background in
// the terminal's own foreground: the light ones on a dark terminal, the dark ones on a
// light terminal.
func RenderQR(payload string, colour, dark bool) (string, error) {
	q, err := qrcode.New(payload, qrcode.Medium)
	if err != nil {
		return "", err
	}
	bits := q.Bitmap() // true is a dark module
	if !colour {
		return halfBlocks(bits, !dark), nil
	}
	var b strings.Builder
	for y := 0; y < len(bits); y += 2 {
		if y > 0 {
			b.WriteByte('\n')
		}
		last := ""
		for x := range bits[y] {
			top := bits[y][x]
			bottom := y+1 < len(bits) && bits[y+1][x]
			sgr := "\x1b[38;2;" + moduleColour(top) + ";48;2;" + moduleColour(bottom) + "m"
			if sgr != last {
				b.WriteString(sgr)
				last = sgr
			}
			b.WriteString("▀")
		}
		b.WriteString(sgrReset)
	}
	return b.String(), nil
}

func moduleColour(dark bool) string {
	if dark {
		return qrBlack
	}
	return qrWhite
}

// qrCache keeps the last drawn image: a code's QR is encoded once, not on each frame.
type qrCache struct {
	key, out string
	err      error
}

func (c *qrCache) get(payload string, colour, dark bool) (string, error) {
	key := payload
	if colour {
		key += "|colour"
	}
	if dark {
		key += "|dark"
	}
	if c.key != key {
		c.key = key
		c.out, c.err = RenderQR(payload, colour, dark)
	}
	return c.out, c.err
}
