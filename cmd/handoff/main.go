// Command handoff is a terminal companion for cross-device single sign-on: it plays the
// phone and the TV of the SSO service's link-code flow, and can serve a local sandbox.
package main

import (
	"context"
	"errors"
	"io"
	"os"
	"os/signal"
	"syscall"

	"charm.land/fang/v2"
	"github.com/charmbracelet/x/term"
)

// Exit codes, documented in `handoff help` (see exitCode).
const (
	exitOK          = 0 // success
	exitRefused     = 1 // the server refused, or what was asked for did not happen
	exitUsage       = 2 // the command line was wrong, or a local set-up failed
	exitUnreachable = 3 // the server could not be reached or failed (5xx, timeout)
)

// env is what a command may touch of the outside world; tests give their own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
	// stdinTTY and stdoutTTY say whether those streams are terminals: the interactive
	// screen needs one, unlink asks its question on one, link --wait counts down on one.
	stdinTTY, stdoutTTY bool
}

func main() {
	e := &env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv,
		stdinTTY: term.IsTerminal(os.Stdin.Fd()), stdoutTTY: term.IsTerminal(os.Stdout.Fd()),
	}
	os.Exit(run(signalContext(), e, os.Args[1:]))
}

// signalContext is cancelled by the first SIGINT or SIGTERM, with that signal as its
// cause. The signals stay caught until the process is gone: restoring their default
// action would let a second one, sent while handoff finishes, kill it instead of the
// clean exit the first one asked for.
func signalContext() context.Context {
	ctx, cancel := context.WithCancelCause(context.Background())
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-sigs
		cancel(&interruptedError{signal: s.(syscall.Signal)})
		for range sigs {
		}
	}()
	return ctx
}

// run executes one command line and returns its exit code.
func run(ctx context.Context, e *env, args []string) int {
	return newApp(ctx, e, args).execute()
}

func (a *app) execute() int {
	e := a.e
	root := a.rootCommand()
	root.SetArgs(a.args)
	root.SetIn(e.stdin)
	root.SetOut(e.stdout)
	root.SetErr(e.stderr)
	v := buildVersion()
	err := fang.Execute(a.ctx, root,
		fang.WithVersion(v.version), fang.WithCommit(v.commit),
		// Errors are reported by report, in words or as JSON, never by fang's box.
		fang.WithErrorHandler(func(io.Writer, fang.Styles, error) {}),
	)
	if err == nil {
		return exitOK
	}
	err = a.interruption(err)
	var done *reportedError
	if !errors.As(err, &done) {
		a.report(err)
	}
	return exitCode(err)
}
