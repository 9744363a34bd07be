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

func (a *app) refreshCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "refresh",
		Short: "renew the device's service token (GET serviceToken)",
		Long: `Renews the device's service token (GET serviceToken with AD-Service-Token): same
profile, new validity. An unlinked device is refused here.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s := a.step(cmd, "phone")
			return s.call(assets.RolePrimary, func(ctx context.Context, d *client.Device) error {
				tok, err := d.Refresh(ctx)
				if err != nil {
					return s.fail(err)
				}
				return s.ok(tok.Raw, tok, func(w io.Writer) {
					fmt.Fprintf(w, "%s's service token renewed (profile %s)\n", s.device(), present.Safe(d.State().Claims.Subject))
					printTokenExpiry(w, tok)
				})
			})
		},
	}
}
