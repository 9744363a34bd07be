package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

func (a *app) redeemCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "redeem CODE",
		Short: "step 5: join the phone's profile with its link code (X-SSO-LINK)",
		Long: `Step 5 of the flow: the TV types the phone's link code and gets its own service
token for the phone's profile (POST serviceToken with X-SSO-LINK). A code is 4 to 32
letters and digits (the sandbox's are six digits, other servers' may have letters):
"123456", "123 456" and "123-456" are the same code. The device is "tv" unless
--device or HANDOFF_DEVICE says otherwise.`,
		Example:           "handoff redeem 123456\nhandoff redeem 123 456 --device tv2",
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(cmd *cobra.Command, args []string) error {
			s := a.step(cmd, "tv")
			if len(args) == 0 {
				return s.fail(usagef("redeem needs the code the phone shows: handoff redeem 123456"))
			}
			linkCode, err := client.NormalizeLinkCode(strings.Join(args, " "))
			if err != nil {
				return s.fail(err)
			}
			return s.call(assets.RoleSecondary, func(ctx context.Context, d *client.Device) error {
				tok, err := d.Redeem(ctx, linkCode)
				if err != nil {
					return s.fail(err)
				}
				return s.ok(tok.Raw, tok, func(w io.Writer) {
					fmt.Fprintf(w, "%s joined profile %s with the link code\n", s.device(), present.Safe(d.State().Claims.Subject))
					printTokenExpiry(w, tok)
				})
			})
		},
	}
}
