package main

import (
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
		{[]string{"--access-token-ttl", "ten"}, "--access-token-ttl takes a duration such as 90s"},
		{[]string{"--device", "tv"}, "--device is not for serve"},
		{[]string{"--trace"}, "--trace is not for serve"},
		{[]string{"--service-provider", "a b"}, "service provider"},
		{[]string{"extra"}, `serve takes no arguments, but got "extra"`},
	} {
		r := runLine(t, nil, append([]string{"serve", "--memory", "--addr", "127.0.0.1:0"}, tc.args...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) || r.stdout != "" {
			t.Errorf("serve %q: exit %d, stderr %q, stdout %q; want exit %d and %q", tc.args, r.code, r.stderr, r.stdout, exitUsage, tc.want)
		}
	}
}
