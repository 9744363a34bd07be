package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/present"
	"github.com/handoff-sso/handoff/sandbox"
)

func (sc *sandboxCmd) faultCommand() *cobra.Command {
	group := &cobra.Command{
		Use:   "fault",
		Short: "make a route of the sandbox fail on purpose; list or clear the faults",
		Args:  stepArgs,
		RunE:  sayWhichStep,
	}
	group.AddCommand(sc.faultAddCommand(), sc.faultListCommand(), sc.faultClearCommand())
	return group
}

func (sc *sandboxCmd) faultAddCommand() *cobra.Command {
	var spec client.FaultSpec
	cmd := &cobra.Command{
		Use:   "add --route 'METHOD PATH' --status CODE [--times N | --rate P] [--delay D] [--drop]",
		Short: "make a route answer an error status, wait, or drop the connection",
		Long:  `Makes the sandbox fail calls to one route, PATH as the spec writes it (POST /api/{sp}/link): it answers --status in that API's own error shape, waits --delay first, or with --drop closes the connection without an answer. Every call fails, or the next --times N calls (then the fault clears), or each call with probability --rate P. The first fault that matches a call applies.`,
		Example: "handoff sandbox fault add --route 'POST /api/{sp}/link' --status 503 --times 2\n" +
			"handoff sandbox fault add --route 'GET /api/v2/{sp}/profiles/code/{code}' --status 500 --rate 0.3\n" +
			"handoff sandbox fault add --route 'POST /api/{sp}/serviceToken' --drop --delay 2s",
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := checkFault(cmd, spec); err != nil {
				return sc.fail(cmd, err)
			}
			return sc.run(cmd, func(ctx context.Context, ad *client.Admin) ([]byte, func(io.Writer), error) {
				f, raw, err := ad.AddFault(ctx, spec)
				return raw, func(w io.Writer) {
					fmt.Fprintf(w, "fault %s: %s %s\n", present.Safe(f.ID), present.Safe(f.Route), faultWords(f.FaultSpec))
				}, err
			})
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&spec.Route, "route", "", `the route to fail, "METHOD PATH" with PATH as in the spec, such as 'POST /api/{sp}/link' (required)`)
	fs.IntVar(&spec.Status, "status", 0, "the error status to answer, 400 to 599")
	fs.IntVar(&spec.Times, "times", 0, "fail only the next N calls, then clear")
	fs.Float64Var(&spec.Rate, "rate", 0, "fail each call with this probability, above 0 and at most 1")
	fs.Var(durationFlag{&spec.Delay}, "delay", "wait this long before answering or dropping (a Go duration: 500ms, 2s)")
	fs.BoolVar(&spec.Drop, "drop", false, "close the connection without an answer")
	_ = cmd.RegisterFlagCompletionFunc("route", completeRoutes)
	_ = cmd.RegisterFlagCompletionFunc("status", cobra.FixedCompletions([]cobra.Completion{"400", "401", "403", "404", "429", "500", "502", "503", "504"}, cobra.ShellCompDirectiveNoFileComp))
	for _, name := range []string{"times", "rate", "delay"} {
		_ = cmd.RegisterFlagCompletionFunc(name, cobra.NoFileCompletions)
	}
	return cmd
}

// checkFault refuses what the command line says wrong before the sandbox is asked;
// the sandbox checks the route against the routes it serves.
func checkFault(cmd *cobra.Command, spec client.FaultSpec) error {
	changed := cmd.Flags().Changed
	switch {
	case strings.TrimSpace(spec.Route) == "":
		return usagef("fault add needs the route to fail: --route 'METHOD PATH', such as 'POST /api/{sp}/link'")
	case changed("times") && changed("rate"):
		return usagef("--times and --rate do not go together: fail the next N calls, or each call with a probability")
	case changed("times") && spec.Times <= 0:
		return usagef("--times must be at least 1")
	case changed("rate") && (spec.Rate <= 0 || spec.Rate > 1):
		return usagef("--rate is a probability above 0 and at most 1, such as 0.3")
	case spec.Delay < 0:
		return usagef("--delay must not be negative")
	case spec.Status == 0 && !spec.Drop && spec.Delay == 0:
		return usagef("fault add needs what to do: --status CODE (400 to 599), --drop or --delay D")
	case spec.Status != 0 && (spec.Status < 400 || spec.Status > 599):
		return usagef("--status must be an error status, 400 to 599, not %d", spec.Status)
	case spec.Status != 0 && spec.Drop:
		return usagef("--status and --drop do not go together: a dropped connection has no status")
	}
	return nil
}

// faultWords says what a fault does: "answers 503, the next 2 calls".
func faultWords(f client.FaultSpec) string {
	var what string
	switch {
	case f.Drop:
		what = "drops the connection"
	case f.Status != 0:
		what = fmt.Sprintf("answers %d", f.Status)
	default:
		what = "answers late"
	}
	if f.Delay > 0 {
		what += " after " + f.Delay.String()
	}
	switch {
	case f.Times == 1:
		return what + ", the next call"
	case f.Times > 0:
		return fmt.Sprintf("%s, the next %d calls", what, f.Times)
	case f.Rate > 0:
		return fmt.Sprintf("%s, %.0f%% of calls", what, f.Rate*100)
	}
	return what + ", every call"
}

func (sc *sandboxCmd) faultListCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "list the live faults, the first that matches first",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return sc.run(cmd, func(ctx context.Context, ad *client.Admin) ([]byte, func(io.Writer), error) {
				fs, raw, err := ad.Faults(ctx)
				return raw, func(w io.Writer) {
					if len(fs) == 0 {
						fmt.Fprintln(w, "no faults: every route answers as it should")
					}
					for _, f := range fs {
						fired := fmt.Sprintf("fired %d", f.Fired)
						if f.Counted {
							fired += fmt.Sprintf(", %d left", f.Remaining)
						}
						fmt.Fprintf(w, "%s  %s  %s (%s)\n", present.Safe(f.ID), present.Safe(f.Route), faultWords(f.FaultSpec), fired)
					}
				}, err
			})
		},
	}
}

func (sc *sandboxCmd) faultClearCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "clear",
		Short: "remove every fault",
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return sc.run(cmd, func(ctx context.Context, ad *client.Admin) ([]byte, func(io.Writer), error) {
				n, raw, err := ad.ClearFaults(ctx)
				return raw, func(w io.Writer) { fmt.Fprintf(w, "cleared %d %s\n", n, present.Plural(n, "fault", "faults")) }, err
			})
		},
	}
}

// completeRoutes offers the routes the sandbox documents (its OpenAPI document), as
// --route takes them; the admin API cannot be faulted.
func completeRoutes(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(sandbox.OpenAPI(), &doc); err != nil {
		return nil, cobra.ShellCompDirectiveNoFileComp
	}
	var out []cobra.Completion
	for path, ops := range doc.Paths {
		if strings.HasPrefix(path, "/sandbox/admin/") {
			continue
		}
		for method := range ops {
			if slices.Contains([]string{"get", "post", "put", "delete", "patch"}, method) {
				out = append(out, strings.ToUpper(method)+" "+path)
			}
		}
	}
	slices.Sort(out)
	return out, cobra.ShellCompDirectiveNoFileComp
}
