package main

import (
	"context"
	"fmt"
	"io"
)

const refreshUsage = "handoff refresh [flags]"

func init() {
	register(&command{
		name:    "refresh",
		summary: "renew the device's service token (GET serviceToken)",
		usage:   refreshUsage,
		run:     runRefresh,
	})
}

func runRefresh(ctx context.Context, e *env, args []string) int {
	c := newDeviceCommand(e, "refresh", refreshUsage, `Renews the device's service token (GET serviceToken with AD-Service-Token): same
profile, new validity. An unlinked device is refused here.`, "phone")
	d, code, ok := c.openFlagsOnly(args)
	if !ok {
		return code
	}
	tok, err := d.Refresh(ctx)
	if err != nil {
		return c.out.fail(err)
	}
	return c.out.ok(tok, func(w io.Writer) {
		fmt.Fprintf(w, "%s's service token renewed (profile %s)\n", c.df.device, d.State().Claims.Subject)
		printTokenExpiry(w, tok)
	})
}
