package tui

import (
	"strings"
	"time"

	"github.com/handoff-sso/handoff/client"
)

// clockHeader is what the sandbox adds to every answer while its clock is shifted
// (handoff sandbox clock advance/set): the shift, as a Go duration.
const clockHeader = "X-Sandbox-Clock-Offset"

// sandboxClock is the shift of the sandbox's clock, as the last answer said: testers
// who moved it must not wonder why codes expire early.
type sandboxClock struct {
	shift   time.Duration
	shifted bool
}

// observe takes in one exchange; an answer without the header says the clock is
// back to real time. Exchanges that got no answer say nothing.
func (c *sandboxClock) observe(x client.Exchange) {
	if x.Status == 0 {
		return
	}
	v := strings.TrimSpace(x.ResponseHeader.Get(clockHeader))
	d, err := time.ParseDuration(v)
	if v == "" || err != nil || d == 0 {
		// A value that is no duration is not shown: it came from the server.
		c.shift, c.shifted = 0, false
		return
	}
	c.shift, c.shifted = d, true
}

// text is "sandbox clock +10m", or "" while the clock is not shifted.
func (c sandboxClock) text() string {
	if !c.shifted {
		return ""
	}
	sign, d := "+", c.shift
	if d < 0 {
		sign, d = "-", -d
	}
	s := d.Round(time.Second).String()
	for _, zero := range []string{"0s", "0m"} {
		if s != zero && strings.HasSuffix(s, zero) && len(s) > len(zero) && s[len(s)-len(zero)-1] >= 'a' {
			s = strings.TrimSuffix(s, zero)
		}
	}
	if d < time.Second {
		s = d.String()
	}
	return "sandbox clock " + sign + s
}
