package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

func (a *app) mvpdCommand() *cobra.Command {
	group := &cobra.Command{
		Use:   "mvpd",
		Short: "step 3: sign the profile in or out with a TV provider (MVPD)",
		Long: `Step 3 of the flow: the phone signs in with a TV provider (MVPD), and every device
of its profile then shares that authentication ('handoff profiles', 'handoff authn').`,
		Args: stepArgs,
		RunE: sayWhichStep,
	}
	group.AddCommand(a.mvpdSignInCommand(), a.mvpdSignOutCommand())
	return group
}

func (a *app) mvpdSignInCommand() *cobra.Command {
	var mvpd, user string
	cmd := &cobra.Command{
		Use:   "signin --mvpd ID --user USER",
		Short: "sign the profile in with a TV provider",
		Long: `Step 3 of the flow: the device starts a TV provider sign-in for its profile (POST
/api/v2/{sp}/sessions) and completes it on the sandbox's simulated MVPD login as USER.
The providers the sandbox knows: ` + assets.MVPDIDs() + `.`,
		Example: "handoff mvpd signin --mvpd Comcast_SSO --user jdoe",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s := a.step(cmd, "phone")
			switch {
			case mvpd == "":
				return s.fail(usagef("mvpd signin needs a TV provider: --mvpd ID, one of %s", assets.MVPDIDs()))
			case user == "":
				return s.fail(usagef("mvpd signin needs the user to sign in as at the TV provider: --user USER"))
			}
			return s.call(assets.RolePrimary, func(ctx context.Context, d *client.Device) error {
				login, err := d.MVPDSignIn(ctx, mvpd, user)
				if err != nil {
					return s.fail(err)
				}
				return s.ok(login.Raw, login, func(w io.Writer) {
					fmt.Fprintf(w, "profile %s signed in with %s as %s\n", present.Safe(d.State().Claims.Subject), mvpdName(login.MVPD), present.Safe(login.UserID))
					fmt.Fprintf(w, "TV provider authentication valid until %s\n", present.Until(time.Now(), login.NotAfter.Time()))
				})
			})
		},
	}
	cmd.Flags().StringVar(&mvpd, "mvpd", "", "the TV provider's id, such as Comcast_SSO (required)")
	cmd.Flags().StringVar(&user, "user", "", "the user id to sign in as at the TV provider (required)")
	_ = cmd.RegisterFlagCompletionFunc("mvpd", completeMVPDs)
	_ = cmd.RegisterFlagCompletionFunc("user", cobra.NoFileCompletions)
	return cmd
}

func (a *app) mvpdSignOutCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "signout",
		Short: "end the TV provider authentication for every device",
		Long: `Ends the profile's TV provider authentication (DELETE /api/v2/{sp}/logout): every
device of the profile has to sign in with its provider again.`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			s := a.step(cmd, "phone")
			return s.call(assets.RolePrimary, func(ctx context.Context, d *client.Device) error {
				logout, err := d.SignOut(ctx)
				if err != nil {
					return s.fail(err)
				}
				return s.ok(logout.Raw, logout, func(w io.Writer) {
					if len(logout.Logouts) == 0 {
						fmt.Fprintln(w, "the profile was not signed in with a TV provider")
						return
					}
					var names []string
					for id := range logout.Logouts {
						names = append(names, mvpdName(id))
					}
					sort.Strings(names)
					fmt.Fprintf(w, "signed out of %s for every device of the profile\n", strings.Join(names, ", "))
				})
			})
		},
	}
}

// mvpdName is a TV provider as people know it: "Xfinity (Comcast_SSO)"; an id the
// server sent that handoff does not know is shown terminal-safe.
func mvpdName(id string) string {
	if m, ok := assets.LookupMVPD(id); ok {
		return m.Name + " (" + m.ID + ")"
	}
	return present.Safe(id)
}
