package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSoftwareStatementSources(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "statement.jwt")
	_ = os.WriteFile(file, []byte("  eyJ.file.sig\n"), 0o600)
	empty := filepath.Join(dir, "empty")
	_ = os.WriteFile(empty, []byte("\n\n"), 0o600)
	big := filepath.Join(dir, "big")
	_ = os.WriteFile(big, make([]byte, maxStatement+1), 0o600)
	for _, tc := range []struct {
		name, flag, env, stdin string
		want, fails            string
	}{
		{name: "none", want: ""},
		{name: "variable", env: " eyJ.env.sig\n", want: "eyJ.env.sig"},
		{name: "file wins over the variable", flag: file, env: "eyJ.env.sig", want: "eyJ.file.sig"},
		{name: "stdin", flag: "-", stdin: "eyJ.stdin.sig\n", want: "eyJ.stdin.sig"},
		{name: "missing file", flag: filepath.Join(dir, "nope"), fails: "cannot read the software statement from " + filepath.Join(dir, "nope") + ": no such file or directory"},
		{name: "a directory", flag: dir, fails: "cannot read the software statement from " + dir},
		{name: "empty file", flag: empty, fails: "holds no software statement"},
		{name: "empty stdin", flag: "-", fails: "stdin holds no software statement"},
		{name: "too big", flag: big, fails: "over 64 KiB"},
	} {
		e := &env{stdin: strings.NewReader(tc.stdin), getenv: func(k string) string {
			if k == "HANDOFF_SOFTWARE_STATEMENT" {
				return tc.env
			}
			return ""
		}}
		f := sharedFlags{statementFile: tc.flag}
		got, err := f.softwareStatement(e)
		switch {
		case tc.fails != "":
			if err == nil || !strings.Contains(explain(err), tc.fails) || exitCode(err) != exitUsage {
				t.Errorf("%s: err %v, want a usage error saying %q", tc.name, err, tc.fails)
			}
		case err != nil || string(got) != tc.want:
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}
