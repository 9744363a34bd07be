package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// lineRun is the outcome of one command line run in this process.
type lineRun struct {
	code           int
	stdout, stderr string
}

// runLine runs a command line in this process, with no terminal and an empty
// environment; stores, when given, are where forget looks.
func runLine(t *testing.T, stores *forgetStores, args ...string) lineRun {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	a := newApp(t.Context(), e, args)
	if stores != nil {
		a.stores = *stores
	}
	code := a.execute()
	return lineRun{code, out.String(), errOut.String()}
}

// TestEveryCommandHasHelp: every command answers --help on stdout with its usage, and
// refuses a flag it does not know (exit 2) with nothing on stdout.
func TestEveryCommandHasHelp(t *testing.T) {
	root := newApp(t.Context(), &env{getenv: func(string) string { return "" }}, nil).rootCommand()
	var paths [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		for _, sub := range c.Commands() {
			if sub.IsAvailableCommand() && sub.Name() != "completion" {
				p := append(slices.Clone(path), sub.Name())
				paths = append(paths, p)
				walk(sub, p)
			}
		}
	}
	walk(root, nil)
	if len(paths) < 18 {
		t.Fatalf("only %d commands: %q", len(paths), paths)
	}
	for _, path := range paths {
		r := runLine(t, nil, append(path, "--help")...)
		if r.code != exitOK || !strings.Contains(r.stdout, "handoff "+strings.Join(path, " ")) || r.stderr != "" {
			t.Errorf("%q --help: exit %d, stdout %.200q, stderr %q", path, r.code, r.stdout, r.stderr)
		}
		r = runLine(t, nil, append(path, "--no-such-flag")...)
		if r.code != exitUsage || !strings.Contains(r.stderr, "unknown flag --no-such-flag") || r.stdout != "" {
			t.Errorf("%q --no-such-flag: exit %d, stdout %q, stderr %q", path, r.code, r.stdout, r.stderr)
		}
	}
}
