package present

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostile are strings a server or a profile member could send, and what a terminal
// must show instead.
var hostile = []struct{ in, want string }{
	{"iPhone", "iPhone"},
	{"\x1b]0;pwned\x07", `\x1b]0;pwned\x07`}, // window title
	{"\x1b]52;c;ZWNobyBwd25lZA==\x1b\\", `\x1b]52;c;ZWNobyBwd25lZA==\x1b\\`}, // clipboard, ST
	{"red\x1b[31mtext\x1b[0m", `red\x1b[31mtext\x1b[0m`},
	{"line1\r\nline2", `line1\r\nline2`},
	{"tab\tdel\x7f", `tab\tdel\x7f`},
	{"c1 \u009b31m csi", `c1 \u009b31m csi`},
	{"abc\u202edcba", `abc\u202edcba`},
	{"iso\u2066late\u2069", `iso\u2066late\u2069`},
	{"ls\u2028ps\u2029", `ls\u2028ps\u2029`},
	{"not utf8 \xff\xfe", `not utf8 \xff\xfe`},
	{`back\slash`, `back\\slash`},
	{"Café — 東京 👨‍👩‍👧", "Café — 東京 👨‍👩‍👧"},
}

func TestSafe(t *testing.T) {
	for _, c := range hostile {
		got := Safe(c.in)
		if got != c.want {
			t.Errorf("Safe(%q) = %q, want %q", c.in, got, c.want)
		}
		if back := unescape(t, got); back != c.in {
			t.Errorf("unescape(Safe(%q)) = %q", c.in, back)
		}
	}
}

func TestSafeJSON(t *testing.T) {
	in := []byte(`{"osVersion":18.10,"model":"a\u001b[2Jb","c1":"` + "x\u0085y" + `","ls":"` + "\u2028" + `","rtl":"` + "\u202e" + `","del":"` + "\x7f" + `","bad":"` + "\xff" + `","unknown":{"n":1e3}}`)
	got := SafeJSON(in)
	want := `{"osVersion":18.10,"model":"a\u001b[2Jb","c1":"x\u0085y","ls":"\u2028","rtl":"\u202e","del":"\u007f","bad":"\ufffd","unknown":{"n":1e3}}`
	if string(got) != want {
		t.Fatalf("SafeJSON =\n%s\nwant\n%s", got, want)
	}
	var a, b map[string]any
	if err := json.Unmarshal(got, &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(strings.Replace(string(in), "\xff", "\ufffd", 1)), &b); err != nil {
		t.Fatal(err)
	}
	if a["c1"] != b["c1"] || a["rtl"] != b["rtl"] || a["del"] != b["del"] || a["ls"] != b["ls"] {
		t.Errorf("the escaped JSON reads differently: %v vs %v", a, b)
	}
}

func TestEncodeJSON(t *testing.T) {
	var buf bytes.Buffer
	if err := EncodeJSON(&buf, map[string]string{"m": "<a>\u0090\u2029\x1b"}); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), `{"m":"<a>\u0090\u2029\u001b"}`+"\n"; got != want {
		t.Errorf("EncodeJSON = %q, want %q", got, want)
	}
}

// FuzzSafe: whatever the input, the output holds no C0 control, no DEL, no C1
// control, no bidi control or separator, is UTF-8, and reads back as the input.
func FuzzSafe(f *testing.F) {
	for _, c := range hostile {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Safe(s)
		checkTerminalSafe(t, out)
		if back := unescape(t, out); back != s {
			t.Fatalf("unescape(Safe(%q)) = %q", s, back)
		}
	})
}

// FuzzSafeJSON: any JSON value, encoded and made safe, holds none of the runes a
// terminal acts on and decodes to the same value.
func FuzzSafeJSON(f *testing.F) {
	f.Add("\u0085\u2028\u202e\x7f\x1b")
	f.Add("plain")
	f.Fuzz(func(t *testing.T, s string) {
		raw, err := json.Marshal(map[string]any{"s": s, "n": json.Number("18.10")})
		if err != nil {
			t.Skip()
		}
		out := SafeJSON(raw)
		checkTerminalSafe(t, string(out))
		var a, b map[string]any
		if err := json.Unmarshal(out, &a); err != nil {
			t.Fatalf("SafeJSON broke the JSON: %v\n%s", err, out)
		}
		_ = json.Unmarshal(raw, &b)
		if a["s"] != b["s"] || !bytes.Contains(out, []byte(`"n":18.10`)) {
			t.Fatalf("value changed: %q vs %q (%s)", a["s"], b["s"], out)
		}
	})
}

func checkTerminalSafe(t *testing.T, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Fatalf("output is not UTF-8: %q", out)
	}
	for _, r := range out {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || jsonUnsafe(r) {
			t.Fatalf("output holds %U: %q", r, out)
		}
	}
}

// unescape reads TerminalSafe's escapes back, to prove that nothing was lost.
func unescape(t *testing.T, s string) string {
	t.Helper()
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		i++
		if i >= len(s) {
			t.Fatalf("dangling backslash in %q", s)
		}
		switch s[i] {
		case '\\':
			b.WriteByte('\\')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'x':
			n, err := strconv.ParseUint(s[i+1:i+3], 16, 8)
			if err != nil {
				t.Fatalf("bad \\x escape in %q", s)
			}
			b.WriteByte(byte(n))
			i += 2
		case 'u':
			n, err := strconv.ParseUint(s[i+1:i+5], 16, 32)
			if err != nil {
				t.Fatalf("bad \\u escape in %q", s)
			}
			b.WriteRune(rune(n))
			i += 4
		default:
			t.Fatalf("unknown escape \\%c in %q", s[i], s)
		}
	}
	return b.String()
}
