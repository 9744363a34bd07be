// Command handoff is a terminal companion for cross-device single sign-on: it plays the
// phone and the TV of the SSO service's link-code flow, and can serve a local sandbox.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// Exit codes, documented in `handoff help`.
const (
	exitOK          = 0 // success
	exitRefused     = 1 // the server refused (4xx)
	exitUsage       = 2 // the command line was wrong
	exitUnreachable = 3 // the server could not be reached or failed (5xx, timeout)
)

// command is one subcommand. Each file of this package registers its own in init, so
// that the commands stay independent of each other.
type command struct {
	name    string
	summary string // one line for `handoff help`
	usage   string // "handoff link [--qr] [--png FILE]"
	run     func(ctx context.Context, env *env, args []string) int
}

// env is what a command may touch of the outside world; tests give their own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

func main() {
	// The signals stay caught until the process is gone: restoring their default
	// action before os.Exit would let a second SIGTERM, sent while handoff finishes its
	// shutdown, kill it (exit 143) instead of the clean exit the first one asked for.
	ctx, _ := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	os.Exit(dispatch(ctx, &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:]))
}

// dispatch runs the subcommand named by args[0]; with no subcommand (or only flags) it
// opens the two-device view.
func dispatch(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		return runCommand(ctx, e, "ui", nil)
	}
	switch args[0] {
	case "--version", "-version", "version":
		fmt.Fprintln(e.stdout, "handoff", version())
		return exitOK
	case "help", "--help", "-h", "-help":
		return help(e, args[1:])
	}
	if strings.HasPrefix(args[0], "-") {
		return runCommand(ctx, e, "ui", args)
	}
	return runCommand(ctx, e, args[0], args[1:])
}

func runCommand(ctx context.Context, e *env, name string, args []string) int {
	c, ok := commands[name]
	if !ok {
		fmt.Fprintf(e.stderr, "handoff: unknown command %q; run 'handoff help' to see the commands\n", name)
		return exitUsage
	}
	return c.run(ctx, e, args)
}

func help(e *env, args []string) int {
	if len(args) > 0 {
		c, ok := commands[args[0]]
		if !ok {
			fmt.Fprintf(e.stderr, "handoff: no help for %q; run 'handoff help' to see the commands\n", args[0])
			return exitUsage
		}
		return c.run(context.Background(), e, []string{"--help"})
	}
	fmt.Fprint(e.stdout, "handoff: see and drive cross-device single sign-on from a terminal.\n\nUsage:\n  handoff [flags]            the phone and the TV side by side, on the embedded sandbox\n  handoff <command> [flags]\n\nCommands:\n")
	names := make([]string, 0, len(commands))
	for n := range commands {
		if n != "ui" {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(e.stdout, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprint(e.stdout, `
Run 'handoff help <command>' for a command's flags.

Every device command takes --server, --sp, --device, --preset, --keystore and --json;
the environment variables HANDOFF_SERVER, HANDOFF_SP, HANDOFF_DEVICE and
HANDOFF_KEYSTORE set their defaults. With --json a command prints one JSON object on
stdout: the API's answer, or its error object, with a "device" field.

Exit codes:
  0  success
  1  the server refused the request (a 4xx answer; the API's code is shown), or the
     device has not signed in yet
  2  usage error (a flag or argument is wrong, or the keystore asked for is unusable)
  3  the server could not be reached or failed (network error, timeout, 5xx)
`)
	return exitOK
}
