package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
	"github.com/handoff-sso/handoff/sandbox"
)

const sandboxLong = `Drives a handoff sandbox (handoff serve, or the one handoff starts) through its admin API, as a test instrument: its clock, which every expiry follows; faults that make a route fail in that API's own error shape; and what it holds. The sandbox is the one of --server.

The admin API takes a token: --admin-token, else HANDOFF_ADMIN_TOKEN, else the one a sandbox of this user on this machine kept in its state directory (a sandbox started with --admin-token keeps none). It answers only on the sandbox's own machine. With --json each command prints the admin API's JSON answer.`

// adminCall is one admin request: its raw JSON answer (printed by --json) and what to
// tell a person.
type adminCall func(ctx context.Context, ad *client.Admin) (raw []byte, human func(w io.Writer), err error)

// sandboxCmd is the command tree of handoff sandbox, sharing its --admin-token.
type sandboxCmd struct {
	a     *app
	token string
}

func (a *app) sandboxCommand() *cobra.Command {
	sc := &sandboxCmd{a: a}
	group := &cobra.Command{
		Use:     "sandbox",
		Short:   "the sandbox as a test instrument: its clock, faults and state (admin API)",
		Long:    sandboxLong,
		Example: "handoff sandbox clock advance 31m\nhandoff sandbox fault add --route 'POST /api/{sp}/link' --status 503 --times 2\nhandoff sandbox state --json",
		Args:    stepArgs,
		RunE:    sayWhichStep,
	}
	group.PersistentFlags().StringVar(&sc.token, "admin-token", "", "the sandbox's admin token (env "+client.EnvAdminToken+"; default: the one a local sandbox kept)")
	_ = group.RegisterFlagCompletionFunc("admin-token", cobra.NoFileCompletions)
	refuseShared(group, "the admin API belongs to the sandbox, not to a device", "sp", "device", "preset", "keystore", "trace")
	group.AddCommand(sc.clockCommand(), sc.faultCommand(), sc.stateCommand(), sc.resetCommand())
	return group
}

// run finds the admin token, makes the call within --timeout and prints its answer.
func (sc *sandboxCmd) run(cmd *cobra.Command, call adminCall) error {
	a := sc.a
	flag := sc.token
	if flag == "" {
		flag = a.e.getenv(client.EnvAdminToken)
	}
	stateDir, _ := sandbox.DefaultDataDir() // none: only the flag or the variable
	token, err := client.LoadAdminToken(flag, stateDir, a.sf.server)
	if err != nil {
		return sc.fail(cmd, err)
	}
	ad, err := client.NewAdmin(a.sf.server, token, nil)
	if err != nil {
		return sc.fail(cmd, err)
	}
	ctx, cancel := context.WithTimeout(cmd.Context(), a.sf.timeout)
	defer cancel()
	raw, human, err := call(ctx, ad)
	if err != nil {
		return sc.fail(cmd, err)
	}
	if !a.sf.json {
		human(a.e.stdout)
		return nil
	}
	out, err := answerJSON(raw, nil, "")
	if err != nil {
		return sc.fail(cmd, &client.ProtocolError{Problem: "its answer could not be printed as JSON"})
	}
	_, _ = a.e.stdout.Write(out)
	return nil
}

// fail reports an error as output.fail does, the admin API's refusals in its own
// words (its 401 is about the admin token, not a device's access token).
func (sc *sandboxCmd) fail(cmd *cobra.Command, err error) error {
	a := sc.a
	err = a.interruption(err)
	msg := explain(err)
	var apiErr *client.APIError
	if errors.As(err, &apiErr) {
		msg = present.Safe(client.ExplainAdmin(err))
	}
	fmt.Fprintln(a.e.stderr, "handoff:", msg)
	if a.sf.json {
		_, _ = a.e.stdout.Write(output{e: a.e, json: true}.errorJSON(err, msg))
	}
	var usage *usageError
	if errors.As(err, &usage) || client.IsBadInput(err) {
		fmt.Fprintf(a.e.stderr, "Run '%s --help' for its flags.\n", cmd.CommandPath())
	}
	return &reportedError{err: err}
}

func (sc *sandboxCmd) clockCommand() *cobra.Command {
	group := &cobra.Command{
		Use:   "clock",
		Short: "show the sandbox time; advance, set or reset it",
		Long:  "Shows the sandbox's clock, which every expiry follows: link codes, service tokens and their refresh grace, access tokens, TV provider authentications, TV codes, the limiter. Its steps move it without waiting.",
		Args:  stepArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return sc.run(cmd, func(ctx context.Context, ad *client.Admin) ([]byte, func(io.Writer), error) {
				return clockAnswer(ad.Clock(ctx))
			})
		},
	}
	advance := &cobra.Command{
		Use:     "advance DURATION",
		Short:   "move the sandbox clock forward, such as 31m or 36h",
		Example: "handoff sandbox clock advance 31m",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return sc.fail(cmd, usagef("clock advance takes one duration, such as 31m or 36h"))
			}
			d, err := time.ParseDuration(args[0])
			if err != nil {
				return sc.fail(cmd, usagef("clock advance takes a duration such as 90s, 31m or 36h, not %q", args[0]))
			}
			return sc.run(cmd, func(ctx context.Context, ad *client.Admin) ([]byte, func(io.Writer), error) {
				return clockAnswer(ad.AdvanceClock(ctx, d))
			})
		},
	}
	set := &cobra.Command{
		Use:     "set RFC3339",
		Short:   "make the sandbox clock read a time, such as 2027-01-01T12:00:00Z",
		Example: "handoff sandbox clock set 2027-01-01T12:00:00Z",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return sc.fail(cmd, usagef("clock set takes one RFC 3339 time, such as 2027-01-01T12:00:00Z"))
			}
			t, err := time.Parse(time.RFC3339, args[0])
			if err != nil {
				return sc.fail(cmd, usagef("clock set takes an RFC 3339 time such as 2027-01-01T12:00:00Z (or with an offset, +01:00), not %q", args[0]))
			}
			return sc.run(cmd, func(ctx context.Context, ad *client.Admin) ([]byte, func(io.Writer), error) {
				return clockAnswer(ad.SetClock(ctx, t))
			})
		},
	}
	reset := &cobra.Command{
		Use:   "reset",
		Short: "put the sandbox clock back on the real time",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return sc.run(cmd, func(ctx context.Context, ad *client.Admin) ([]byte, func(io.Writer), error) {
				return clockAnswer(ad.ResetClock(ctx))
			})
		},
	}
	for _, c := range []*cobra.Command{advance, set} {
		c.ValidArgsFunction = cobra.NoFileCompletions
	}
	group.AddCommand(advance, set, reset)
	return group
}

func clockAnswer(c client.SandboxClock, raw []byte, err error) ([]byte, func(io.Writer), error) {
	return raw, func(w io.Writer) { fmt.Fprintln(w, clockLine(c)) }, err
}

// clockLine is the sandbox clock in words: "sandbox time 2026-12-01T22:01:00Z (31m0s
// ahead of the real time)".
func clockLine(c client.SandboxClock) string {
	now := c.Now.Format(time.RFC3339)
	switch {
	case !c.Shifted:
		return "sandbox time " + now + " (the real time)"
	case c.Offset < 0:
		return fmt.Sprintf("sandbox time %s (%s behind the real time)", now, (-c.Offset).Round(time.Second))
	}
	return fmt.Sprintf("sandbox time %s (%s ahead of the real time)", now, c.Offset.Round(time.Second))
}

func (sc *sandboxCmd) stateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "state",
		Short: "what the sandbox holds, in counts (never a code or a token)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return sc.run(cmd, func(ctx context.Context, ad *client.Admin) ([]byte, func(io.Writer), error) {
				st, raw, err := ad.State(ctx)
				return raw, func(w io.Writer) { writeState(w, st) }, err
			})
		},
	}
}

func (sc *sandboxCmd) resetCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "reset",
		Short: "empty the sandbox's store: profiles, devices, codes, clients (its keys are kept)",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return sc.run(cmd, func(ctx context.Context, ad *client.Admin) ([]byte, func(io.Writer), error) {
				st, raw, err := ad.Reset(ctx)
				return raw, func(w io.Writer) {
					fmt.Fprintln(w, "the sandbox's store is empty (its keys are kept); every device has to sign in or join again")
					writeState(w, st)
				}, err
			})
		},
	}
}

func writeState(w io.Writer, st client.SandboxState) {
	for _, row := range []struct {
		name string
		n    int
	}{
		{"profiles", st.Profiles}, {"devices", st.Devices}, {"live link codes", st.LinkCodes},
		{"clients", st.Clients}, {"live access tokens", st.AccessTokens},
		{"TV provider sign-ins under way", st.MVPDLogins}, {"TV provider authentications", st.MVPDAuthentications},
		{"platform subscribers", st.PlatformSubscribers}, {"faults", st.Faults},
	} {
		fmt.Fprintf(w, "%-31s %d\n", row.name, row.n)
	}
	fmt.Fprintf(w, "%-31s %s\n", "data", present.Safe(st.Data))
	if st.Seeded {
		fmt.Fprintf(w, "%-31s %s\n", "seeded", "yes (reproducible codes: for tests only)")
	}
	fmt.Fprintln(w, clockLine(st.Clock))
}
