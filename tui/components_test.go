package tui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/handoff-sso/handoff/client"
)

func TestCodeEntryTakesLettersAndDigitsInUpperCase(t *testing.T) {
	e := newEntry("code › ", "123 456", 16, codeRune, true)
	if e.Update(press("4")) {
		t.Fatal("a blurred entry must not take keys")
	}
	e.Focus()
	for _, k := range []string{"a", "b", "3", "?", "é"} {
		e.Update(press(k))
	}
	e.Update(tea.PasteMsg{Content: " k9-z\n"})
	if v := e.Value(); v != "AB3 K9-Z" {
		t.Fatalf("the entry holds %q, want %q", v, "AB3 K9-Z")
	}
	e.Update(tea.KeyPressMsg{Code: 'w', Mod: tea.ModCtrl})
	if v := e.Value(); v != "AB3 " {
		t.Fatalf("ctrl+w should delete the last word: %q", v)
	}
	e.Update(tea.KeyPressMsg{Code: tea.KeyLeft})
	e.Update(press("x"))
	if v := e.Value(); v != "AB3X " {
		t.Fatalf("← then x should insert before the cursor: %q", v)
	}
	if e.Update(tea.KeyPressMsg{Code: tea.KeyTab}) || e.Update(tea.KeyPressMsg{Code: tea.KeyDown}) {
		t.Fatal("tab and ↓ belong to the screen, not the entry")
	}
}

func TestModePrecedence(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	phone, tv := tm.panes[0], tm.panes[1]
	if phone.mode() != modeIdentity || tv.mode() != modeCodeEntry {
		t.Fatalf("at start: phone %d, TV %d", phone.mode(), tv.mode())
	}
	phone.hold(modePickProvider)
	if phone.mode() != modeIdentity {
		t.Fatal("a provider list held on a signed-out phone must not show")
	}
	tm.press("e")
	if phone.mode() != modeEditIdentity || !phone.identity.Focused() {
		t.Fatal("e should edit the identity, with the entry focused")
	}
	tm.press("esc", "enter", "l")
	if phone.mode() != modeLinkCard {
		t.Fatalf("after l the phone shows its code, mode %d", phone.mode())
	}
	tm.press("tab", "4")
	if tv.mode() != modeTypingCode || !tv.codeIn.Focused() || tv.codeIn.Value() != "4" {
		t.Fatalf("a digit should start typing the code: mode %d, %q", tv.mode(), tv.codeIn.Value())
	}
	tm.press("q")
	if tv.codeIn.Value() != "4Q" {
		t.Fatalf("while typing, letters go to the code: %q", tv.codeIn.Value())
	}
	tm.press("esc")
	if tv.mode() != modeCodeEntry || tv.codeIn.Focused() {
		t.Fatal("esc should stop typing")
	}
	tm.press("h")
	if tm.layer() != layerHTTP {
		t.Fatal("once typing stops, h opens the HTTP panel")
	}
}

func TestDeviceTableUpdateAndView(t *testing.T) {
	var tb deviceTable
	tb.set(twoDeviceList(), "cGhvbmUta2V5")
	k := DefaultKeyMap()
	if !tb.devices[0].self || tb.toUnlink()[0] != tb.devices[0].key {
		t.Fatal("this device should come first and be what u acts on by default")
	}
	tb.Update(press("down"), k)
	tb.Update(press("space"), k)
	if got := tb.toUnlink(); len(got) != 1 || got[0] != tb.devices[1].key {
		t.Fatalf("space should select the row under the cursor: %v", got)
	}
	for _, w := range []int{40, 60, 76, 120} {
		view := tb.View(w, 10, fixedNow, NewStyles(true, false))
		s := ansi.Strip(strings.Join(view, "\n"))
		for _, l := range view {
			if n := ansi.StringWidth(l); n > w {
				t.Fatalf("at %d a row is %d wide: %q", w, n, ansi.Strip(l))
			}
		}
		if !strings.Contains(s, "[x]") || !strings.Contains(s, "(this device)") {
			t.Fatalf("at %d the selection and this device must read in words:\n%s", w, s)
		}
		if w >= 76 && (!strings.Contains(s, "Samsung Tizen TV") || !strings.Contains(s, "link code")) {
			t.Fatalf("at %d names and the Joined by words should be whole:\n%s", w, s)
		}
	}
}

func TestLinkCardView(t *testing.T) {
	c := linkCard{link: &client.LinkCode{Code: "AB3K9Z", NotBefore: client.Millis(fixedNow.UnixMilli()), NotAfter: client.Millis(fixedNow.Add(10 * time.Minute).UnixMilli())},
		public: client.PublicServer{URL: "http://192.0.2.7:8765", Offered: true}}
	c.draw("demo", NewStyles(true, false), true, 200, 60)
	if len(c.qr.imgs) < 2 {
		t.Fatalf("a 200x60 screen should hold the QR image at scale 2 too, has %d scales", len(c.qr.imgs))
	}
	view := ansi.Strip(strings.Join(c.View(80, 50, fixedNow, NewStyles(true, false), "expiry", func(d time.Duration) string { return d.String() }), "\n"))
	for _, want := range []string{"code AB3 K9Z", "expires in 10m0s", "QR: http://192.0.2.7:8765/sandbox/link?code=AB3K9Z", "█"} {
		if !strings.Contains(view, want) {
			t.Errorf("the card lacks %q:\n%s", want, view)
		}
	}
	if strings.Contains(view, "--lan") {
		t.Errorf("a LAN address needs no --lan advice:\n%s", view)
	}
	plain := linkCard{link: c.link, public: client.PublicServer{URL: "http://127.0.0.1:8765", Loopback: true}}
	plain.draw("demo", NewStyles(true, true), false, 80, 24)
	pv := strings.Join(plain.View(80, 24, fixedNow, NewStyles(true, true), "expiry", func(time.Duration) string { return "soon" }), "\n")
	if strings.ContainsAny(pv, "█▀▄#") || !strings.Contains(pv, "code AB3 K9Z") {
		t.Fatalf("--plain draws no digit art and no QR image:\n%s", pv)
	}
	if !strings.Contains(pv, "A phone cannot open this loopback address") || !strings.Contains(pv, "--lan") {
		t.Fatalf("a loopback QR must say a phone cannot open it and name --lan:\n%s", pv)
	}
}

func TestTourView(t *testing.T) {
	s := NewStyles(true, false)
	for i := range tourSteps {
		tr := tour{on: true, step: i}
		v := ansi.Strip(tr.View(80, s, false, "Phone", nil))
		for _, l := range strings.Split(v, "\n") {
			if ansi.StringWidth(l) > 80 {
				t.Fatalf("page %d: a line is wider than 80: %q", i, l)
			}
		}
		if flat := strings.Join(strings.Fields(v), " "); !strings.Contains(flat, tourSteps[i].title) || !strings.Contains(flat, "[ back · ] next") {
			t.Fatalf("page %d lacks its title or its keys:\n%s", i, v)
		}
	}
	if v := ansi.Strip((tour{on: true, step: 3}).View(120, s, true, "Phone", nil)); !strings.Contains(v, "Done on screen") {
		t.Fatalf("a done step should say so:\n%s", v)
	}
}

func TestLeftoversOfEarlierRunsAreOfferedForUnlinking(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	list := twoDeviceList()
	list.Devices["b2xkLXBob25l"] = client.DeviceEntry{DeviceType: "MobilePhone", Model: "iPhone17,3", OS: "iOS", OSVersion: "18.1",
		Manufacturer: "Apple", LastSeen: client.Millis(fixedNow.Add(-3 * time.Hour).UnixMilli()), Type: "regular"}
	list.Devices["ZnJpZW5k"] = client.DeviceEntry{DeviceType: "TV", Model: "Bravia", Manufacturer: "Sony",
		LastSeen: client.Millis(fixedNow.Add(-3 * time.Hour).UnixMilli()), Type: "sso"}
	tm.phone.list, tm.tv.list = list, list
	tm.press("enter")
	if g := tm.ghosts(tm.panes[0]); len(g) != 1 || g[0] != "b2xkLXBob25l" {
		t.Fatalf("only the old phone of the same kind is a leftover, got %v", g)
	}
	if st := tm.panes[0].status; !strings.Contains(st, "leftovers of earlier runs") {
		t.Fatalf("the phone should offer to unlink the leftover: %q", st)
	}
	tm.press("x")
	tm.wantScreen(t, "Unlink the leftovers, 1 device: iPhone 16?", "x should ask first")
	tm.press("y")
	tm.phone.wantCall(t, "Unlink", "unlinking the leftover")
	if st := tm.panes[0].status; !strings.Contains(st, "Unlinked 1 device.") {
		t.Fatalf("the unlink should name one device: %q", st)
	}
}
