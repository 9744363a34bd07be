package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

func (a *app) authorizeCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "authorize RESOURCE",
		Short: "may this device play RESOURCE? the authorization decision (decisions/authorize)",
		Long: `Asks the service whether the device may play a resource (POST /api/v2/{sp}/decisions/authorize), with the TV provider authentication it holds: through its profile after a link code (handoff redeem), or its own after a second-screen sign-in (handoff tvcode). A permit carries a media token for the player, valid a few minutes. The sandbox's TV providers permit every resource except those whose id starts with "denied".

Exits 0 when authorized; 1 when denied, or when the device has no TV provider authentication (the reason is printed). With --json it prints the decision.`,
		Example: "handoff authorize live\nhandoff authorize denied-sports --json",
		RunE: func(cmd *cobra.Command, args []string) error {
			s := a.step(cmd, "tv")
			switch {
			case len(args) == 0:
				return s.fail(usagef("authorize needs the resource to play, such as live: handoff authorize RESOURCE"))
			case len(args) > 1:
				return s.fail(usagef("authorize takes one resource, but got %d", len(args)))
			}
			return s.call(assets.RoleSecondary, func(ctx context.Context, d *client.Device) error {
				dec, err := d.Authorize(ctx, args[0])
				if err != nil {
					return s.fail(err)
				}
				if !dec.Authorized {
					return s.denied(dec)
				}
				return s.ok(nil, dec, func(w io.Writer) {
					fmt.Fprintf(w, "%s may play %s (TV provider %s)\n", s.device(), present.Safe(dec.Resource), present.Safe(mvpdName(dec.MVPD)))
					if dec.Token != nil {
						fmt.Fprintf(w, "media token valid until %s\n", present.Until(time.Now(), dec.Token.NotAfter.Time()))
					}
				})
			})
		},
		ValidArgsFunction: cobra.FixedCompletions([]cobra.Completion{"live", "denied-sports"}, cobra.ShellCompDirectiveNoFileComp),
	}
}

// denied reports a deny decision: it is the service's answer, printed with --json
// like a permit, and the command exits 1 with the reason on stderr.
func (s *step) denied(dec *client.Decision) error {
	reason := "the TV provider denied it"
	if dec.Error != nil && dec.Error.Message != "" {
		reason = dec.Error.Message
	}
	if dec.Error != nil && dec.Error.Code != "" {
		reason += " [" + dec.Error.Code + "]"
	}
	msg := present.Safe(fmt.Sprintf("%s may not play %s: %s", s.device(), dec.Resource, reason))
	if err := s.ok(nil, dec, func(io.Writer) {}); err != nil {
		return err
	}
	fmt.Fprintln(s.a.e.stderr, "handoff:", msg)
	return &reportedError{err: &notDoneError{status: "DENIED", code: "not_authorized", msg: msg}}
}
