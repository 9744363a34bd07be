package present

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// cellImage turns drawn half-block text back into pixels, as a terminal would show
// it: each cell is two pixels high, its upper half the foreground colour of '▀' (or
// the lower half of '▄'), the rest the background. fg and bg are the terminal's
// default colours, used where the text sets none.
func cellImage(t *testing.T, drawn string, fg, bg color.Gray) image.Image {
	t.Helper()
	sgr := regexp.MustCompile(`^\x1b\[([0-9;]*)m`)
	lines := strings.Split(drawn, "\n")
	const scale = 4
	w := 0
	type cell struct{ top, bottom color.Gray }
	var rows [][]cell
	for _, l := range lines {
		cf, cb := fg, bg
		var row []cell
		for len(l) > 0 {
			if m := sgr.FindStringSubmatch(l); m != nil {
				l = l[len(m[0]):]
				switch p := strings.Split(m[1], ";"); {
				case m[1] == "0" || m[1] == "":
					cf, cb = fg, bg
				case len(p) == 10 && p[0] == "38" && p[5] == "48":
					cf, cb = gray(p[2]), gray(p[7])
				default:
					t.Fatalf("unexpected SGR %q", m[0])
				}
				continue
			}
			r := []rune(l)[0]
			l = l[len(string(r)):]
			switch r {
			case '▀':
				row = append(row, cell{cf, cb})
			case '▄':
				row = append(row, cell{cb, cf})
			case '█':
				row = append(row, cell{cf, cf})
			case ' ':
				row = append(row, cell{cb, cb})
			default:
				t.Fatalf("unexpected rune %q in a QR image", r)
			}
		}
		w = max(w, len(row))
		rows = append(rows, row)
	}
	img := image.NewGray(image.Rect(0, 0, w*scale, len(rows)*2*scale))
	for y, row := range rows {
		for x, c := range row {
			for dy := range 2 * scale {
				v := c.top
				if dy >= scale {
					v = c.bottom
				}
				for dx := range scale {
					img.SetGray(x*scale+dx, y*2*scale+dy, v)
				}
			}
		}
	}
	return img
}

func gray(s string) color.Gray {
	if s == "0" {
		return color.Gray{Y: 0}
	}
	return color.Gray{Y: 255}
}

// zbarimg decodes an image with an independent QR reader (zbar-tools).
func zbarimg(t *testing.T, img image.Image) string {
	t.Helper()
	path, err := exec.LookPath("zbarimg")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("zbarimg is missing: install zbar-tools")
		}
		t.Skip("zbarimg not found: install zbar-tools to run this test")
	}
	file := filepath.Join(t.TempDir(), "qr.png")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	f.Close()
	out, err := exec.Command(path, "--raw", "-q", file).Output()
	if err != nil {
		t.Fatalf("zbarimg could not read the QR image: %v", err)
	}
	return strings.TrimSuffix(string(out), "\n")
}

// TestQRScansOnLightAndDarkTerminals reads the drawn QR images back with zbarimg, on
// a dark and a light terminal, with colour and without.
func TestQRScansOnLightAndDarkTerminals(t *testing.T) {
	const payload = "http://127.0.0.1:8765/sandbox/link?code=482913"
	light := [2]color.Gray{{Y: 20}, {Y: 250}} // fg, bg
	dark := [2]color.Gray{{Y: 230}, {Y: 15}}
	for _, tc := range []struct {
		name         string
		colour, dark bool
		term         [2]color.Gray
	}{
		{"colour on dark", true, true, dark},
		{"colour on light", true, false, light},
		{"no colour on dark", false, true, dark},
		{"no colour on light", false, false, light},
	} {
		t.Run(tc.name, func(t *testing.T) {
			drawn, err := RenderQR(payload, tc.colour, tc.dark)
			if err != nil {
				t.Fatal(err)
			}
			if got := zbarimg(t, cellImage(t, drawn, tc.term[0], tc.term[1])); got != payload {
				t.Fatalf("zbarimg read %q, want %q", got, payload)
			}
		})
	}
}

func TestQRScaledScans(t *testing.T) {
	const payload = "http://127.0.0.1:8765/sandbox/link?code=AB3K9Z"
	n, err := QRModules(payload)
	if err != nil {
		t.Fatal(err)
	}
	drawn, err := RenderQRScaled(payload, true, true, 2)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(drawn, "\n")
	if len(lines) != n {
		t.Fatalf("at scale 2 the image takes %d lines, want %d", len(lines), n)
	}
	if got := zbarimg(t, cellImage(t, drawn, color.Gray{Y: 230}, color.Gray{Y: 15})); got != payload {
		t.Fatalf("zbarimg read %q, want %q", got, payload)
	}
}

func TestBigDigits(t *testing.T) {
	fancy := BigDigits("482913", false)
	if n := strings.Count(fancy, "\n") + 1; n != 3 {
		t.Fatalf("big digits take %d lines, want 3", n)
	}
	for _, l := range strings.Split(fancy, "\n") {
		if w := len([]rune(l)); w > BigCodeWidth(6) {
			t.Fatalf("line is %d cells, more than %d", w, BigCodeWidth(6))
		}
	}
	plain := BigDigits("482913", true)
	if strings.Trim(plain, "# \n") != "" || strings.Count(plain, "\n") != 4 {
		t.Fatalf("plain digits should be five lines of '#':\n%s", plain)
	}
	seen := map[string]bool{}
	for _, d := range "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" {
		g := BigDigits(string(d), true)
		if strings.TrimSpace(g) == "" {
			t.Fatalf("%c is drawn as a gap", d)
		}
		if seen[g] {
			t.Fatalf("%c looks like another character", d)
		}
		seen[g] = true
	}
	if BigDigits("ab3k9z", true) != BigDigits("AB3K9Z", true) {
		t.Fatal("lower-case letters should be drawn as upper case")
	}
}
