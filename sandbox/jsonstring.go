package sandbox

import (
	"encoding/json"
	"strings"
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
		for i+8 <= len(s) && plainWord(s[i:i+8]) {
			i += 8
		}
		if i == len(s) {
			break
		}
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

// plainWord says whether the 8 bytes of w are all plainJSON, testing them at once in
// one word (the bit tricks of "Determine if a word has a byte less than n"): no high
// bit, no byte under 0x20, none equal to a character that must be escaped.
func plainWord(w string) bool {
	_ = w[7]
	x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
		uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
	const lo, hi = 0x0101010101010101, 0x8080808080808080
	hasZero := func(v uint64) uint64 { return (v - lo) & ^v & hi }
	bad := x&hi | (x-lo*0x20)&^x&hi |
		hasZero(x^(lo*'"')) | hasZero(x^(lo*'\\')) | hasZero(x^(lo*'<')) | hasZero(x^(lo*'>')) | hasZero(x^(lo*'&'))
	return bad == 0
}

// appendEscaped appends what encoding/json writes for the rare piece s, without its
// quotes.
func appendEscaped(b []byte, s string) []byte {
	// A string always marshals. The copy keeps s from escaping through Marshal's
	// interface: otherwise every caller's strings, and the structs they come in,
	// went to the heap on every call, rare characters or not.
	raw, _ := json.Marshal(strings.Clone(s))
	return append(b, raw[1:len(raw)-1]...)
}
