package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
)

const redeemUsage = "handoff redeem CODE [flags]"

func init() {
	register(&command{
		name:    "redeem",
		summary: "step 5: join the phone's profile with its link code (X-SSO-LINK)",
		usage:   redeemUsage,
		run:     runRedeem,
	})
}

func runRedeem(ctx context.Context, e *env, args []string) int {
	c := newDeviceCommand(e, "redeem", redeemUsage, `Step 5 of the flow: the TV types the phone's six-digit code and gets its own
service token for the phone's profile (POST serviceToken with X-SSO-LINK).
"123456", "123 456" and "123-456" are the same code. The device is "tv" unless
--device or HANDOFF_DEVICE says otherwise.`, "tv")
	rest, code, ok := c.parse(args)
	if !ok {
		return code
	}
	if len(rest) == 0 {
		return c.out.fail(usagef("redeem needs the code the phone shows: handoff redeem 123456"))
	}
	linkCode, err := client.NormalizeLinkCode(strings.Join(rest, " "))
	if err != nil {
		return c.out.fail(err)
	}
	d, err := c.open(assets.RoleSecondary)
	if err != nil {
		return c.out.fail(err)
	}
	tok, err := d.Redeem(ctx, linkCode)
	if err != nil {
		return c.out.fail(err)
	}
	return c.out.ok(tok, func(w io.Writer) {
		fmt.Fprintf(w, "%s joined profile %s with the link code\n", c.df.device, d.State().Claims.Subject)
		printTokenExpiry(w, tok)
	})
}
