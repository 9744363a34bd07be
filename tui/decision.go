package tui

import (
	"fmt"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

// playResource is what the TV asks to play: the sandbox's simulated TV provider
// permits it (docs/second-screen.md, decisions/authorize).
const playResource = "live"

// playResult is the TV's last decision: may it play the resource?
type playResult struct {
	decision *client.Decision
	note     string // why there is no decision (no TV provider authentication)
}

// lines words the decision, terminal-safe, in width cells; none when nothing was asked.
func (pr playResult) lines(width int, s Styles, now func() string) []string {
	d := pr.decision
	switch {
	case d == nil && pr.note == "":
		return nil
	case d == nil:
		return wrapStyled("▶ play: "+pr.note, width, s.Warn)
	case d.Authorized:
		line := fmt.Sprintf("▶ play %s: authorized by %s", present.Safe(d.Resource), mvpdName(d.MVPD))
		if d.Token != nil {
			line += " · media token until " + present.Clock(d.Token.NotAfter.Time())
		}
		return wrapStyled(line+" (asked at "+now()+")", width, s.OK)
	}
	why := "no reason given"
	if d.Error != nil {
		why = present.Safe(d.Error.Code)
		if d.Error.Message != "" {
			why += ": " + present.Safe(d.Error.Message)
		}
	}
	return wrapStyled(fmt.Sprintf("▶ play %s: not authorized (%s)", present.Safe(d.Resource), why), width, s.Err)
}

// wrapStyled wraps plain text, then styles each line, so that the colour survives.
func wrapStyled(text string, width int, ink Ink) []string {
	out := wrap(text, width)
	for i, l := range out {
		out[i] = ink.Render(l)
	}
	return out
}
