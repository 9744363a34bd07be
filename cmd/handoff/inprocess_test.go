package main

import (
	"bytes"
	"strings"
	"testing"
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
