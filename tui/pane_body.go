package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/handoff-sso/handoff/assets"

	"github.com/handoff-sso/handoff/present"
)

// paneBody is what the device shows under its checklist.
func (m *Model) paneBody(p *pane, width, height int) []string {
	s := m.styles
	var out []string
	switch md := p.mode(); md {
	case modeUnlinked:
		out = append(out, s.Err.Render("✗ This device was unlinked from the profile."))
		return append(out, wrap("Its service token no longer works. Press s (or enter) to sign in again.", width)...)
	case modeIdentity, modeEditIdentity:
		out = append(out, wrap("Step 1: the D2C identity (the streaming service's own account) this phone signs in with, sent as X-SSO-ID.", width)...)
		hint := "enter signs in · ↑/↓ another demo identity · e types one"
		if md == modeEditIdentity {
			hint = "enter signs in with it · esc keeps the old one · ←/→ ctrl+w ctrl+u edit"
		}
		out = append(out, p.identity.View(), s.Muted.Render(ansi.Truncate(hint, width, "…")))
		return append(out, m.activateHint(p, width)...)
	case modeTVCodeEntry:
		out = append(out, wrap("A TV that shows a code (the direction most TV apps use): type it here, then pick the TV provider and sign in, as on the activation page.", width)...)
		return append(out, p.tvCodeIn.View(), s.Muted.Render(cut("enter goes on to the TV provider · esc cancels · letters and digits", width)))
	case modePhonePage:
		return p.phone.View(width, height, s)
	case modeTVCode:
		out = p.tvCode.View(width, height-2, m.now(), s, m.countdown)
		return append(out, m.playLines(p, width)...)
	case modeCodeEntry, modeTypingCode:
		if p.unlinked() {
			out = append(out, s.Err.Render("✗ This device was unlinked from the profile."))
			out = append(out, wrap("Its service token no longer works. Type a new code from the phone to join again.", width)...)
		} else {
			out = append(out, wrap("Step 5: type the code the phone shows (its step 4), then press enter.", width)...)
		}
		hint := "a digit, i or enter starts typing; letters, digits, space or dash; paste works"
		if md == modeTypingCode {
			hint = "typing: letters and digits go in · enter joins · esc stops typing"
		}
		out = append(out, p.codeIn.View(), s.Muted.Render(ansi.Truncate(hint, width, "…")))
		out = append(out, m.playLines(p, width)...)
		if p.canSecondScreen() && md == modeCodeEntry {
			out = append(out, "")
			for _, l := range wrap("Or press g: this TV shows a code and a phone activates it (G: a legacy v1 regcode), with no link code and no profile.", width) {
				out = append(out, s.StepNext.Render(l))
			}
		}
		if p.canRoku() && md == modeCodeEntry {
			out = append(out, "")
			for _, l := range wrap("Or press R to sign in with Roku as "+DefaultRokuUser+": no code needed, the platform vouches for this TV, which gets its own profile (the Roku subscriber's).", width) {
				out = append(out, s.StepNext.Render(l))
			}
		}
		return out
	case modePickProvider:
		return p.picker.ListView(width, height, s)
	case modeProviderUser:
		return p.picker.UserView(width, s)
	case modeLinkCard:
		token := m.tokenLines(p, width)
		return p.card.View(width, height, m.now(), m.styles, token[len(token)-1], m.countdown)
	}
	out = append(out, m.tokenLines(p, width)...)
	if _, _, has := p.provider(); has || !p.primary() {
		provider := "not in this build"
		switch {
		case !p.canProvider():
		case p.providerNote != "":
			provider = p.providerNote
		case !has:
			provider = "none on this profile yet"
		default:
			provider = m.providerText(p, true)
		}
		out = append(out, wrap("TV provider: "+provider, width)...)
	}
	if p.canLegacy() {
		authn := p.authnNote
		if a := p.authn; a != nil {
			name := present.Safe(a.MVPD)
			if mv, ok := assets.LookupMVPD(a.MVPD); ok {
				name = mv.Name
			}
			authn = fmt.Sprintf("%s, user %s, expires %s", name, present.Safe(a.UserID), present.Date(a.Expires.Time()))
		}
		if authn != "" {
			out = append(out, wrap("v1 authn (legacy API): "+authn, width)...)
		}
	}
	out = append(out, m.playLines(p, width)...)
	if p.primary() {
		out = append(out, m.activateHint(p, width)...)
	}
	out = append(out, "")
	return append(out, p.table.View(width, height-len(out), m.now(), m.styles)...)
}

// playLines are the TV's last decision, or how to ask for one.
func (m *Model) playLines(p *pane, width int) []string {
	if p.primary() || !p.canSecondScreen() {
		return nil
	}
	if out := p.play.lines(width, m.styles, func() string { return present.Clock(m.now()) }); out != nil {
		return out
	}
	if p.authenticated() {
		return []string{m.styles.StepNext.Render(cut("a plays "+playResource+" (decisions/authorize)", width))}
	}
	return nil
}

// activateHint tells the phone it can play the second screen for a TV that shows a
// code, and offer the phone page to a real phone.
func (m *Model) activateHint(p *pane, width int) []string {
	if !p.canSecondScreen() {
		return nil
	}
	return []string{m.styles.Muted.Render(cut("A activates a code a TV shows · w shows the phone page's QR for a real phone", width))}
}

// tokenLines are the service token, decoded: whose it is, how the device got it, when
// it was issued and when it expires.
func (m *Model) tokenLines(p *pane, width int) []string {
	c := p.state.Claims
	via := ""
	if p.state.JoinedVia != "" {
		via = " · joined by " + present.JoinedBy(p.state.JoinedVia)
	}
	lines := wrap("Service token: sub "+present.Safe(c.Subject)+via, width)
	now := m.now()
	return append(lines, fmt.Sprintf("issued %s · expires %s (in %s)", present.When(now, unix(c.IssuedAt)), present.When(now, p.state.NotAfter), m.countdown(p.state.NotAfter.Sub(now))))
}

// wrap breaks plain text into lines of at most width cells.
func wrap(s string, width int) []string {
	return strings.Split(ansi.Wrap(s, width, " "), "\n")
}

// countdown is what is left, to the second; in plain mode to the minute, so that a
// screen reader is not told of a change every second.
func (m *Model) countdown(d time.Duration) string {
	if !m.styles.Plain || d <= 0 {
		return present.Countdown(d)
	}
	if d < time.Minute {
		return "under a minute"
	}
	return fmt.Sprintf("about %d min", int((d+30*time.Second)/time.Minute))
}
