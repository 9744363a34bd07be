package main

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

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

func (a *app) whoamiCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "whoami",
		Short: "show the device: its key, profile, token expiry and keystore (no secrets)",
		Long: `Shows what this device is, from its own record: no network call, and no secret
(the service token's claims, not the token). It names the keystore the record is in.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s := a.step(cmd, "phone")
			d, err := s.open(assets.RolePrimary)
			if err != nil {
				return s.fail(err)
			}
			st := d.State()
			w := whoami{
				Key: st.Key, Preset: st.Preset.Name, Server: st.Server, SP: st.SP,
				Keystore: st.StoreKind, Account: st.Account, SignedIn: st.SignedIn,
				Subject: st.Claims.Subject, JoinedVia: st.JoinedVia, Unlinked: st.Unlinked,
			}
			if !st.NotAfter.IsZero() {
				w.NotAfter = client.Millis(st.NotAfter.UnixMilli())
			}
			return s.ok(nil, w, func(out io.Writer) { writeWhoami(out, s.device(), st, time.Now()) })
		},
	}
}

func writeWhoami(out io.Writer, name string, s client.DeviceState, now time.Time) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "device\t%s (%s)\n", name, orDash(s.Preset.Title))
	fmt.Fprintf(tw, "key\t%s\n", s.Key)
	fmt.Fprintf(tw, "server\t%s, service provider %s\n", s.Server, s.SP)
	switch {
	case s.Unlinked:
		fmt.Fprintf(tw, "profile\t%s, but this device was unlinked: sign in or redeem a code again\n", orDash(present.Safe(s.Claims.Subject)))
	case s.SignedIn:
		fmt.Fprintf(tw, "profile\t%s (joined: %s)\n", present.Safe(s.Claims.Subject), orDash(present.Safe(s.JoinedVia)))
		fmt.Fprintf(tw, "token\tvalid until %s\n", present.Until(now, s.NotAfter))
	default:
		fmt.Fprintf(tw, "profile\tnone yet: handoff signin --sso-id ID, or handoff redeem CODE\n")
	}
	fmt.Fprintf(tw, "keystore\t%s (%s)\n", s.StoreKind, s.Account)
	if s.StoreKind == "memory" && !s.SignedIn {
		fmt.Fprintf(tw, "note\tthe memory keystore forgets this device when the command ends; keep it with an OS keyring, --keystore kernel (Linux) or --keystore file\n")
	}
	tw.Flush()
}
