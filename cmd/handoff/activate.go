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

func (a *app) activateCommand() *cobra.Command {
	var mvpd, user string
	var legacy bool
	cmd := &cobra.Command{
		Use:     "activate CODE --mvpd ID --user USER",
		Short:   "the second screen: sign in with the code a TV shows (handoff tvcode)",
		Long:    `The second screen of the direction most TV apps use: it activates the code the TV shows (handoff tvcode) on the sandbox's activation page and signs in there with the TV provider as USER, as a person does in a browser. The TV that showed the code then holds that authentication; it notices with 'handoff tvcode --wait' and plays with 'handoff authorize'. The same page takes REST v2 codes and legacy v1 registration codes alike. The providers the sandbox knows: ` + assets.MVPDIDs() + `.`,
		Example: "handoff activate K7M2PQ9 --mvpd Cox --user tv-viewer",
		RunE: func(cmd *cobra.Command, args []string) error {
			s := a.step(cmd, "phone")
			switch {
			case len(args) == 0:
				return s.fail(usagef("activate needs the code the TV shows: handoff activate CODE --mvpd ID --user USER"))
			case len(args) > 1:
				return s.fail(usagef("activate takes one code, but got %d words: quote a code typed with spaces", len(args)))
			case mvpd == "":
				return s.fail(usagef("activate needs a TV provider: --mvpd ID, one of %s", assets.MVPDIDs()))
			case user == "":
				return s.fail(usagef("activate needs the user to sign in as at the TV provider: --user USER"))
			}
			return s.call(assets.RolePrimary, func(ctx context.Context, d *client.Device) error {
				login, err := d.ActivateCode(ctx, args[0], mvpd, user)
				if err != nil {
					return s.fail(err)
				}
				return s.ok(login.Raw, login, func(w io.Writer) {
					fmt.Fprintf(w, "signed in with %s as %s for the TV that shows the code\n", present.Safe(mvpdName(login.MVPD)), present.Safe(login.UserID))
					fmt.Fprintf(w, "TV provider authentication valid until %s\n", present.Until(time.Now(), login.NotAfter.Time()))
				})
			})
		},
	}
	cmd.Flags().StringVar(&mvpd, "mvpd", "", "the TV provider's id, such as Cox (required)")
	cmd.Flags().StringVar(&user, "user", "", "the user id to sign in as at the TV provider (required)")
	cmd.Flags().BoolVar(&legacy, "legacy", false, "the code is a legacy v1 registration code (the activation page takes both kinds alike)")
	_ = cmd.RegisterFlagCompletionFunc("mvpd", completeMVPDs)
	_ = cmd.RegisterFlagCompletionFunc("user", cobra.NoFileCompletions)
	cmd.ValidArgsFunction = cobra.NoFileCompletions
	return cmd
}
