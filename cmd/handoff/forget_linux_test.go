//go:build linux

package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/handoff-sso/handoff/keystore"
	"github.com/handoff-sso/handoff/keystore/keyringtest"
)

// TestForgetSecretService runs forget against a real gnome-keyring on a private bus,
// with the stores a user gets (systemStores), in a child process.
func TestForgetSecretService(t *testing.T) {
	keyringtest.NeedTools(t)
	s := keyringtest.NewSandbox(t)
	s.RunChild(t, "TestForgetSecretServiceChild", nil, keyringtest.UnderKeyring...)
	if _, err := os.Stat(filepath.Join(s.Config, "handoff")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("forget created the file store's directory (err %v)", err)
	}
}

func TestForgetSecretServiceChild(t *testing.T) {
	keyringtest.InChild(t)
	k, err := keystore.Open("keyring", keystore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("L", 5000) // split in parts
	for a, v := range map[string]string{"tv@127.0.0.1:8765/demo": long, "tv@sso.example:443/demo": "{}", "phone@127.0.0.1:8765/demo": "{}"} {
		if err := k.Set(a, []byte(v)); err != nil {
			t.Fatal(err)
		}
	}
	// An entry the index does not list, as a run that died half-way leaves.
	if _, stderr, err := keyringtest.SecretTool("orphan", "store", "--label=orphan", "service", keystore.Service, "username", "ghost@h:1/sp"); err != nil {
		t.Fatalf("secret-tool store: %v %s", err, stderr)
	}

	forget := func(args ...string) string {
		r := runLine(t, nil, append([]string{"forget"}, args...)...)
		if r.code != exitOK {
			t.Fatalf("forget %q: exit %d, stderr %s", args, r.code, r.stderr)
		}
		return r.stdout
	}

	report := forget("--device", "tv")
	for _, want := range []string{"keyring: removed tv@127.0.0.1:8765/demo\n", "keyring: removed tv@sso.example:443/demo\n", "file: no key file at "} {
		if !strings.Contains(report, want) {
			t.Errorf("the report does not say %q:\n%s", want, report)
		}
	}
	for _, gone := range []string{"tv@127.0.0.1:8765/demo", "tv@127.0.0.1:8765/demo#1", "tv@127.0.0.1:8765/demo#3", "tv@sso.example:443/demo"} {
		if v, ok := keyringtest.Lookup(keystore.Service, gone); ok {
			t.Errorf("secret-tool still finds %s after forget --device tv: %.20q", gone, v)
		}
	}
	for _, kept := range []string{"phone@127.0.0.1:8765/demo", "ghost@h:1/sp"} {
		if _, ok := keyringtest.Lookup(keystore.Service, kept); !ok {
			t.Errorf("forget --device tv removed %s", kept)
		}
	}

	report = forget("--all")
	if !strings.Contains(report, "keyring: removed phone@127.0.0.1:8765/demo\n") {
		t.Errorf("the report does not list phone:\n%s", report)
	}
	if left := keyringtest.Search(keystore.Service); left != "" {
		t.Fatalf("entries of service %s left after forget --all:\n%s", keystore.Service, left)
	}
}
