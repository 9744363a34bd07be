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

func (a *app) signinCommand() *cobra.Command {
	var ssoID string
	cmd := &cobra.Command{
		Use:   "signin --sso-id ID",
		Short: "step 2: get a service token for an account (X-SSO-ID)",
		Long: `Step 2 of the flow: the device asks for a service token for the account it is
signed in with (POST serviceToken with X-SSO-ID). Every device that signs in with
the same ID joins the same profile.`,
		Example: "handoff signin --sso-id alice@example.com",
		Args:    noArgs,
	}
	cmd.Flags().StringVar(&ssoID, "sso-id", "", "the account's common identifier, sent as X-SSO-ID (required)")
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		s := a.step(cmd, "phone")
		if ssoID == "" {
			return s.fail(usagef("signin needs the account: --sso-id alice@example.com"))
		}
		return s.call(assets.RolePrimary, func(ctx context.Context, d *client.Device) error {
			tok, err := d.SignIn(ctx, ssoID)
			if err != nil {
				return s.fail(err)
			}
			return s.ok(tok.Raw, tok, func(w io.Writer) {
				fmt.Fprintf(w, "%s signed in to profile %s\n", s.device(), present.Safe(d.State().Claims.Subject))
				printTokenExpiry(w, tok)
			})
		})
	}
	return cmd
}

// printTokenExpiry says until when a service token is good.
func printTokenExpiry(w io.Writer, tok *client.ServiceToken) {
	fmt.Fprintf(w, "service token valid until %s\n", present.Until(time.Now(), tok.NotAfter.Time()))
}
