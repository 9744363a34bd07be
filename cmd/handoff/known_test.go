package main

import (
	"strings"
	"testing"

	"github.com/handoff-sso/handoff/keystore"
)

func TestParseAccount(t *testing.T) {
	for account, want := range map[string]knownAccount{
		"tv@127.0.0.1:8765/demo":   {name: "tv", hostPort: "127.0.0.1:8765", sp: "demo"},
		"phone@[::1]:443/acme.tv":  {name: "phone", hostPort: "[::1]:443", sp: "acme.tv"},
		"roku2@sso.example:80/a_b": {name: "roku2", hostPort: "sso.example:80", sp: "a_b"},
	} {
		got, ok := parseAccount(account)
		want.account = account
		if !ok || got != want {
			t.Errorf("parseAccount(%q) = %+v, %v; want %+v", account, got, ok, want)
		}
	}
	for _, bad := range []string{"", "_index", "tv", "tv@", "@h:1/sp", "tv@h:1/", "tv@/sp"} {
		if got, ok := parseAccount(bad); ok {
			t.Errorf("parseAccount(%q) = %+v, want refused", bad, got)
		}
	}
	if s := (knownAccount{hostPort: "sso.example:443"}).server(); s != "https://sso.example:443" {
		t.Errorf("port 443 is served as %s", s)
	}
	if hp := hostPortOf("https://sso.example/path"); hp != "sso.example:443" {
		t.Errorf("hostPortOf = %s", hp)
	}
}

// FuzzParseAccount: whatever the keystore's index holds, parsing never panics, and
// an account it accepts is the one keystore.Account makes of its parts.
func FuzzParseAccount(f *testing.F) {
	f.Add("tv@127.0.0.1:8765/demo")
	f.Add("a@b@c/d/e")
	f.Add("@/")
	f.Fuzz(func(t *testing.T, account string) {
		k, ok := parseAccount(account)
		if !ok {
			return
		}
		if got := keystore.Account(k.name, k.hostPort, k.sp); got != account {
			t.Errorf("%q parsed as %+v, which makes %q", account, k, got)
		}
		if k.name == "" || k.sp == "" || strings.Contains(k.name, "@") || strings.Contains(k.sp, "/") {
			t.Errorf("%q parsed as %+v", account, k)
		}
	})
}
