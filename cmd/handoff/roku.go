package main

import (
	"context"
	"fmt"
	"io"

	"github.com/handoff-sso/handoff/assets"
)

const rokuSignInUsage = "handoff roku signin --subscriber ID [flags]"

var rokuGroup = &subcommandGroup{
	name: "roku",
	about: `A Roku TV joins its subscriber's profile through the platform identity token (seed
000), without a link code. On the sandbox the token comes from its simulated Roku
identity service.`,
	subs: []subcommand{
		{name: "signin", usage: rokuSignInUsage, summary: "join the subscriber's profile with the Roku connect token", run: runRokuSignIn},
	},
}

func init() {
	rokuGroup.register("a Roku TV joins its subscriber's profile without a code (platform SSO)")
}

func runRokuSignIn(ctx context.Context, e *env, args []string) int {
	c := newDeviceCommand(e, "roku signin", rokuSignInUsage, `The Roku device gets a connect token for the subscriber from the sandbox's Roku
identity service, then POST serviceToken with X-Roku-Reserved-Roku-Connect-Token.
Every Roku of one subscriber lands in the same profile. The device is "roku" unless
--device or HANDOFF_DEVICE says otherwise; a new device named roku… gets the roku
preset, any other needs --preset roku.`, "roku")
	subscriber := c.fs.String("subscriber", "", "the Roku subscriber id (required)")
	rest, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if err := noArgs("roku signin", rest); err != nil {
		return c.out.fail(err)
	}
	if *subscriber == "" {
		return c.out.fail(usagef("roku signin needs the subscriber: --subscriber ID"))
	}
	d, err := c.open(assets.RoleSecondary)
	if err != nil {
		return c.out.fail(err)
	}
	tok, err := d.RokuSignIn(ctx, *subscriber)
	if err != nil {
		return c.out.fail(err)
	}
	return c.out.ok(tok, func(w io.Writer) {
		fmt.Fprintf(w, "%s joined profile %s with its Roku identity\n", c.df.device, d.State().Claims.Subject)
		printTokenExpiry(w, tok)
	})
}
