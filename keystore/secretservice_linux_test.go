//go:build linux

package keystore

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/keystore/keyringtest"
)

// TestSecretService runs the conformance suite and the layout checks against a real
// gnome-keyring on a private session bus, in a child process.
func TestSecretService(t *testing.T) {
	keyringtest.NeedTools(t)
	s := keyringtest.NewSandbox(t)
	s.RunChild(t, "TestSecretServiceChild", nil, keyringtest.UnderKeyring...)
	// The daemons quit when the bus's last client leaves, a moment after the child.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		_, ours := keyringtest.BusDaemons(t, s.Home)
		if ours == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d bus or keyring daemons of the child still run 10s after it ended", ours)
		}
	}
	keyringFile := filepath.Join(s.Data, "keyrings", "login.keyring")
	if _, err := os.Stat(keyringFile); err != nil {
		t.Fatalf("the test keyring is not in the temporary HOME (%v); which keyring did the child use?", err)
	}
}

func TestSecretServiceChild(t *testing.T) {
	keyringtest.InChild(t)
	// The count that tells that no daemon is left sees these two while they run.
	if _, ours := keyringtest.BusDaemons(t, os.Getenv("HOME")); ours != 2 {
		t.Fatalf("BusDaemons finds %d daemons of this child's HOME, want its dbus-daemon and gnome-keyring-daemon", ours)
	}
	const outside = "outside@h:1/sp"
	if _, stderr, err := keyringtest.SecretTool(`{"from":"secret-tool"}`, "store", "--label=handoff test", "service", Service, "username", outside); err != nil {
		t.Fatalf("secret-tool store: %v %s(is the login collection there and unlocked?)", err, stderr)
	}

	var warnings []string
	store, err := Open("auto", Options{Warn: func(m string) { warnings = append(warnings, m) }})
	if err != nil {
		t.Fatal(err)
	}
	k, ok := store.(*Keyring)
	if !ok || k.Kind() != KindSecretService || len(warnings) != 0 {
		t.Fatalf("Open(auto) under a running Secret Service = %s store, warnings %q; want the keyring, silently", store.Kind(), warnings)
	}
	mustGet(t, k, outside, []byte(`{"from":"secret-tool"}`))

	testConformance(t, func(t *testing.T) Store {
		if err := k.DeleteAll(); err != nil {
			t.Fatalf("DeleteAll: %v", err)
		}
		return k
	})

	const acc = "tv@127.0.0.1:8765/demo"
	lookup := func(account string) (string, bool) { return keyringtest.Lookup(Service, account) }
	search := func(attrs ...string) string { return keyringtest.Search(Service, attrs...) }

	mustSet(t, k, acc, []byte(`{"serviceToken":"first"}`))
	if got, ok := lookup(acc); !ok || got != `{"serviceToken":"first"}` {
		t.Fatalf("secret-tool lookup after Set = %q, found %v", got, ok)
	}
	found := search()
	for _, want := range []string{"attribute.username = " + acc, "attribute.username = " + indexAccount, "attribute.service = " + Service} {
		if !strings.Contains(found, want) {
			t.Errorf("secret-tool search service %s does not show %q:\n%s", Service, want, found)
		}
	}
	if got, _ := lookup(indexAccount); !strings.Contains(got, acc) {
		t.Errorf("the index entry is %q, want it to list %s", got, acc)
	}

	mustSet(t, k, acc, []byte(`{"serviceToken":"second"}`))
	if got, _ := lookup(acc); got != `{"serviceToken":"second"}` {
		t.Fatalf("secret-tool lookup after overwrite = %q", got)
	}
	if found := search("username", acc); strings.Count(found, "attribute.username = "+acc+"\n") != 1 {
		t.Fatalf("overwrite left %d entries for %s:\n%s", strings.Count(found, "attribute.username = "+acc+"\n"), acc, found)
	}

	long := bytes.Repeat([]byte("L"), 2*maxPart+10)
	mustSet(t, k, acc, long)
	if got, _ := lookup(acc); got != partsHeader+"3" {
		t.Fatalf("head of a long record seen from outside = %q, want %q", got, partsHeader+"3")
	}
	if got, _ := lookup(acc + "#3"); got != "LLLLLLLLLL" {
		t.Fatalf("last part seen from outside = %q", got)
	}
	mustGet(t, k, acc, long)

	if err := k.Delete(acc); err != nil {
		t.Fatal(err)
	}
	for _, entry := range []string{acc, acc + "#1", acc + "#3"} {
		if got, ok := lookup(entry); ok || got != "" {
			t.Errorf("secret-tool still finds %s after Delete: %q", entry, got)
		}
	}
	if err := k.DeleteAll(); err != nil {
		t.Fatal(err)
	}
	if found := search(); found != "" {
		t.Fatalf("entries left after DeleteAll:\n%s", found)
	}
	if _, err := k.Get(acc); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after DeleteAll: %v", err)
	}
}
