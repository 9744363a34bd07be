package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

// Device states as status names them.
const (
	stateSignedIn    = "signed in"
	stateExpired     = "expired"
	stateUnlinked    = "unlinked"
	stateNotSignedIn = "not signed in"
)

// statusDevice is one device of `handoff status --json`: no secret.
type statusDevice struct {
	Name     string        `json:"name"`
	Server   string        `json:"server"`
	SP       string        `json:"sp"`
	Key      string        `json:"key,omitempty"`
	Subject  string        `json:"sub,omitempty"`
	State    string        `json:"state"`
	NotAfter client.Millis `json:"notAfter,omitempty"`
	Store    string        `json:"store"`
	Problem  string        `json:"problem,omitempty"` // why the record could not be read
}

type statusAnswer struct {
	Store   string         `json:"store"`
	Devices []statusDevice `json:"devices"`
}

func (a *app) statusCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "status",
		Short: "every device this machine holds, on every server: signed in, expired or unlinked",
		Long: `Lists every device whose secrets this machine holds in the keystore (--keystore),
across servers and service providers: its name, server, service provider, profile,
state (signed in, expired, unlinked, not signed in), token expiry and store. It reads
the records only: no network call. Exits 1 when any device cannot be used as it is.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s := a.step(cmd, "")
			store, err := a.sf.openStore(func(msg string) { fmt.Fprintln(a.e.stderr, "handoff:", msg) })
			if err != nil {
				return s.fail(err)
			}
			s.storeKind = store.Kind()
			now := time.Now()
			answer := statusAnswer{Store: store.Kind(), Devices: []statusDevice{}}
			unusable := 0
			for _, k := range knownAccounts(store) {
				sd := statusDevice{Name: k.name, Server: k.server(), SP: k.sp, Store: store.Kind()}
				if dev, err := openKnown(store, k); err != nil {
					sd.State, sd.Problem = stateNotSignedIn, explain(err)
				} else {
					st := dev.state
					sd.Key, sd.Subject, sd.State = st.Key, st.Claims.Subject, deviceStatus(st, now)
					if !st.NotAfter.IsZero() {
						sd.NotAfter = client.Millis(st.NotAfter.UnixMilli())
					}
				}
				if sd.State != stateSignedIn {
					unusable++
				}
				answer.Devices = append(answer.Devices, sd)
			}
			if err := s.ok(nil, answer, func(w io.Writer) { writeStatus(w, answer, now) }); err != nil {
				return err
			}
			if unusable > 0 {
				// The answer is printed; the exit code says that not all is well, as
				// gh auth status does.
				return &reportedError{err: &notDoneError{status: "UNUSABLE", code: "unusable_device", msg: fmt.Sprintf("%d device(s) cannot be used as they are", unusable)}}
			}
			return nil
		},
	}
	refuseShared(cmd, "status lists every device of this machine, on every server; 'handoff whoami --device NAME' shows one",
		"server", "sp", "device", "preset", "trace", "timeout", "software-statement")
	return cmd
}

// deviceStatus names the state of a device's record.
func deviceStatus(st client.DeviceState, now time.Time) string {
	switch {
	case st.Unlinked:
		return stateUnlinked
	case !st.SignedIn:
		return stateNotSignedIn
	case !st.NotAfter.IsZero() && !st.NotAfter.After(now):
		return stateExpired
	}
	return stateSignedIn
}

func writeStatus(w io.Writer, answer statusAnswer, now time.Time) {
	if len(answer.Devices) == 0 {
		fmt.Fprintf(w, "no device is stored in the %s keystore\n", answer.Store)
		if answer.Store == "memory" {
			fmt.Fprintln(w, "the memory keystore forgets every device when a command ends: choose an OS keyring, --keystore kernel (Linux) or --keystore file to keep them")
		}
		return
	}
	var table strings.Builder
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DEVICE\tSERVER\tSP\tPROFILE\tSTATE\tTOKEN EXPIRY\tSTORE")
	for _, d := range answer.Devices {
		expiry := "-"
		if d.NotAfter != 0 {
			expiry = present.Until(now, d.NotAfter.Time())
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", d.Name, present.Safe(d.Server), d.SP, orDash(present.Safe(d.Subject)), d.State, expiry, d.Store)
	}
	tw.Flush()
	fmt.Fprint(w, table.String())
	for _, d := range answer.Devices {
		switch d.State {
		case stateExpired:
			fmt.Fprintf(w, "%s: handoff refresh --device %s renews its token (within the server's grace), or sign in again\n", d.Name, d.Name)
		case stateUnlinked:
			fmt.Fprintf(w, "%s: unlinked from its profile; sign in or redeem a new code\n", d.Name)
		}
	}
}
