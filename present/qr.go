package present

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
	return RenderQRScaled(payload, colour, dark, 1)
}

// QRModules is how many modules wide (and high) payload's QR image is, quiet zone
// included: at scale s it takes s×QRModules columns and about s×QRModules/2 lines.
func QRModules(payload string) (int, error) {
	q, err := qrcode.New(payload, qrcode.Medium)
	if err != nil {
		return 0, err
	}
	return len(q.Bitmap()), nil
}

// RenderQRScaled is RenderQR with each module drawn scale cells wide and scale half
// lines high, for large terminals where an image seen across the room helps.
func RenderQRScaled(payload string, colour, dark bool, scale int) (string, error) {
	q, err := qrcode.New(payload, qrcode.Medium)
	if err != nil {
		return "", err
	}
	bits := upscale(q.Bitmap(), max(1, scale)) // true is a dark module
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

func upscale(bits [][]bool, s int) [][]bool {
	if s == 1 {
		return bits
	}
	out := make([][]bool, 0, len(bits)*s)
	for _, row := range bits {
		wide := make([]bool, 0, len(row)*s)
		for _, px := range row {
			for range s {
				wide = append(wide, px)
			}
		}
		for range s {
			out = append(out, wide)
		}
	}
	return out
}

func moduleColour(dark bool) string {
	if dark {
		return qrBlack
	}
	return qrWhite
}
