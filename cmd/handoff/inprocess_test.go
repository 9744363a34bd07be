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
	return runIn(t, stores, nil, args...)
}

// runLineEnv is runLine with environment variables.
func runLineEnv(t *testing.T, vars map[string]string, args ...string) lineRun {
	t.Helper()
	return runIn(t, nil, vars, args...)
}

func runIn(t *testing.T, stores *forgetStores, vars map[string]string, args ...string) lineRun {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(k string) string { return vars[k] }}
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

// TestSharedVariablesStopOnlyTheCommandsThatUseThem: HANDOFF_TIMEOUT and
// HANDOFF_KEYSTORE are checked where they mean something.
func TestSharedVariablesStopOnlyTheCommandsThatUseThem(t *testing.T) {
	bad := map[string]string{"HANDOFF_TIMEOUT": "soon"}
	if r := runLineEnv(t, bad, "whoami"); r.code != exitUsage || !strings.Contains(r.stderr, `HANDOFF_TIMEOUT="soon" is not a duration`) {
		t.Errorf("whoami with HANDOFF_TIMEOUT=soon: %+v", r)
	}
	if r := runLineEnv(t, bad, "whoami", "--timeout", "2s", "--keystore", "memory"); r.code != exitOK {
		t.Errorf("--timeout overrides a bad HANDOFF_TIMEOUT: %+v", r)
	}
	if r := runLineEnv(t, map[string]string{"HANDOFF_TIMEOUT": "soon", "HANDOFF_KEYSTORE": "vault"}, "serve", "--link-code-ttl", "0"); !strings.Contains(r.stderr, "every lifetime must be positive") {
		t.Errorf("serve is stopped by variables it does not read: %+v", r)
	}
}
