package main

import (
	"bytes"
	"strings"
	"testing"
)

// TestServeRefusesBadFlags: out-of-range settings stop `handoff serve` with a usage
// error that says what to do, before anything is opened.
func TestServeRefusesBadFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--link-code-ttl", "0"}, "every lifetime must be positive"},
		{[]string{"--link-code-ttl", "61m"}, "--link-code-ttl must be between 1s and 1h0m0s"},
		{[]string{"--service-token-ttl", "0s"}, "every lifetime must be positive"},
		{[]string{"--access-token-ttl", "ten"}, "want a Go duration such as 90s"},
		{[]string{"--service-provider", "a b"}, "service provider"},
		{[]string{"extra"}, `unexpected argument "extra"`},
	} {
		var stdout, stderr bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &stdout, stderr: &stderr, getenv: func(string) string { return "" }}
		code := runServe(t.Context(), e, append([]string{"--memory", "--addr", "127.0.0.1:0"}, tc.args...))
		if code != exitUsage || !strings.Contains(stderr.String(), tc.want) || stdout.Len() != 0 {
			t.Errorf("serve %q: exit %d, stderr %q, stdout %q; want exit %d and %q", tc.args, code, stderr.String(), stdout.String(), exitUsage, tc.want)
		}
	}
}
