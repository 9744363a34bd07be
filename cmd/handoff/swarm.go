package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/swarm"
)

func (a *app) swarmCommand() *cobra.Command {
	opts := swarm.Options{Interval: time.Second, Duration: 10 * time.Second, TVs: 100, Concurrency: swarm.DefaultConcurrency}
	var statementFile string
	cmd := &cobra.Command{
		Use:   "swarm --tvs N",
		Short: "put a crowd of simulated TVs on a server and measure every call",
		Long: `Puts N simulated TVs on the server: each one's phone signs in on a profile of its
own and makes a link code, the TV redeems it, lists and refreshes for --duration,
then both unlink. Progress goes to stderr; at the end, latency percentiles
(p50/p90/p99) of every call and the errors by API code go to stdout (one JSON
object with --json). Tokens stay in memory. Exit 1 when a TV failed or a step
was refused.`,
		Example: "handoff swarm --server http://127.0.0.1:8765 --tvs 1000 --rate 50 --duration 30s",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Server, opts.SP = a.sf.server, a.sf.sp
			opts.SoftwareStatement = []byte(a.e.getenv("HANDOFF_SOFTWARE_STATEMENT"))
			if statementFile != "" {
				data, err := os.ReadFile(statementFile)
				if err != nil {
					return usagef("cannot read the software statement file %q: check --software-statement", statementFile)
				}
				opts.SoftwareStatement = data
			}
			report, err := swarm.Run(cmd.Context(), opts, a.e.stderr, isTerminal(a.e.stderr))
			var nss *client.NoSoftwareStatementError
			switch {
			case errors.As(err, &nss), client.IsBadInput(err):
				return usagef("%s", explain(err))
			case err != nil:
				return err
			}
			if a.sf.json {
				out, _ := json.Marshal(report)
				fmt.Fprintf(a.e.stdout, "%s\n", out)
			} else if err := report.WriteText(a.e.stdout); err != nil {
				return err
			}
			if !report.Clean() {
				return &reportedError{err: &notDoneError{status: "refused", code: "swarm_not_clean", msg: "some TVs failed or a step was refused"}}
			}
			return nil
		},
	}
	fs := cmd.Flags()
	fs.IntVar(&opts.TVs, "tvs", opts.TVs, "how many TVs, each with its phone")
	fs.Float64Var(&opts.Rate, "rate", 0, "new TVs per second (0: all at once)")
	fs.Var(durationFlag{&opts.Duration}, "duration", "how long each TV lists and refreshes after joining (a Go duration)")
	fs.Var(durationFlag{&opts.Interval}, "interval", "each TV's pause between two calls (a Go duration; 0: none)")
	fs.IntVar(&opts.Concurrency, "concurrency", opts.Concurrency, "most calls in flight at once")
	fs.StringArrayVar(&opts.Instances, "instance", nil, "another base URL of the same service, sharing its state (repeatable): each TV joins through another instance than its phone's")
	fs.StringVar(&statementFile, "software-statement", "", "file holding the software statement for registration (env HANDOFF_SOFTWARE_STATEMENT holds one; default: the sandbox's)")
	refuseShared(cmd, "every TV of the swarm is its own device, kept in memory", "device", "preset", "keystore", "trace", "timeout")
	return cmd
}

// isTerminal says whether w is a terminal, where the progress is redrawn in place.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
