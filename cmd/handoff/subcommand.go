package main

import (
	"context"
	"fmt"
	"strings"
)

// subcommandGroup is a command whose first argument names the step ("mvpd signin").
type subcommandGroup struct {
	name  string
	about string
	subs  []subcommand
}

type subcommand struct {
	name, usage, summary string
	run                  func(ctx context.Context, e *env, args []string) int
}

// register registers the group as one command, and its second words for completion.
func (g *subcommandGroup) register(summary string) {
	var names, usages []string
	for _, s := range g.subs {
		names = append(names, s.name)
		usages = append(usages, s.usage)
	}
	subcommands[g.name] = names
	register(&command{name: g.name, summary: summary, usage: strings.Join(usages, "\n       "), run: g.run})
}

func (g *subcommandGroup) run(ctx context.Context, e *env, args []string) int {
	if len(args) > 0 {
		for _, s := range g.subs {
			if args[0] == s.name {
				return s.run(ctx, e, args[1:])
			}
		}
	}
	help := len(args) > 0 && (args[0] == "--help" || args[0] == "-h" || args[0] == "-help" || args[0] == "help")
	if !help {
		if len(args) == 0 {
			fmt.Fprintf(e.stderr, "handoff %s: say which step\n", g.name)
		} else {
			fmt.Fprintf(e.stderr, "handoff %s: unknown step %q\n", g.name, args[0])
		}
	}
	fmt.Fprintf(e.stderr, "Usage: handoff %s <step> [flags]\n\nSteps:\n", g.name)
	for _, s := range g.subs {
		fmt.Fprintf(e.stderr, "  %-10s %s\n             %s\n", s.name, s.summary, s.usage)
	}
	fmt.Fprintf(e.stderr, "\n%s\n\nRun 'handoff %s <step> --help' for its flags.\n", g.about, g.name)
	if help {
		return exitOK
	}
	return exitUsage
}
