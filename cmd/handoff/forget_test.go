package main

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/handoff-sso/handoff/keystore"
)

func forgetWith(t *testing.T, stores forgetStores, args ...string) lineRun {
	t.Helper()
	return runLine(t, &stores, append([]string{"forget"}, args...)...)
}

// seeded returns a file store in a temporary directory and a memory store standing in
// for the keyring, both holding records of the devices tv, tvx and phone.
func seeded(t *testing.T) (forgetStores, *keystore.File, *keystore.Memory) {
	t.Helper()
	dir := t.TempDir()
	s, err := keystore.Open("file", keystore.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	file := s.(*keystore.File)
	mem := keystore.NewMemory()
	for _, a := range []string{"tv@127.0.0.1:8765/demo", "tv@sso.example:443/demo", "tvx@127.0.0.1:8765/demo", "phone@127.0.0.1:8765/demo"} {
		if err := file.Set(a, []byte(`{"serviceToken":"x"}`)); err != nil {
			t.Fatal(err)
		}
	}
	for _, a := range []string{"tv@127.0.0.1:8765/demo", "phone@127.0.0.1:8765/demo"} {
		if err := mem.Set(a, []byte(`{}`)); err != nil {
			t.Fatal(err)
		}
	}
	return forgetStores{keyring: func() (keystore.Store, error) { return mem, nil }, fileDir: dir}, file, mem
}

func accountsOf(t *testing.T, s keystore.Store) []string {
	t.Helper()
	a, err := s.Accounts()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestForgetDevice(t *testing.T) {
	stores, file, mem := seeded(t)
	r := forgetWith(t, stores, "--device", "tv")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
	}
	if got, want := accountsOf(t, file), []string{"phone@127.0.0.1:8765/demo", "tvx@127.0.0.1:8765/demo"}; !slices.Equal(got, want) {
		t.Errorf("file store after forget --device tv = %q, want %q", got, want)
	}
	if got, want := accountsOf(t, mem), []string{"phone@127.0.0.1:8765/demo"}; !slices.Equal(got, want) {
		t.Errorf("keyring after forget --device tv = %q, want %q", got, want)
	}
	for _, line := range []string{
		"keyring: removed tv@127.0.0.1:8765/demo",
		"file " + file.Path() + ": removed tv@127.0.0.1:8765/demo",
		"file " + file.Path() + ": removed tv@sso.example:443/demo",
	} {
		if !strings.Contains(r.stdout, line+"\n") {
			t.Errorf("the report does not say %q:\n%s", line, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "tvx@") || strings.Contains(r.stdout, "phone@") {
		t.Errorf("the report names records that were kept:\n%s", r.stdout)
	}

	r = forgetWith(t, stores, "--device", "tv")
	if r.code != exitOK || !strings.Contains(r.stdout, `keyring: nothing stored for device "tv"`) {
		t.Fatalf("forgetting again: exit %d, report:\n%s", r.code, r.stdout)
	}
}

func TestForgetAll(t *testing.T) {
	stores, file, mem := seeded(t)
	r := forgetWith(t, stores, "--all")
	if r.code != exitOK {
		t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
	}
	if n := strings.Count(r.stdout, ": removed "); n != 6 {
		t.Errorf("the report lists %d removals, want 6:\n%s", n, r.stdout)
	}
	if a := accountsOf(t, mem); len(a) != 0 {
		t.Errorf("keyring still holds %q", a)
	}
	if _, err := os.Stat(file.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the key file is still there after forget --all (err %v)", err)
	}

	// Nothing left: forget says so and still does not create the file store.
	r = forgetWith(t, stores, "--all")
	if r.code != exitOK || !strings.Contains(r.stdout, "file: no key file at "+file.Path()) {
		t.Fatalf("forget with no key file: exit %d, report:\n%s", r.code, r.stdout)
	}
	if entries, _ := os.ReadDir(filepath.Dir(file.Path())); len(entries) != 0 {
		t.Fatalf("forget created %d entries in the file store's directory", len(entries))
	}
}

func TestForgetNeverCreatesTheFileStore(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "handoff")
	stores := forgetStores{keyring: func() (keystore.Store, error) { return keystore.NewMemory(), nil }, fileDir: dir}
	for _, args := range [][]string{{"--all"}, {"--device", "tv"}, {"--all", "--keystore", "file"}} {
		if r := forgetWith(t, stores, args...); r.code != exitOK {
			t.Fatalf("%q: exit %d, stderr %s", args, r.code, r.stderr)
		}
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("forget created %s (err %v)", dir, err)
	}
}

func TestForgetWithoutKeyring(t *testing.T) {
	stores, file, _ := seeded(t)
	stores.keyring = func() (keystore.Store, error) {
		return nil, &keystore.UnavailableError{Reason: "there is no D-Bus session bus", Err: errors.New("dial unix")}
	}
	r := forgetWith(t, stores, "--all")
	if r.code != exitOK {
		t.Fatalf("auto without a keyring: exit %d, stderr %s", r.code, r.stderr)
	}
	if !strings.Contains(r.stdout, "keyring: not available (the keyring is unavailable: there is no D-Bus session bus)") {
		t.Errorf("the report does not say the keyring is missing and why:\n%s", r.stdout)
	}
	if _, err := os.Stat(file.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the file store was not emptied when the keyring was missing")
	}

	r = forgetWith(t, stores, "--all", "--keystore", "keyring")
	if r.code != exitUsage || !strings.Contains(r.stderr, "no D-Bus session bus") {
		t.Fatalf("--keystore keyring without a keyring: exit %d, stderr %s", r.code, r.stderr)
	}
}

func TestForgetOneStore(t *testing.T) {
	stores, file, mem := seeded(t)
	stores.keyring = func() (keystore.Store, error) {
		t.Error("--keystore file opened the keyring")
		return mem, nil
	}
	if r := forgetWith(t, stores, "--all", "--keystore", "file"); r.code != exitOK {
		t.Fatalf("exit %d, stderr %s", r.code, r.stderr)
	}
	if _, err := os.Stat(file.Path()); !errors.Is(err, os.ErrNotExist) {
		t.Error("--keystore file left the key file")
	}
	r := forgetWith(t, stores, "--all", "--keystore", "memory")
	if r.code != exitOK || !strings.Contains(r.stdout, "nothing to forget") {
		t.Fatalf("--keystore memory: exit %d, report %s", r.code, r.stdout)
	}
	if a := accountsOf(t, mem); len(a) != 2 {
		t.Fatalf("--keystore file and memory touched the keyring: it holds %q", a)
	}
}

func TestForgetFailingStore(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "keystore.json"), []byte("not a key file"), 0o600); err != nil {
		t.Fatal(err)
	}
	stores := forgetStores{keyring: func() (keystore.Store, error) { return keystore.NewMemory(), nil }, fileDir: dir}
	r := forgetWith(t, stores, "--all")
	if r.code != exitUnreachable || !strings.Contains(r.stderr, "is not a handoff key file") {
		t.Fatalf("a foreign key file: exit %d, stderr %s", r.code, r.stderr)
	}
}

func TestForgetUsage(t *testing.T) {
	stores := forgetStores{keyring: func() (keystore.Store, error) {
		t.Error("a usage error opened the keyring")
		return keystore.NewMemory(), nil
	}, fileDir: t.TempDir()}
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "forget needs --device NAME"},
		{[]string{"--all", "--device", "tv"}, "not both"},
		{[]string{"tv"}, "takes no arguments"},
		{[]string{"--all", "--keystore", "vault"}, "choose one of auto, keyring, kernel, file, memory"},
		{[]string{"--nope"}, "unknown flag --nope"},
		{[]string{"--all", "--server", "http://x"}, "--server is not for forget"},
	} {
		r := forgetWith(t, stores, c.args...)
		if r.code != exitUsage || !strings.Contains(r.stderr, c.want) {
			t.Errorf("forget %q: exit %d, stderr %q; want exit %d saying %q", c.args, r.code, r.stderr, exitUsage, c.want)
		}
	}
}

func TestForgetIsRegistered(t *testing.T) {
	stores := forgetStores{keyring: func() (keystore.Store, error) { return keystore.NewMemory(), nil }, fileDir: t.TempDir()}
	if r := runLine(t, &stores, "forget"); r.code != exitUsage || !strings.Contains(r.stderr, "--device NAME") {
		t.Fatalf("handoff forget: exit %d, stderr %s", r.code, r.stderr)
	}
	if r := runLine(t, &stores, "help"); r.code != exitOK || !strings.Contains(r.stdout, "forget") {
		t.Fatalf("handoff help does not list forget:\n%s", r.stdout)
	}
}
