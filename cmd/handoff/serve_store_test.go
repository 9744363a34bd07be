package main

import (
	"net"
	"strings"
	"testing"
)

// TestServeStoreFlag: --store (and HANDOFF_STORE) takes a Redis URL only, alone, and
// a Redis that does not answer stops serve with words that say what to do.
func TestServeStoreFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--store", "redis://127.0.0.1:6379/0", "--memory"}, nil, "choose one of --store URL, --data DIR or --memory"},
		{[]string{"--store", "/tmp/sandbox.db"}, nil, "--store takes a Redis URL, redis://HOST:PORT/DB"},
		{[]string{"--memory"}, map[string]string{"HANDOFF_STORE": "redis://127.0.0.1:6379/0"}, "choose one of --store URL"},
	} {
		r := runLineEnv(t, tc.env, append([]string{"serve", "--addr", "127.0.0.1:0"}, tc.args...)...)
		if r.code != exitUsage || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("serve %q %v: exit %d, stderr %q; want exit %d and %q", tc.args, tc.env, r.code, r.stderr, exitUsage, tc.want)
		}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a port where nothing will listen
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().String()
	_ = ln.Close()
	r := runLineEnv(t, map[string]string{"HANDOFF_STORE": "redis://:hunter2@" + closed + "/0"}, "serve", "--addr", "127.0.0.1:0")
	want := "cannot reach Redis at redis://" + closed + "/0: nothing listens there (start redis-server, or fix the host and port in --store)"
	if r.code != exitUsage || !strings.Contains(r.stderr, want) || strings.Contains(r.stderr, "hunter2") || strings.Contains(r.stderr, "dial tcp") || strings.Count(r.stderr, "\n") != 1 {
		t.Errorf("serve on a closed Redis port: exit %d, stderr %q; want %q, alone on one line, without the password or Go's words", r.code, r.stderr, want)
	}
}
