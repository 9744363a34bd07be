package main

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
)

const unlinkUsage = "handoff unlink KEY... | --all-others [flags]"

func init() {
	register(&command{
		name:    "unlink",
		summary: "step 6: unlink devices from the profile by key (POST unlink)",
		usage:   unlinkUsage,
		run:     runUnlink,
	})
}

func runUnlink(ctx context.Context, e *env, args []string) int {
	c := newDeviceCommand(e, "unlink", unlinkUsage, `Step 6 of the flow: unlinks devices of this device's profile (POST unlink). The
keys are those 'handoff devices' lists; a device may unlink itself. An unlinked
device's service token is refused from then on.`, "phone")
	allOthers := c.fs.Bool("all-others", false, "unlink every device of the profile but this one")
	keys, code, ok := c.parse(args)
	if !ok {
		return code
	}
	switch {
	case *allOthers && len(keys) > 0:
		return c.out.fail(usagef("give device keys or --all-others, not both"))
	case !*allOthers && len(keys) == 0:
		return c.out.fail(usagef("unlink needs device keys (see 'handoff devices') or --all-others"))
	}
	d, err := c.open(assets.RolePrimary)
	if err != nil {
		return c.out.fail(err)
	}
	if *allOthers {
		list, err := d.Devices(ctx)
		if err != nil {
			return c.out.fail(err)
		}
		self := d.State().Key
		for k := range list.Devices {
			if k != self {
				keys = append(keys, k)
			}
		}
	}
	res := &client.UnlinkResult{Status: "OK", UnlinkedDevices: []string{}}
	if len(keys) > 0 {
		if res, err = d.Unlink(ctx, keys...); err != nil {
			return c.out.fail(err)
		}
	}
	return c.out.ok(res, func(w io.Writer) {
		switch n := len(res.UnlinkedDevices); {
		case n == 0 && *allOthers:
			fmt.Fprintln(w, "no other device is linked to this profile")
		case n == 0:
			fmt.Fprintln(w, "nothing was unlinked")
		default:
			fmt.Fprintf(w, "unlinked %d device(s):\n", n)
			for _, k := range res.UnlinkedDevices {
				fmt.Fprintln(w, " ", k)
			}
		}
		if missed := notUnlinked(keys, res.UnlinkedDevices); len(missed) > 0 && !*allOthers {
			fmt.Fprintln(w, "not devices of this profile, left alone:")
			for _, k := range missed {
				fmt.Fprintln(w, " ", k)
			}
		}
	})
}

// notUnlinked are the keys asked for that the service did not unlink: the service
// leaves out keys that are not in the caller's profile.
func notUnlinked(asked, unlinked []string) []string {
	var out []string
	for _, k := range asked {
		if !slices.Contains(unlinked, k) && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}
