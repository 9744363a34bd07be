package e2e

import (
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestPlainAndNoColor checks the two accessibility switches in a real terminal:
// --plain draws no boxes and one device at a time; NO_COLOR leaves no colour in what
// the terminal holds, yet the state still reads in words and symbols.
func TestPlainAndNoColor(t *testing.T) {
	requireTmux(t)
	bin := binary(t)

	plain := newTerm(t, 120, 40, bin+" --memory --plain")
	s := plain.waitText("[next] 1 Identity", 10*time.Second)
	if strings.ContainsAny(s, "╭╮╰╯┏┓┗┛│┃─━") {
		t.Errorf("--plain draws boxes:\n%s", s)
	}
	if !strings.Contains(s, "[Phone · signed out] TV · not joined") {
		t.Errorf("--plain should show one device with a tab bar in words:\n%s", s)
	}

	noColor := newTerm(t, 160, 50, "env NO_COLOR=1 "+bin+" --memory")
	noColor.waitText("X-SSO-ID ›", 10*time.Second)
	noColor.keys("Enter")
	noColor.waitText("Signed in as demo-user@example.com", 10*time.Second)
	noColor.keys("l")
	noColor.waitFor("a link code", 10*time.Second, codeOnScreen.MatchString)
	styled := noColor.tmux("capture-pane", "-e", "-p", "-t", "e2e")
	if c := regexp.MustCompile(`\x1b\[[0-9;]*[34]8;[25];`).FindString(styled); c != "" {
		t.Errorf("NO_COLOR: the terminal holds colour %q", c)
	}
	if !strings.Contains(styled, "✓ 2 Service token") && !strings.Contains(styled, "✓ Service token") {
		t.Errorf("NO_COLOR: done steps should still be marked with ✓")
	}
}
