package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/handoff-sso/handoff/assets"
)

const (
	mvpdSignInUsage  = "handoff mvpd signin --mvpd ID --user USER [flags]"
	mvpdSignOutUsage = "handoff mvpd signout [flags]"
)

var mvpdGroup = &subcommandGroup{
	name: "mvpd",
	about: `Step 3 of the flow: the phone signs in with a TV provider (MVPD), and every device
of its profile then shares that authentication ('handoff profiles', 'handoff authn').`,
	subs: []subcommand{
		{name: "signin", usage: mvpdSignInUsage, summary: "sign the profile in with a TV provider", run: runMVPDSignIn},
		{name: "signout", usage: mvpdSignOutUsage, summary: "end the TV provider authentication for every device", run: runMVPDSignOut},
	},
}

func init() {
	mvpdGroup.register("step 3: sign the profile in or out with a TV provider (MVPD)")
}

func runMVPDSignIn(ctx context.Context, e *env, args []string) int {
	c := newDeviceCommand(e, "mvpd signin", mvpdSignInUsage, `Step 3 of the flow: the device starts a TV provider sign-in for its profile (POST
/api/v2/{sp}/sessions) and completes it on the sandbox's simulated MVPD login as USER.
The providers the sandbox knows: `+mvpdIDs()+`.`, "phone")
	mvpd := c.fs.String("mvpd", "", "the TV provider's id, such as Comcast_SSO (required)")
	user := c.fs.String("user", "", "the user id to sign in as at the TV provider (required)")
	rest, code, ok := c.parse(args)
	if !ok {
		return code
	}
	switch {
	case len(rest) > 0:
		return c.out.fail(noArgs("mvpd signin", rest))
	case *mvpd == "":
		return c.out.fail(usagef("mvpd signin needs a TV provider: --mvpd ID, one of %s", mvpdIDs()))
	case *user == "":
		return c.out.fail(usagef("mvpd signin needs the user to sign in as at the TV provider: --user USER"))
	}
	d, err := c.open(assets.RolePrimary)
	if err != nil {
		return c.out.fail(err)
	}
	login, err := d.MVPDSignIn(ctx, *mvpd, *user)
	if err != nil {
		return c.out.fail(err)
	}
	return c.out.ok(login, func(w io.Writer) {
		fmt.Fprintf(w, "profile %s signed in with %s as %s\n", d.State().Claims.Subject, mvpdName(login.MVPD), login.UserID)
		fmt.Fprintf(w, "TV provider authentication valid until %s\n", until(time.Now(), login.NotAfter.Time()))
	})
}

func runMVPDSignOut(ctx context.Context, e *env, args []string) int {
	c := newDeviceCommand(e, "mvpd signout", mvpdSignOutUsage, `Ends the profile's TV provider authentication (DELETE /api/v2/{sp}/logout): every
device of the profile has to sign in with its provider again.`, "phone")
	d, code, ok := c.openFlagsOnly(args)
	if !ok {
		return code
	}
	logout, err := d.SignOut(ctx)
	if err != nil {
		return c.out.fail(err)
	}
	return c.out.ok(logout, func(w io.Writer) {
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
}

// mvpdName is a TV provider as people know it: "Xfinity (Comcast_SSO)".
func mvpdName(id string) string {
	if m, ok := assets.LookupMVPD(id); ok {
		return m.Name + " (" + m.ID + ")"
	}
	return id
}

func mvpdIDs() string {
	var ids []string
	for _, m := range assets.MVPDs() {
		ids = append(ids, m.ID)
	}
	return strings.Join(ids, ", ")
}
