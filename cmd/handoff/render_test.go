package main

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
)

// decodeTerminalQR reads the half-block rendering back into modules (true is dark),
// following the colours its SGR sequences set: black (30/40) and bright white
// (97/107). A cell drawn before both colours are set fails the test.
func decodeTerminalQR(t *testing.T, s string) [][]bool {
	t.Helper()
	sgr := regexp.MustCompile(`^\x1b\[([0-9;]*)m`)
	var rows [][]bool
	for _, line := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
		var top, bottom []bool
		fg, bg := -1, -1 // -1: not set; 1: dark; 0: light
		for len(line) > 0 {
			if m := sgr.FindStringSubmatch(line); m != nil {
				for _, p := range strings.Split(m[1], ";") {
					switch p {
					case "", "0":
						fg, bg = -1, -1
					case "30":
						fg = 1
					case "97":
						fg = 0
					case "40":
						bg = 1
					case "107":
						bg = 0
					default:
						t.Fatalf("unexpected SGR parameter %q in %q", p, m[0])
					}
				}
				line = line[len(m[0]):]
				continue
			}
			if !strings.HasPrefix(line, "▀") || fg < 0 || bg < 0 {
				t.Fatalf("a cell without both colours set: %q", line)
			}
			top, bottom = append(top, fg == 1), append(bottom, bg == 1)
			line = line[len("▀"):]
		}
		if fg >= 0 || bg >= 0 {
			t.Fatalf("line does not reset the colours")
		}
		rows = append(rows, top, bottom)
	}
	return rows
}

func TestTerminalQRHasEveryModuleAndTheQuietZone(t *testing.T) {
	const content = "http://127.0.0.1:8765/sandbox/link?code=123456"
	out, err := terminalQR(content)
	if err != nil {
		t.Fatal(err)
	}
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	want := q.Bitmap()
	got := decodeTerminalQR(t, out)
	if len(got) != len(want)+len(want)%2 {
		t.Fatalf("%d module rows, want %d", len(got), len(want))
	}
	for y := range got {
		for x := range got[y] {
			w := y < len(want) && want[y][x]
			if got[y][x] != w {
				t.Fatalf("module (%d,%d) = %v, want %v", x, y, got[y][x], w)
			}
		}
	}
	for y := range 4 {
		for x := range got[y] {
			if got[y][x] || got[len(got)-1-y][x] || got[x][y] || got[x][len(got[x])-1-y] {
				t.Fatalf("the quiet zone is not light at row/column %d", y)
			}
		}
	}
	// The real proof: a scanner reads the terminal picture.
	if got := scanModules(t, got); got != content {
		t.Errorf("zbarimg read %q, want %q", got, content)
	}
}

// scanModules draws modules (true is dark) six pixels each into a PNG and reads it
// back with zbarimg.
func scanModules(t *testing.T, modules [][]bool) string {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, len(modules[0])*6, len(modules)*6))
	for y := range modules {
		for x := range modules[y] {
			c := color.Gray{Y: 255}
			if modules[y][x] {
				c = color.Gray{Y: 0}
			}
			for dy := range 6 {
				for dx := range 6 {
					img.SetGray(x*6+dx, y*6+dy, c)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "terminal.png")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return zbarimg(t, file)
}

// zbarimg decodes a QR image with an independent reader (Debian's zbar-tools).
func zbarimg(t *testing.T, file string) string {
	t.Helper()
	path, err := exec.LookPath("zbarimg")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("zbarimg is missing: install zbar-tools")
		}
		t.Skip("zbarimg not found: install zbar-tools to run this test")
	}
	out, err := exec.Command(path, "--raw", "-q", file).Output()
	if err != nil {
		t.Fatalf("zbarimg %s: %v", file, err)
	}
	return strings.TrimSuffix(string(out), "\n")
}

func TestExpandLinkURL(t *testing.T) {
	for _, tc := range []struct{ template, server, sp, want string }{
		{"", "http://127.0.0.1:8765", "demo", "http://127.0.0.1:8765/sandbox/link?code=123456"},
		{"", "http://127.0.0.1:8765/", "demo", "http://127.0.0.1:8765/sandbox/link?code=123456"},
		{"", "http://127.0.0.1:8765", "acme", "http://127.0.0.1:8765/sandbox/link?code=123456&sp=acme"},
		{exampleLinkURL, "http://127.0.0.1:8765/", "acme", "http://127.0.0.1:8765/sandbox/link?code=123456&sp=acme"},
		{"https://tv.example.com/activate/{code}", "http://x", "demo", "https://tv.example.com/activate/123456"},
	} {
		if got := expandLinkURL(tc.template, tc.server, tc.sp, "123456"); got != tc.want {
			t.Errorf("expandLinkURL(%q, %q, %q) = %q, want %q", tc.template, tc.server, tc.sp, got, tc.want)
		}
	}
}

func TestDeviceTable(t *testing.T) {
	now := time.Date(2026, 11, 22, 14, 0, 0, 0, time.UTC)
	ms := func(d time.Duration) client.Millis { return client.Millis(now.Add(-d).UnixMilli()) }
	list := &client.DeviceList{Devices: map[string]client.DeviceEntry{
		"tvKey=":    {DeviceType: "TV", Manufacturer: "Samsung", Model: "QN65S95D", OS: "Tizen", OSVersion: "8.0", Type: "sso", LastSeen: ms(30 * time.Second)},
		"phoneKey=": {DeviceType: "MobilePhone", Manufacturer: "Apple", Model: "iPhone17,3", OS: "iOS", OSVersion: "18.1", Type: "regular", LastSeen: ms(2 * time.Minute)},
		"oldKey=":   {Type: "sso", LastSeen: ms(50 * time.Hour)},
	}}
	var buf bytes.Buffer
	writeDeviceTable(&buf, list, "phoneKey=", now)
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 4 {
		t.Fatalf("table:\n%s", buf.String())
	}
	for i, want := range [][]string{
		{"KEY", "TYPE", "DEVICE", "OS", "JOINED BY", "LAST SEEN"},
		{"phoneKey=", "MobilePhone", "iPhone 16", "iOS 18.1", "sign-in", "2 min ago", "this device"},
		{"tvKey=", "TV", "Samsung Tizen TV", "Tizen 8.0", "link code", "30 s ago"},
		{"oldKey=", "-", "a device", "-", "link code", "2 days ago"},
	} {
		for _, cell := range want {
			if !strings.Contains(lines[i], cell) {
				t.Errorf("line %d %q lacks %q", i, lines[i], cell)
			}
		}
	}
	if strings.Count(buf.String(), "this device") != 1 {
		t.Errorf("'this device' should mark exactly one row:\n%s", buf.String())
	}
	buf.Reset()
	writeDeviceTable(&buf, &client.DeviceList{}, "x", now)
	if buf.String() != "no device in this profile\n" {
		t.Errorf("empty list: %q", buf.String())
	}
}

func TestWhoamiShowsNoSecret(t *testing.T) {
	now := time.Now()
	tv, _ := assets.LookupPreset("tizen")
	s := client.DeviceState{Name: "tv", Account: "tv@127.0.0.1:8765/demo", StoreKind: "file", Key: "a2V5",
		Preset: tv, Server: "http://127.0.0.1:8765", SP: "demo", SignedIn: true,
		Claims: client.TokenClaims{Subject: "alice@example.com"}, NotAfter: now.Add(time.Hour), JoinedVia: "sso"}
	var buf bytes.Buffer
	writeWhoami(&buf, "tv", s, now)
	for _, want := range []string{"tv (Samsung Tizen TV)", "a2V5", "alice@example.com (joined: sso)", "(in 60 min)", "file (tv@127.0.0.1:8765/demo)"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("whoami lacks %q:\n%s", want, buf.String())
		}
	}
	s.Unlinked = true
	buf.Reset()
	writeWhoami(&buf, "tv", s, now)
	if !strings.Contains(buf.String(), "unlinked") {
		t.Errorf("an unlinked device is not said so:\n%s", buf.String())
	}
}

func TestRoleFor(t *testing.T) {
	if roleFor("tv2", assets.RolePrimary) != assets.RoleSecondary || roleFor("TV", assets.RolePrimary) != assets.RoleSecondary {
		t.Error("a device named tv… is not a TV")
	}
	if roleFor("roku2", assets.RolePrimary) != assets.RoleSecondary || presetFor("roku2", "") != "roku" || presetFor("roku2", "tizen") != "tizen" || presetFor("tv", "") != "" {
		t.Error("a device named roku… is not a Roku")
	}
	if roleFor("phone", assets.RolePrimary) != assets.RolePrimary || roleFor("box", assets.RoleSecondary) != assets.RoleSecondary {
		t.Error("the command's role is not kept")
	}
}

func TestDeviceTitleUsesPresentsWords(t *testing.T) {
	for _, tc := range []struct {
		dev  client.DeviceEntry
		want string
	}{
		{client.DeviceEntry{DeviceType: "TV", Manufacturer: "Samsung", Model: "QN65S95D", Type: "sso"}, "Samsung Tizen TV (TV, link code)"},
		{client.DeviceEntry{DeviceType: "TV", Type: "platformSSO"}, "TV (Roku identity)"},
		{client.DeviceEntry{}, "a device"},
		{client.DeviceEntry{Manufacturer: "Evil\x1b[2J"}, `Evil\x1b[2J`},
	} {
		if got := deviceTitle(tc.dev); got != tc.want {
			t.Errorf("deviceTitle(%+v) = %q, want %q", tc.dev, got, tc.want)
		}
	}
}
