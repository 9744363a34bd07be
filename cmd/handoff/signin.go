package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
)

const signinUsage = "handoff signin --sso-id ID [flags]"

func init() {
	register(&command{
		name:    "signin",
		summary: "step 2: get a service token for an account (X-SSO-ID)",
		usage:   signinUsage,
		run:     runSignIn,
	})
}

func runSignIn(ctx context.Context, e *env, args []string) int {
	c := newDeviceCommand(e, "signin", signinUsage, `Step 2 of the flow: the device asks for a service token for the account it is
signed in with (POST serviceToken with X-SSO-ID). Every device that signs in with
the same ID joins the same profile.`, "phone")
	ssoID := c.fs.String("sso-id", "", "the account's common identifier, sent as X-SSO-ID (required)")
	rest, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if err := noArgs("signin", rest); err != nil {
		return c.out.fail(err)
	}
	if *ssoID == "" {
		return c.out.fail(usagef("signin needs the account: --sso-id alice@example.com"))
	}
	d, err := c.open(assets.RolePrimary)
	if err != nil {
		return c.out.fail(err)
	}
	tok, err := d.SignIn(ctx, *ssoID)
	if err != nil {
		return c.out.fail(err)
	}
	return c.out.ok(tok, func(w io.Writer) {
		fmt.Fprintf(w, "%s signed in to profile %s\n", c.df.device, d.State().Claims.Subject)
		printTokenExpiry(w, tok)
	})
}

// printTokenExpiry says until when a service token is good.
func printTokenExpiry(w io.Writer, tok *client.ServiceToken) {
	fmt.Fprintf(w, "service token valid until %s\n", until(time.Now(), tok.NotAfter.Time()))
}
