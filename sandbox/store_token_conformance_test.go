package sandbox

import (
	"errors"
	"slices"
	"testing"
	"time"
)

// TestStoreConformanceAccessTokens: a deleted access token is gone (and deleting one
// that is not there is no error), and a client's token list comes back as written.
func TestStoreConformanceAccessTokens(t *testing.T) { onEveryDriver(t, tokenConformance) }

func tokenConformance(t *testing.T, run storeCase) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	run("delete", func(t *testing.T, s Store) {
		must(t, s.Update(func(tx Tx) error {
			return errors.Join(tx.PutAccessToken(AccessToken{Hash: "h1", ClientID: "c", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}),
				tx.PutAccessToken(AccessToken{Hash: "h2", ClientID: "c", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}))
		}))
		must(t, s.Update(func(tx Tx) error { return errors.Join(tx.DeleteAccessToken("h1"), tx.DeleteAccessToken("never")) }))
		must(t, s.View(func(tx Tx) error {
			if _, err := tx.AccessToken("h1"); !errors.Is(err, ErrNotFound) {
				t.Errorf("a deleted token: %v", err)
			}
			_, err := tx.AccessToken("h2")
			return err
		}))
	})
	run("a client's tokens", func(t *testing.T, s Store) {
		c := Client{ID: "c", SecretHash: "s", IssuedAt: t0, ExpiresAt: t0.Add(time.Hour), Tokens: []string{"h1", "h2"}}
		must(t, s.Update(func(tx Tx) error { return tx.PutClient(c) }))
		c.Tokens[0] = "changed after the write"
		must(t, s.View(func(tx Tx) error {
			got, err := tx.Client("c")
			if err == nil && !slices.Equal(got.Tokens, []string{"h1", "h2"}) {
				t.Errorf("tokens %q, want [h1 h2]", got.Tokens)
			}
			return err
		}))
	})
}
