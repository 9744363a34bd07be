package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/handoff-sso/handoff/sandbox"
	"github.com/handoff-sso/handoff/sandboxtest"
	"github.com/handoff-sso/handoff/swarm"
)

func runSwarmCommand(t *testing.T, vars map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	r := runLineEnv(t, vars, append([]string{"swarm"}, args...)...)
	return r.stdout, r.stderr, r.code
}

// --json prints the report alone on stdout, as one object a script reads; the
// progress stays on stderr.
func TestSwarmJSONReport(t *testing.T) {
	sb := sandboxtest.New(t)
	stdout, stderr, code := runSwarmCommand(t, map[string]string{"HANDOFF_SERVER": sb.URL}, "--tvs", "8", "--duration", "0", "--json")
	var r swarm.Report
	if err := json.Unmarshal([]byte(stdout), &r); err != nil || code != exitOK {
		t.Fatalf("exit %d, stdout %q: %v\nstderr: %s", code, stdout, err, stderr)
	}
	if r.TVs != 8 || r.Unlinked != 8 || len(r.Calls) == 0 || len(r.Errors) != 0 || r.Server != sb.URL {
		t.Errorf("report: %+v", r)
	}
	if !strings.Contains(stderr, "8 unlinked") {
		t.Errorf("progress on stderr: %q", stderr)
	}
}

// A refused step makes the exit 1 and shows in the text report by its code.
func TestSwarmExitsOneOnErrors(t *testing.T) {
	sb := sandboxtest.New(t)
	sb.AddFault(sandbox.FaultSpec{Route: "POST /api/{sp}/unlink", Status: 500, Times: 2})
	stdout, _, code := runSwarmCommand(t, nil, "--server", sb.URL, "--tvs", "4", "--duration", "0")
	if code != exitRefused || !strings.Contains(stdout, "internal_error") || !strings.Contains(stdout, "HTTP 500") {
		t.Errorf("exit %d:\n%s", code, stdout)
	}
}

func TestSwarmUsageErrors(t *testing.T) {
	for _, args := range [][]string{{"--tvs", "0"}, {"--rate", "-1"}, {"--duration", "soon"}, {"extra"}, {"--software-statement", "/nonexistent"}} {
		_, stderr, code := runSwarmCommand(t, nil, args...)
		if code != exitUsage || !strings.Contains(stderr, "swarm") {
			t.Errorf("%v: exit %d, %q", args, code, stderr)
		}
	}
}
