// Package present is what the CLI and the TUI both show: device names, times, big
// glyphs, QR images and terminal-safe text, written once.
package present

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/handoff-sso/handoff/client"
)

// Safe makes a server-supplied string terminal-safe: controls, escape sequences,
// CR/LF and bidi controls are shown as visible escapes (\x1b, \n, \u202e), never
// interpreted. The escaper itself is client.TerminalSafe, because client.Explain
// needs it and client may not import present.
func Safe(s string) string { return client.TerminalSafe(s) }

// SafeJSON rewrites encoded JSON so that printing it cannot drive a terminal: inside
// strings it escapes U+0080–U+009F (C1), U+2028/U+2029, DEL and the bidi controls as
// \uXXXX (the same value to a JSON reader), and replaces bytes that are not UTF-8 with
// \ufffd. Everything else, number forms and key order included, is kept byte for
// byte, so an API answer printed with --json is the answer as received. C0 controls
// cannot occur raw in valid JSON; outside strings valid JSON is ASCII.
func SafeJSON(data []byte) []byte {
	var b bytes.Buffer
	b.Grow(len(data))
	for i := 0; i < len(data); {
		c := data[i]
		if c < 0x80 {
			if c == 0x7f {
				b.WriteString(`\u007f`)
			} else {
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\ufffd`)
		case jsonUnsafe(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.Write(data[i : i+size])
		}
		i += size
	}
	return b.Bytes()
}

func jsonUnsafe(r rune) bool {
	return (r >= 0x80 && r <= 0x9f) || r == 0x2028 || r == 0x2029 || r == 0x061c ||
		r == 0x200e || r == 0x200f || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// EncodeJSON writes v as one line of JSON, made safe by SafeJSON, with a newline.
// HTML characters stay as they are: the reader is a terminal or a script.
func EncodeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return err
	}
	_, err := w.Write(SafeJSON(buf.Bytes()))
	return err
}
