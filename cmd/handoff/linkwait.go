package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

// joinedAnswer is what link --wait prints once a device joined, as its second JSON line.
type joinedAnswer struct {
	Status string             `json:"status"`
	Key    string             `json:"key"`
	Joined client.DeviceEntry `json:"joined"`
}

// waitForJoin polls the profile's devices until one that was not in before appears,
// until the code's expiry or wait, whichever comes first. On a terminal it counts down.
func (s *step) waitForJoin(d *client.Device, before *client.DeviceList, expires time.Time, wait time.Duration) error {
	deadline := minTime(expires, time.Now().Add(wait))
	var joined joinedAnswer
	err := s.pollUntil(deadline, "waiting for a device to join…", func(ctx context.Context) (bool, error) {
		list, err := d.Devices(ctx)
		if err != nil {
			return false, err
		}
		for key, dev := range list.Devices {
			if _, known := before.Devices[key]; !known {
				joined = joinedAnswer{Status: "JOINED", Key: key, Joined: dev}
				return true, nil
			}
		}
		return false, nil
	})
	switch {
	case errors.Is(err, errWaitedOut) && deadline.Equal(expires):
		return s.fail(&notDoneError{status: "EXPIRED", code: "link_code_expired", msg: "The link code expired before a device joined with it: run handoff link again for a new one."})
	case errors.Is(err, errWaitedOut):
		return s.fail(&notDoneError{status: "TIMEOUT", code: "no_device_joined", msg: fmt.Sprintf("No device joined within %s (--timeout); the code stays valid until %s.", wait, present.Until(time.Now(), expires))})
	case err != nil:
		return s.fail(err)
	}
	return s.ok(nil, joined, func(w io.Writer) {
		fmt.Fprintf(w, "%s joined the profile: %s\n", deviceTitle(joined.Joined), present.Safe(joined.Key))
	})
}

// deviceTitle is a device of the list as people know it, in present's words (the
// TUI's): "Samsung Tizen TV (TV, link code)".
func deviceTitle(dev client.DeviceEntry) string {
	name := present.DeviceName(dev)
	var about []string
	if dev.DeviceType != "" && dev.DeviceType != name {
		about = append(about, dev.DeviceType)
	}
	if dev.Type != "" {
		about = append(about, present.JoinedBy(dev.Type))
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
