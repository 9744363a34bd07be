package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/muesli/cancelreader"
	"github.com/spf13/cobra"

	"github.com/handoff-sso/handoff/assets"
	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
)

func (a *app) unlinkCommand() *cobra.Command {
	var allOthers, yes bool
	cmd := &cobra.Command{
		Use:   "unlink KEY|DEVICE... | --all-others",
		Short: "step 6: unlink devices from the profile by key (POST unlink)",
		Long: `Step 6 of the flow: unlinks devices of this device's profile (POST unlink). The
keys are those 'handoff devices' lists; a device this machine plays may be named
instead (tv, tv2). A device may unlink itself. An unlinked device's service token is
refused from then on.

Unlinking other devices asks first on a terminal (the default answer is no); --yes
answers yes, and is needed when no terminal is there to ask.`,
		Example: "handoff unlink tv --yes\nhandoff unlink --all-others --yes",
		ValidArgsFunction: func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
			return a.completeUnlinkArgs(args, toComplete)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			s := a.step(cmd, "phone")
			switch {
			case allOthers && len(args) > 0:
				return s.fail(usagef("give device keys or --all-others, not both"))
			case !allOthers && len(args) == 0:
				return s.fail(usagef("unlink needs device keys (see 'handoff devices') or --all-others"))
			}
			d, err := s.open(assets.RolePrimary)
			if err != nil {
				return s.fail(err)
			}
			self := d.State()
			ctx, cancel := s.context()
			defer cancel()
			var res *client.UnlinkResult
			if allOthers {
				if res, err = a.unlinkOthers(ctx, cmd.Context(), d, self, yes); err != nil {
					return s.fail(err)
				}
				return s.ok(res.Raw, res, func(w io.Writer) { writeUnlinked(w, res, nil) })
			}
			keys := a.unlinkKeys(args, self)
			if others := slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return k == self.Key }); len(others) > 0 && !yes {
				if err := a.confirmUnlink(cmd.Context(), len(others), self); err != nil {
					return s.fail(err)
				}
			}
			if res, err = d.Unlink(ctx, keys...); err != nil {
				return s.fail(err)
			}
			return s.ok(res.Raw, res, func(w io.Writer) { writeUnlinked(w, res, keys) })
		},
	}
	cmd.Flags().BoolVar(&allOthers, "all-others", false, "unlink every device of the profile but this one")
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "unlink other devices without asking")
	return cmd
}

// unlinkOthers is unlink --all-others: the client lists the profile and unlinks the
// others in as many calls as the list needs. Without --yes the list is read first, to
// ask about as many devices as it holds.
func (a *app) unlinkOthers(ctx, signal context.Context, d *client.Device, self client.DeviceState, yes bool) (*client.UnlinkResult, error) {
	if !yes {
		list, err := d.Devices(ctx)
		if err != nil {
			return nil, err
		}
		n := len(list.Devices)
		if _, in := list.Devices[self.Key]; in {
			n--
		}
		if n == 0 {
			return &client.UnlinkResult{Status: "OK", UnlinkedDevices: []string{}}, nil
		}
		if err := a.confirmUnlink(signal, n, self); err != nil {
			return nil, err
		}
	}
	return d.UnlinkOthers(ctx)
}

// shownKeys is how many unlinked keys the human output lists; --json has them all.
const shownKeys = 20

// writeUnlinked says what unlink did; asked are the keys given on the command line
// (none for --all-others), so that those the service left alone are named.
func writeUnlinked(w io.Writer, res *client.UnlinkResult, asked []string) {
	switch n := len(res.UnlinkedDevices); {
	case n == 0 && asked == nil:
		fmt.Fprintln(w, "no other device is linked to this profile")
	case n == 0:
		fmt.Fprintln(w, "nothing was unlinked")
	default:
		fmt.Fprintf(w, "unlinked %d device(s):\n", n)
		for i, k := range res.UnlinkedDevices {
			if i == shownKeys && n > shownKeys+1 {
				fmt.Fprintf(w, "  … and %d more (--json lists them all)\n", n-shownKeys)
				break
			}
			fmt.Fprintln(w, " ", present.Safe(k))
		}
	}
	if missed := notUnlinked(asked, res.UnlinkedDevices); len(missed) > 0 {
		fmt.Fprintln(w, "not devices of this profile, left alone:")
		for _, k := range missed {
			fmt.Fprintln(w, " ", present.Safe(k))
		}
	}
}

// unlinkKeys turns the arguments into device keys: a device this machine plays on the
// same server and service provider may be given by name.
func (a *app) unlinkKeys(args []string, self client.DeviceState) []string {
	if len(args) == 0 {
		return nil
	}
	local := map[string]string{}
	for _, dev := range a.localDevices(self.Server, self.SP) {
		local[dev.name] = dev.key
	}
	keys := make([]string, 0, len(args))
	for _, arg := range args {
		if key, ok := local[arg]; ok {
			arg = key
		}
		keys = append(keys, arg)
	}
	return keys
}

// confirmUnlink asks before other devices lose their sign-in; without a terminal to
// ask on, --yes is needed.
func (a *app) confirmUnlink(ctx context.Context, n int, self client.DeviceState) error {
	if !a.e.stdinTTY {
		return usagef("unlinking other devices needs --yes when handoff cannot ask (stdin is not a terminal)")
	}
	what := "1 other device"
	if n > 1 {
		what = fmt.Sprintf("%d other devices", n)
	}
	fmt.Fprintf(a.e.stderr, "Unlink %s from profile %s? They will have to sign in again. [y/N] ", what, orDash(self.Claims.Subject))
	// Ctrl-C is caught for the whole run: the question must not outlast it, nor leave
	// a read pending on the terminal (its next answer is for whoever asks next).
	in, err := cancelreader.NewReader(a.e.stdin)
	if err != nil {
		return &setupError{msg: "cannot read the answer from the terminal", err: err}
	}
	defer in.Close()
	answer := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(in).ReadString('\n')
		answer <- line
	}()
	select {
	case <-ctx.Done():
		in.Cancel()
		<-answer
		fmt.Fprintln(a.e.stderr)
		return ctx.Err()
	case line := <-answer:
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "y", "yes":
			return nil
		}
	}
	return &notDoneError{status: "NOT_CONFIRMED", code: "not_confirmed", msg: "Nothing was unlinked (not confirmed)."}
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
