package sandbox

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

// TestStoreConformance runs the one suite every store driver must pass.
func TestStoreConformance(t *testing.T) { onEveryDriver(t, storeConformance) }

// storeCase runs one case of a conformance suite on a fresh store.
type storeCase func(name string, f func(t *testing.T, s Store))

// onEveryDriver runs a conformance suite against every store driver.
func onEveryDriver(t *testing.T, suite func(t *testing.T, run storeCase)) {
	for _, d := range []struct {
		name string
		open func(t *testing.T) Store
	}{
		{"memory", func(*testing.T) Store { return NewMemoryStore() }},
		{"bbolt", func(t *testing.T) Store {
			s, err := OpenBoltStore(t.TempDir())
			must(t, err)
			return s
		}},
		{"redis", openTestRedisStore},
	} {
		t.Run(d.name, func(t *testing.T) {
			suite(t, func(name string, f func(t *testing.T, s Store)) {
				t.Run(name, func(t *testing.T) {
					s := d.open(t)
					t.Cleanup(func() { _ = s.Close() })
					f(t, s)
				})
			})
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var errRollback = errors.New("roll back")

// storeConformance is the behaviour of a Store, whatever keeps it.
func storeConformance(t *testing.T, run storeCase) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

	run("not found", func(t *testing.T, s Store) {
		must(t, s.View(func(tx Tx) error {
			for name, err := range map[string]error{
				"client":  second(tx.Client("x")),
				"token":   second(tx.AccessToken("x")),
				"profile": second(tx.Profile("x")),
				"device":  second(tx.Device("p", "x")),
				"code":    second(tx.LinkCode("x")),
			} {
				if !errors.Is(err, ErrNotFound) {
					t.Errorf("%s: %v, want ErrNotFound", name, err)
				}
			}
			return nil
		}))
	})

	run("round trips", func(t *testing.T, s Store) {
		c := Client{ID: "c", SecretHash: "h", SoftwareID: "sw", RedirectURIs: []string{"https://x"}, IssuedAt: t0}
		a := AccessToken{Hash: "ah", ClientID: "c", CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		p := Profile{ID: "alice", CreatedAt: t0}
		d := Device{ProfileID: "alice", Key: "dk", Type: DeviceSSO, JoinID: "j", JoinedAt: t0, LastSeen: t0, Model: "m", OS: "o"}
		lc := LinkCode{Hash: "lh", ProfileID: "alice", DeviceKey: "dk", NotBefore: t0, NotAfter: t0.Add(time.Minute)}
		must(t, s.Update(func(tx Tx) error {
			return errors.Join(tx.PutClient(c), tx.PutAccessToken(a), tx.PutProfile(p), tx.PutDevice(d), tx.PutLinkCode(lc))
		}))
		must(t, s.View(func(tx Tx) error {
			if got, err := tx.Client("c"); err != nil || got.SecretHash != "h" || len(got.RedirectURIs) != 1 || !got.IssuedAt.Equal(t0) {
				t.Errorf("client %+v %v", got, err)
			}
			if got, err := tx.AccessToken("ah"); err != nil || got.ClientID != "c" || !got.ExpiresAt.Equal(a.ExpiresAt) {
				t.Errorf("access token %+v %v", got, err)
			}
			if got, err := tx.Profile("alice"); err != nil || !got.CreatedAt.Equal(t0) {
				t.Errorf("profile %+v %v", got, err)
			}
			if got, err := tx.Device("alice", "dk"); err != nil || got.Type != DeviceSSO || got.JoinID != "j" || got.Model != "m" || !got.LastSeen.Equal(t0) {
				t.Errorf("device %+v %v", got, err)
			}
			if got, err := tx.LinkCode("lh"); err != nil || got.ProfileID != "alice" || !got.NotAfter.Equal(lc.NotAfter) {
				t.Errorf("link code %+v %v", got, err)
			}
			return nil
		}))
	})

	run("devices by profile, ordered, deleted", func(t *testing.T, s Store) {
		must(t, s.Update(func(tx Tx) error {
			return errors.Join(
				tx.PutDevice(Device{ProfileID: "alice", Key: "b"}), tx.PutDevice(Device{ProfileID: "alice", Key: "a"}),
				tx.PutDevice(Device{ProfileID: "alice2", Key: "c"}), tx.PutDevice(Device{ProfileID: "bob", Key: "a"}))
		}))
		must(t, s.Update(func(tx Tx) error { return tx.DeleteDevice("bob", "a") }))
		must(t, s.View(func(tx Tx) error {
			ds, err := tx.Devices("alice")
			if err != nil || len(ds) != 2 || ds[0].Key != "a" || ds[1].Key != "b" {
				t.Errorf("alice's devices %+v %v", ds, err)
			}
			if ds, _ := tx.Devices("bob"); ds == nil || len(ds) != 0 {
				t.Errorf("bob's devices %#v, want an empty list", ds)
			}
			if _, err := tx.Device("alice", "a"); err != nil {
				t.Errorf("deleting bob's a touched alice's: %v", err)
			}
			return nil
		}))
	})

	// putCodes stores a code under each hash, for the profile it names.
	putCodes := func(t *testing.T, s Store, profileOf map[string]string) {
		must(t, s.Update(func(tx Tx) error {
			for h, p := range profileOf {
				if err := tx.PutLinkCode(LinkCode{Hash: h, ProfileID: p, NotAfter: t0}); err != nil {
					return err
				}
			}
			return nil
		}))
	}

	run("link codes by profile", func(t *testing.T, s Store) {
		putCodes(t, s, map[string]string{"1": "alice", "2": "alice", "3": "bob"})
		must(t, s.Update(func(tx Tx) error {
			return errors.Join(tx.DeleteLinkCode("1"), tx.PutLinkCode(LinkCode{Hash: "2", ProfileID: "bob", NotAfter: t0}))
		}))
		must(t, s.View(func(tx Tx) error {
			if cs, _ := tx.LinkCodes("alice"); len(cs) != 0 {
				t.Errorf("alice's codes %+v, want none", cs)
			}
			if cs, _ := tx.LinkCodes("bob"); len(cs) != 2 {
				t.Errorf("bob's codes %+v, want 2 and 3", cs)
			}
			return nil
		}))
	})

	run("rollback", func(t *testing.T, s Store) {
		must(t, s.Update(func(tx Tx) error { return tx.PutDevice(Device{ProfileID: "p", Key: "old", Model: "1"}) }))
		err := s.Update(func(tx Tx) error {
			_ = tx.PutDevice(Device{ProfileID: "p", Key: "old", Model: "2"})
			_ = tx.PutDevice(Device{ProfileID: "p", Key: "new"})
			_ = tx.PutLinkCode(LinkCode{Hash: "h", ProfileID: "p"})
			_ = tx.PutClient(Client{ID: "c"})
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("Update returned %v, want fn's error", err)
		}
		must(t, s.View(func(tx Tx) error {
			if d, _ := tx.Device("p", "old"); d.Model != "1" {
				t.Errorf("rolled-back write is visible: %+v", d)
			}
			for name, err := range map[string]error{"device": second(tx.Device("p", "new")), "code": second(tx.LinkCode("h")), "client": second(tx.Client("c"))} {
				if !errors.Is(err, ErrNotFound) {
					t.Errorf("rolled-back %s exists: %v", name, err)
				}
			}
			if cs, _ := tx.LinkCodes("p"); len(cs) != 0 {
				t.Errorf("rolled-back code indexed: %+v", cs)
			}
			return nil
		}))
	})

	run("rollback keeps a profile's codes", func(t *testing.T, s Store) {
		putCodes(t, s, map[string]string{"1": "p", "2": "p", "3": "q"})
		// As issuance does: drop the oldest, add one; then take one from q, and fail.
		err := s.Update(func(tx Tx) error {
			_ = tx.DeleteLinkCode("1")
			_ = tx.PutLinkCode(LinkCode{Hash: "4", ProfileID: "p", NotAfter: t0})
			_ = tx.PutLinkCode(LinkCode{Hash: "3", ProfileID: "p", NotAfter: t0})
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("Update returned %v, want fn's error", err)
		}
		putCodes(t, s, map[string]string{"5": "p"})
		must(t, s.View(func(tx Tx) error {
			for profile, want := range map[string][]string{"p": {"1", "2", "5"}, "q": {"3"}} {
				cs, _ := tx.LinkCodes(profile)
				var got []string
				for _, c := range cs {
					got = append(got, c.Hash)
				}
				if !slices.Equal(got, want) {
					t.Errorf("%s's codes after a rollback and a write: %v, want %v", profile, got, want)
				}
			}
			return nil
		}))
	})

	run("view is read-only", func(t *testing.T, s Store) {
		_ = s.View(func(tx Tx) error {
			if err := tx.PutClient(Client{ID: "c"}); err == nil {
				t.Error("PutClient in View succeeded")
			}
			return nil
		})
	})

	run("delete expired", func(t *testing.T, s Store) {
		must(t, s.Update(func(tx Tx) error {
			return errors.Join(
				tx.PutAccessToken(AccessToken{Hash: "dead", ExpiresAt: t0}), tx.PutAccessToken(AccessToken{Hash: "live", ExpiresAt: t0.Add(time.Second)}),
				tx.PutLinkCode(LinkCode{Hash: "dead", ProfileID: "p", NotAfter: t0}), tx.PutLinkCode(LinkCode{Hash: "live", ProfileID: "p", NotAfter: t0.Add(time.Second)}))
		}))
		var n int
		must(t, s.Update(func(tx Tx) error {
			var err error
			n, err = tx.DeleteExpired(t0)
			return err
		}))
		if n != 2 {
			t.Errorf("DeleteExpired dropped %d, want 2", n)
		}
		must(t, s.View(func(tx Tx) error {
			if _, err := tx.AccessToken("live"); err != nil {
				t.Error("live access token dropped")
			}
			if cs, _ := tx.LinkCodes("p"); len(cs) != 1 || cs[0].Hash != "live" {
				t.Errorf("codes left %+v, want only live", cs)
			}
			return nil
		}))
	})

	run("updates are serialised", func(t *testing.T, s Store) {
		var wg sync.WaitGroup
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := s.Update(func(tx Tx) error {
					p, err := tx.Profile("counter")
					if err != nil && !errors.Is(err, ErrNotFound) {
						return err
					}
					return tx.PutProfile(Profile{ID: "counter", CreatedAt: p.CreatedAt.Add(time.Second)})
				})
				if err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		must(t, s.View(func(tx Tx) error {
			p, err := tx.Profile("counter")
			if err != nil || p.CreatedAt.Sub(time.Time{}) != 20*time.Second {
				t.Errorf("counter %v after 20 increments (%v): updates were lost", p.CreatedAt.Sub(time.Time{}), err)
			}
			return nil
		}))
	})
}

func second[T any](_ T, err error) error { return err }
