package main

import (
	"io"
	"os"
	"strings"

	"github.com/charmbracelet/colorprofile"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/handoff-sso/handoff/present"
)

// terminalQR draws content as a QR image with the TUI's renderer (explicit black and
// white cells around every module, quiet zone included), brought down to black and
// bright white of the 16 ANSI colours, which every terminal has: the image scans on
// light and dark backgrounds alike, whatever colour depth the terminal offers.
func terminalQR(content string) (string, error) {
	qr, err := present.RenderQR(content, true, false)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	w := &colorprofile.Writer{Forward: &b, Profile: colorprofile.ANSI}
	if _, err := io.WriteString(w, qr+"\n"); err != nil {
		return "", err
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
