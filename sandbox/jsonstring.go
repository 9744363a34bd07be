package sandbox

import (
	"encoding/json"
	"unicode/utf8"
)

// appendJSONString appends s as a JSON string, escaped as encoding/json escapes it
// (HTML characters and U+2028/U+2029 included, invalid UTF-8 as U+FFFD), for the
// bodies the sandbox writes by hand. The plain ASCII run, by far the most common, is
// copied as it is.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if plainJSON[c] {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			b = append(b, s[start:i]...)
			b = appendEscaped(b, s[i:i+1])
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = appendEscaped(b, s[i:i+size])
			start = i + size
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plainJSON says which bytes a JSON string holds as they are: printable ASCII other
// than the quote, the backslash and the HTML characters. A table, since the list of
// 1,000 devices runs this test on every byte of its 190 kB.
var plainJSON = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendEscaped appends what encoding/json writes for the rare piece s, without its
// quotes.
func appendEscaped(b []byte, s string) []byte {
	raw, _ := json.Marshal(s) // a string always marshals
	return append(b, raw[1:len(raw)-1]...)
}
