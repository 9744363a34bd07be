package sandbox

import (
	"errors"
	"net/url"
	"testing"
)

// TestTokenFloodKeepsTheLatestPerClient: a client that asks for token after token
// holds only its latest maxTokensPerClient in the store; the older ones are refused
// like expired ones (401, get a new token), the latest still work.
func TestTokenFloodKeepsTheLatestPerClient(t *testing.T) {
	for _, driver := range drivers {
		t.Run(driver, func(t *testing.T) {
			ts := startServer(t, driver, "", Config{})
			st := ts.do(t, "GET", "/sandbox/software-statement", nil, "").str("software_statement")
			reg := ts.do(t, "POST", "/o/client/register", map[string]string{"Content-Type": "application/json"}, jsonBody(map[string]string{"software_statement": st}))
			form := url.Values{"client_id": {reg.str("client_id")}, "client_secret": {reg.str("client_secret")}, "grant_type": {"client_credentials"}}.Encode()
			var tokens []string
			for range maxTokensPerClient + 5 {
				r := ts.do(t, "POST", "/o/client/token", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, form)
				if r.status != 201 {
					t.Fatalf("token %d %s", r.status, r.raw)
				}
				tokens = append(tokens, r.str("access_token"))
			}
			live := 0
			must(t, ts.store.View(func(tx Tx) error {
				for _, tok := range tokens {
					if _, err := tx.AccessToken(secretHash(tok)); err == nil {
						live++
					} else if !errors.Is(err, ErrNotFound) {
						return err
					}
				}
				c, err := tx.Client(reg.str("client_id"))
				if err == nil && len(c.Tokens) != maxTokensPerClient {
					t.Errorf("the client lists %d tokens, want %d", len(c.Tokens), maxTokensPerClient)
				}
				return err
			}))
			if live != maxTokensPerClient {
				t.Errorf("%d of the client's %d tokens are stored, want %d", live, len(tokens), maxTokensPerClient)
			}
			for i, want := range map[int]int{0: 401, 4: 401, 5: 201, len(tokens) - 1: 201} {
				d := device{key: deviceKey("tv"), access: tokens[i]}
				if r := ts.do(t, "POST", "/api/demo/serviceToken", d.headers("X-SSO-ID", "alice"), ""); r.status != want {
					t.Errorf("token %d of %d: %d, want %d (%s)", i+1, len(tokens), r.status, want, r.raw)
				}
			}
		})
	}
}
