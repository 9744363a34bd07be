package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

// pollEvery is how often link --wait reads the device list: a TV that types the code
// is seen within this, and a sandbox is not hammered.
const pollEvery = time.Second

// joinedAnswer is what link --wait prints once a device joined, as its second JSON line.
type joinedAnswer struct {
	Status string             `json:"status"`
	Key    string             `json:"key"`
	Joined client.DeviceEntry `json:"joined"`
}

// waitForJoin polls the profile's devices until one that was not in before appears,
// until the code's expiry or wait, whichever comes first. On a terminal it counts down.
func (s *step) waitForJoin(d *client.Device, before *client.DeviceList, expires time.Time, wait time.Duration) error {
	deadline := time.Now().Add(wait)
	byExpiry := expires.Before(deadline)
	if byExpiry {
		deadline = expires
	}
	ctx, cancel := context.WithDeadline(s.cmd.Context(), deadline)
	defer cancel()
	countdown := s.a.e.stdoutTTY && !s.a.sf.json
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		if countdown {
			fmt.Fprintf(s.a.e.stdout, "\r\x1b[Kwaiting for a device to join… %s left", clock(time.Until(deadline)))
		}
		select {
		case <-ctx.Done():
			if countdown {
				fmt.Fprint(s.a.e.stdout, "\r\x1b[K")
			}
			if s.cmd.Context().Err() != nil {
				return s.fail(s.cmd.Context().Err())
			}
			if byExpiry {
				return s.fail(&notDoneError{status: "EXPIRED", code: "link_code_expired", msg: "The link code expired before a device joined with it: run handoff link again for a new one."})
			}
			return s.fail(&notDoneError{status: "TIMEOUT", code: "no_device_joined", msg: fmt.Sprintf("No device joined within %s (--timeout); the code stays valid until %s.", wait, until(time.Now(), expires))})
		case <-tick.C:
		}
		callCtx, callCancel := context.WithTimeout(ctx, s.a.sf.timeout)
		list, err := d.Devices(callCtx)
		callCancel()
		if err != nil {
			if ctx.Err() != nil {
				continue // the deadline, said above
			}
			if countdown {
				fmt.Fprint(s.a.e.stdout, "\r\x1b[K")
			}
			return s.fail(err)
		}
		for key, dev := range list.Devices {
			if _, known := before.Devices[key]; known {
				continue
			}
			if countdown {
				fmt.Fprint(s.a.e.stdout, "\r\x1b[K")
			}
			return s.ok(nil, joinedAnswer{Status: "JOINED", Key: key, Joined: dev}, func(w io.Writer) {
				fmt.Fprintf(w, "%s joined the profile: %s\n", deviceTitle(dev), present.Safe(key))
			})
		}
	}
}

// deviceTitle is a device of the list as people know it: "Samsung Tizen TV (tv, sso)".
func deviceTitle(dev client.DeviceEntry) string {
	name := strings.TrimSpace(dev.Manufacturer + " " + dev.Model)
	if name == "" {
		name = "a device"
	}
	var about []string
	for _, v := range []string{dev.DeviceType, dev.Type} {
		if v != "" {
			about = append(about, v)
		}
	}
	if len(about) > 0 {
		name += " (" + strings.Join(about, ", ") + ")"
	}
	return present.Safe(name)
}

// clock is a countdown as a clock shows it: "9:58".
func clock(d time.Duration) string {
	if d < 0 {
		d = 0
	}
	sec := int(d.Round(time.Second) / time.Second)
	return fmt.Sprintf("%d:%02d", sec/60, sec%60)
}
