package main

import (
	"os"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
)

// Explicit colours for both halves of every cell, so that the code has dark modules
// on a light background whatever the terminal's own colours are.
const (
	sgrDarkTopLightBottom = "\x1b[30;107m"
	sgrLightTopDarkBottom = "\x1b[97;40m"
	sgrBothDark           = "\x1b[30;40m"
	sgrBothLight          = "\x1b[97;107m"
	sgrReset              = "\x1b[0m"
	upperHalf             = "▀"
)

// terminalQR renders content as a QR code in the terminal: each character cell holds
// two modules (the upper half block coloured for the top one, its background for the
// bottom one), with the standard four-module quiet zone.
func terminalQR(content string) (string, error) {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return "", err
	}
	bm := q.Bitmap()
	var b strings.Builder
	for y := 0; y < len(bm); y += 2 {
		for x := range bm[y] {
			top := bm[y][x]
			bottom := y+1 < len(bm) && bm[y+1][x]
			switch {
			case top && bottom:
				b.WriteString(sgrBothDark)
			case top:
				b.WriteString(sgrDarkTopLightBottom)
			case bottom:
				b.WriteString(sgrLightTopDarkBottom)
			default:
				b.WriteString(sgrBothLight)
			}
			b.WriteString(upperHalf)
		}
		b.WriteString(sgrReset + "\n")
	}
	return b.String(), nil
}

// writeQRPNG writes content as a QR code PNG, readable only by its owner because it
// carries a live link code.
func writeQRPNG(content, file string) error {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return err
	}
	png, err := q.PNG(512)
	if err != nil {
		return err
	}
	return os.WriteFile(file, png, 0o600)
}
