package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/handoff-sso/handoff/client"
)

const whoamiUsage = "handoff whoami [flags]"

func init() {
	register(&command{
		name:    "whoami",
		summary: "show the device: its key, profile, token expiry and keystore (no secrets)",
		usage:   whoamiUsage,
		run:     runWhoami,
	})
}

// whoami is what `handoff whoami --json` prints: the device's state, no secret.
type whoami struct {
	Key       string        `json:"key"`
	Preset    string        `json:"preset"`
	Server    string        `json:"server"`
	SP        string        `json:"sp"`
	Keystore  string        `json:"keystore"`
	Account   string        `json:"account"`
	SignedIn  bool          `json:"signedIn"`
	Subject   string        `json:"sub,omitempty"`
	NotAfter  client.Millis `json:"notAfter,omitempty"`
	JoinedVia string        `json:"joinedVia,omitempty"`
	Unlinked  bool          `json:"unlinked"`
}

func runWhoami(_ context.Context, e *env, args []string) int {
	c := newDeviceCommand(e, "whoami", whoamiUsage, `Shows what this device is, from its own record: no network call, and no secret
(the service token's claims, not the token).`, "phone")
	d, code, ok := c.openFlagsOnly(args)
	if !ok {
		return code
	}
	s := d.State()
	w := whoami{
		Key: s.Key, Preset: s.Preset.Name, Server: s.Server, SP: s.SP,
		Keystore: s.StoreKind, Account: s.Account, SignedIn: s.SignedIn,
		Subject: s.Claims.Subject, JoinedVia: s.JoinedVia, Unlinked: s.Unlinked,
	}
	if !s.NotAfter.IsZero() {
		w.NotAfter = client.Millis(s.NotAfter.UnixMilli())
	}
	return c.out.ok(w, func(out io.Writer) { writeWhoami(out, c.df.device, s, time.Now()) })
}

func writeWhoami(out io.Writer, name string, s client.DeviceState, now time.Time) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "device\t%s (%s)\n", name, orDash(s.Preset.Title))
	fmt.Fprintf(tw, "key\t%s\n", s.Key)
	fmt.Fprintf(tw, "server\t%s, service provider %s\n", s.Server, s.SP)
	switch {
	case s.Unlinked:
		fmt.Fprintf(tw, "profile\t%s, but this device was unlinked: sign in or redeem a code again\n", orDash(s.Claims.Subject))
	case s.SignedIn:
		fmt.Fprintf(tw, "profile\t%s (joined: %s)\n", s.Claims.Subject, orDash(s.JoinedVia))
		fmt.Fprintf(tw, "token\tvalid until %s\n", until(now, s.NotAfter))
	default:
		fmt.Fprintf(tw, "profile\tnone yet: handoff signin --sso-id ID, or handoff redeem CODE\n")
	}
	fmt.Fprintf(tw, "keystore\t%s (%s)\n", s.StoreKind, s.Account)
	tw.Flush()
}
