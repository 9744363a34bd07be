package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

func (a *app) rokuCommand() *cobra.Command {
	group := &cobra.Command{
		Use:   "roku",
		Short: "a Roku TV joins its subscriber's profile without a code (platform SSO)",
		Long: `A Roku TV joins its subscriber's profile through the platform identity token (seed
000), without a link code. On the sandbox the token comes from its simulated Roku
identity service.`,
		Args: stepArgs,
		RunE: sayWhichStep,
	}
	var subscriber string
	signin := &cobra.Command{
		Use:   "signin --subscriber ID",
		Short: "join the subscriber's profile with the Roku connect token",
		Long: `The Roku device gets a connect token for the subscriber from the sandbox's Roku
identity service, then POST serviceToken with X-Roku-Reserved-Roku-Connect-Token.
Every Roku of one subscriber lands in the same profile. The device is "roku" unless
--device or HANDOFF_DEVICE says otherwise; a new device named roku… gets the roku
preset, any other needs --preset roku.`,
		Example: "handoff roku signin --subscriber sub-42",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s := a.step(cmd, "roku")
			if subscriber == "" {
				return s.fail(usagef("roku signin needs the subscriber: --subscriber ID"))
			}
			return s.call(assets.RoleSecondary, func(ctx context.Context, d *client.Device) error {
				tok, err := d.RokuSignIn(ctx, subscriber)
				if err != nil {
					return s.fail(err)
				}
				return s.ok(tok.Raw, tok, func(w io.Writer) {
					fmt.Fprintf(w, "%s joined profile %s with its Roku identity\n", s.device(), present.Safe(d.State().Claims.Subject))
					printTokenExpiry(w, tok)
				})
			})
		},
	}
	signin.Flags().StringVar(&subscriber, "subscriber", "", "the Roku subscriber id (required)")
	group.AddCommand(signin)
	return group
}
