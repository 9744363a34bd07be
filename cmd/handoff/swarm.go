package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/handoff-sso/handoff/client"
	"github.com/handoff-sso/handoff/swarm"
)

const swarmUsage = "handoff swarm [--server URL] --tvs N [--rate R] [--duration D] [--interval I] [--concurrency C] [--json]"

func init() {
	register(&command{
		name:    "swarm",
		summary: "put a crowd of simulated TVs on a server and measure every call",
		usage:   swarmUsage,
		run:     runSwarm,
	})
}

func runSwarm(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "swarm", swarmUsage, `Puts N simulated TVs on the server: each one's phone signs in on a profile of its
own and makes a link code, the TV redeems it, lists and refreshes for --duration,
then both unlink. Progress goes to stderr; at the end, latency percentiles
(p50/p90/p99) of every call and the errors by API code go to stdout (one JSON
object with --json). Tokens stay in memory. Exit 1 when a TV failed or a step
was refused.`)
	opts := swarm.Options{Interval: time.Second, Duration: 10 * time.Second}
	fs.StringVar(&opts.Server, "server", envOr(e, "HANDOFF_SERVER", defaultServer), "SSO service base URL (env HANDOFF_SERVER)")
	fs.StringVar(&opts.SP, "sp", envOr(e, "HANDOFF_SP", "demo"), "service provider (env HANDOFF_SP)")
	fs.IntVar(&opts.TVs, "tvs", 100, "how many TVs, each with its phone")
	fs.Float64Var(&opts.Rate, "rate", 0, "new TVs per second (0: all at once)")
	fs.Var(durationFlag{&opts.Duration}, "duration", "how long each TV lists and refreshes after joining (a Go `duration`)")
	fs.Var(durationFlag{&opts.Interval}, "interval", "each TV's pause between two calls (a Go `duration`; 0: none)")
	fs.IntVar(&opts.Concurrency, "concurrency", swarm.DefaultConcurrency, "most calls in flight at once")
	statementFile := fs.String("software-statement", "", "`file` holding the software statement for registration (env HANDOFF_SOFTWARE_STATEMENT holds one; default: the sandbox's)")
	asJSON := fs.Bool("json", false, "print the report as one JSON object")
	rest, code, ok := parseFlags(fs, args)
	if !ok {
		return code
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.stderr, "handoff swarm: unexpected argument %q; run 'handoff swarm --help'\n", rest[0])
		return exitUsage
	}
	opts.SoftwareStatement = []byte(e.getenv("HANDOFF_SOFTWARE_STATEMENT"))
	if *statementFile != "" {
		data, err := os.ReadFile(*statementFile)
		if err != nil {
			fmt.Fprintf(e.stderr, "handoff swarm: cannot read the software statement file %q: check --software-statement\n", *statementFile)
			return exitUsage
		}
		opts.SoftwareStatement = data
	}
	report, err := swarm.Run(ctx, opts, e.stderr, isTerminal(e.stderr))
	var nss *client.NoSoftwareStatementError
	switch {
	case errors.As(err, &nss), client.IsBadInput(err):
		fmt.Fprintln(e.stderr, "handoff swarm:", explain(err))
		fmt.Fprintln(e.stderr, "Run 'handoff swarm --help' for its flags.")
		return exitUsage
	case err != nil:
		fmt.Fprintln(e.stderr, "handoff swarm:", explain(err))
		return exitCode(err)
	}
	if *asJSON {
		out, _ := json.Marshal(report)
		fmt.Fprintf(e.stdout, "%s\n", out)
	} else if err := report.WriteText(e.stdout); err != nil {
		return exitUnreachable
	}
	if !report.Clean() {
		return exitRefused
	}
	return exitOK
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
