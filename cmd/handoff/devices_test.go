package main

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/handoff-sso/handoff/client"
)

// hostileAttr is what a hostile member puts in its X-Device-Info: a terminal title
// (OSC 0), a clipboard write (OSC 52), a screen clear (CSI 2J), a C1 CSI, a bidi
// override and a line break.
const hostileAttr = "\x1b]0;pwned\x07\x1b]52;c;cHduZWQ=\x07\x1b[2J\u009b31m\u202eevil\u2028\r\n"

func hostileList(t *testing.T) *client.DeviceList {
	t.Helper()
	h, _ := json.Marshal(hostileAttr)
	body := `{"devices":{
		"selfKey=":{"deviceType":"mobile","manufacturer":"Apple","model":"iPhone","os":"iOS","osVersion":18.1,"lastSeen":1764600000000,"type":"regular","hdr":true,"screen":{"width":3840}},
		"evil` + strings.Trim(string(h), `"`) + `=":{"deviceType":` + string(h) + `,"model":` + string(h) + `,"os":"x","type":"sso","lastSeen":1764600000000,"nickname":` + string(h) + `,` + string(h) + `:1}}}`
	var list client.DeviceList
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatal(err)
	}
	if len(list.Devices) != 2 {
		t.Fatalf("list: %v", list.Devices)
	}
	return &list
}

// checkTerminalSafe fails when out holds a byte or rune a terminal would act on:
// C0 controls other than the newlines between lines, DEL, C1, bidi controls, U+2028/9.
func checkTerminalSafe(t *testing.T, out string) {
	t.Helper()
	for i, r := range out {
		switch {
		case r == '\n':
		case r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f, r == 0x2028, r == 0x2029,
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
			t.Errorf("raw %U at byte %d of:\n%s", r, i, out)
		case r == utf8.RuneError:
			t.Errorf("invalid UTF-8 at byte %d", i)
		}
	}
}

func TestDeviceTableEscapesAHostileMember(t *testing.T) {
	list := hostileList(t)
	for name, write := range map[string]func(*bytes.Buffer){
		"table": func(b *bytes.Buffer) { writeDeviceTable(b, list, "selfKey=", time.UnixMilli(1764600060000)) },
		"wide":  func(b *bytes.Buffer) { writeDeviceDetails(b, list, "selfKey=", time.UnixMilli(1764600060000)) },
	} {
		var buf bytes.Buffer
		write(&buf)
		out := buf.String()
		checkTerminalSafe(t, out)
		for _, want := range []string{`\x1b]0;pwned\x07`, `\x1b]52;c;`, `\x1b[2J`, `\u009b31m`, `\u202eevil`} {
			if !strings.Contains(out, want) {
				t.Errorf("%s: the escape %s is not shown:\n%s", name, want, out)
			}
		}
	}
}

func TestDeviceTableShowsEveryAttribute(t *testing.T) {
	list := hostileList(t)
	var buf bytes.Buffer
	writeDeviceTable(&buf, list, "selfKey=", time.UnixMilli(1764600060000))
	out := buf.String()
	// A number is shown as the server wrote it; attributes with no column are listed
	// under the table, each device on its line.
	for _, want := range []string{"iOS 18.1", "other attributes", "nickname="} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	if !regexp.MustCompile(`(?m)^  selfKey= +hdr=true  screen=\{"width":3840\}$`).MatchString(out) {
		t.Errorf("the other attributes of selfKey= are not on its line:\n%s", out)
	}
	// Shortened in the table, whole with --wide.
	long := strings.Repeat("x", 200)
	list.Devices["selfKey="].Attributes["note"] = json.RawMessage(`"` + long + `"`)
	buf.Reset()
	writeDeviceTable(&buf, list, "selfKey=", time.Now())
	if strings.Contains(buf.String(), long) || !strings.Contains(buf.String(), "note="+long[:maxDetail-1]+"…") {
		t.Errorf("a long attribute is not shortened in the table:\n%s", buf.String())
	}
	buf.Reset()
	writeDeviceDetails(&buf, list, "selfKey=", time.UnixMilli(1764600060000))
	wide := buf.String()
	if !regexp.MustCompile(`(?m)^  note +`+long+`$`).MatchString(wide) || !strings.Contains(wide, "selfKey=  (this device)") ||
		!regexp.MustCompile(`(?m)^  osVersion +18\.1$`).MatchString(wide) || !regexp.MustCompile(`(?m)^  lastSeen +1764600000000 \(1 min ago\)$`).MatchString(wide) {
		t.Errorf("--wide:\n%s", wide)
	}
}
