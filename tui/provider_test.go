package tui

import (
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
)

func TestProviderUserEntry(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	tm.press("enter", "p", "enter", "ctrl+u", "enter")
	if p := tm.panes[0]; (p.mode() != modeProviderUser) || !strings.Contains(p.status, "The user id is empty") {
		t.Fatalf("an empty user id should be refused in words and keep the entry: typing %v, %q", (p.mode() == modeProviderUser), p.status)
	}
	send(tm.Model, pasteMsg("pat"))
	tm.press("esc")
	if p := tm.panes[0]; !(p.mode() == modePickProvider) || (p.mode() == modeProviderUser) {
		t.Fatal("esc in the user id should go back to the provider list")
	}
	tm.press("enter", "enter")
	tm.phone.wantCall(t, "MVPDSignIn Comcast_SSO pat", "the user id typed before esc should be kept")
	tm.wantScreen(t, "Signed in with Xfinity as pat", "the sign-in is not reported")
}

func TestProviderSignOut(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	tm.press("enter")
	if slices.ContainsFunc(tm.shortHelp(), func(b key.Binding) bool { return b.Help().Key == "o" }) {
		t.Fatal("o is offered before any TV provider sign-in")
	}
	tm.press("o")
	if slices.Contains(tm.phone.calls, "SignOut") || !strings.Contains(tm.panes[0].status, "not signed in with a TV provider") {
		t.Fatalf("o without a provider should only say so: calls %v, %q", tm.phone.calls, tm.panes[0].status)
	}
	tm.press("p", "enter", "enter")
	tm.linked(t)
	if !slices.ContainsFunc(tm.shortHelp(), func(b key.Binding) bool { return b.Help().Key == "o" }) {
		t.Fatal("the bottom bar does not offer o once signed in with a provider")
	}
	tm.wantScreen(t, "TV provider: Xfinity as demo-subscriber", "the TV should share the provider first")
	tm.press("o")
	tm.phone.wantCall(t, "SignOut", "o should sign out")
	if _, _, has := tm.panes[0].provider(); has || !strings.Contains(tm.panes[0].status, "Signed out of the TV provider") {
		t.Fatalf("the phone still shows a provider or does not say it signed out: %q", tm.panes[0].status)
	}
	if _, _, has := tm.panes[1].provider(); !has {
		t.Fatal("the TV should keep what it read until it reads again")
	}
	tm.press("tab", "d")
	if s := tm.screen(); !strings.Contains(s, "TV provider: none on this profile yet") || !strings.Contains(s, "none for this device (HTTP 404)") {
		t.Fatalf("the TV, reading again, should show no provider:\n%s", s)
	}
}

// TestTVSeesANewProviderSignInWithinFiveSeconds: the phone signs in with a TV provider
// after the TV joined; the TV's next read, at most 5 s later, shows it.
func TestTVSeesANewProviderSignInWithinFiveSeconds(t *testing.T) {
	tm := newTestModel(t, 120, 40, Options{})
	tm.linked(t)
	if _, _, has := tm.panes[1].provider(); has {
		t.Fatal("no TV provider yet")
	}
	tm.press("p", "enter", "enter")
	if _, _, has := tm.panes[0].provider(); !has {
		t.Fatal("the phone should be signed in with the TV provider")
	}
	*tm.now = tm.now.Add(pollEvery)
	_, cmd := tm.Update(tickMsg(*tm.now))
	run(tm.Model, cmd, 0)
	if _, prof, has := tm.panes[1].provider(); !has || prof.UserID() != DefaultProviderUser {
		t.Fatal("the TV should see the phone's TV provider sign-in within 5 s")
	}
}
