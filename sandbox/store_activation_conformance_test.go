package sandbox

import (
	"errors"
	"testing"
	"time"
)

// TestStoreConformanceActivation is the conformance suite for the second-screen codes,
// on every driver.
func TestStoreConformanceActivation(t *testing.T) { onEveryDriver(t, storeConformanceActivation) }

func storeConformanceActivation(t *testing.T, run storeCase) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	reg := ActivationCode{Hash: "h1", Kind: ActivationRegcode, ID: "id1", ServiceProvider: "demo", DeviceKey: "tv",
		Model: "Bravia", MVPD: "Cox", NotBefore: t0, NotAfter: t0.Add(30 * time.Minute)}
	sess := ActivationCode{Hash: "h2", Kind: ActivationSession, ID: "sid", ServiceProvider: "demo", DeviceKey: "tv2",
		NotBefore: t0, NotAfter: t0.Add(time.Hour)}

	run("not found", func(t *testing.T, s Store) {
		must(t, s.View(func(tx Tx) error {
			if _, err := tx.ActivationCode("x"); !errors.Is(err, ErrNotFound) {
				t.Errorf("unknown code: %v, want ErrNotFound", err)
			}
			return nil
		}))
	})

	run("round trip and update", func(t *testing.T, s Store) {
		must(t, s.Update(func(tx Tx) error { return errors.Join(tx.PutActivationCode(reg), tx.PutActivationCode(sess)) }))
		must(t, s.View(func(tx Tx) error {
			got, err := tx.ActivationCode("h1")
			if err != nil || got.Kind != ActivationRegcode || got.ID != "id1" || got.Model != "Bravia" || got.MVPD != "Cox" ||
				!got.NotAfter.Equal(reg.NotAfter) || !got.ActivatedAt.IsZero() {
				t.Errorf("regcode %+v %v", got, err)
			}
			if got, err := tx.ActivationCode("h2"); err != nil || got.Kind != ActivationSession || got.DeviceKey != "tv2" {
				t.Errorf("session code %+v %v", got, err)
			}
			return nil
		}))
		activated := reg
		activated.ProfileID, activated.ActivatedAt, activated.MVPD = "p", t0.Add(time.Minute), "Dish"
		must(t, s.Update(func(tx Tx) error { return tx.PutActivationCode(activated) }))
		must(t, s.View(func(tx Tx) error {
			got, _ := tx.ActivationCode("h1")
			if got.ProfileID != "p" || got.MVPD != "Dish" || !got.ActivatedAt.Equal(activated.ActivatedAt) {
				t.Errorf("activation not kept: %+v", got)
			}
			return nil
		}))
	})

	run("delete", func(t *testing.T, s Store) {
		must(t, s.Update(func(tx Tx) error { return errors.Join(tx.PutActivationCode(reg), tx.PutActivationCode(sess)) }))
		must(t, s.Update(func(tx Tx) error { return tx.DeleteActivationCode("h1") }))
		must(t, s.View(func(tx Tx) error {
			_, e1 := tx.ActivationCode("h1")
			_, e2 := tx.ActivationCode("h2")
			if !errors.Is(e1, ErrNotFound) || e2 != nil {
				t.Errorf("after deleting h1: %v, h2 %v", e1, e2)
			}
			return nil
		}))
	})

	run("rollback", func(t *testing.T, s Store) {
		err := s.Update(func(tx Tx) error {
			must(t, tx.PutActivationCode(reg))
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("Update = %v", err)
		}
		must(t, s.View(func(tx Tx) error {
			if _, err := tx.ActivationCode("h1"); !errors.Is(err, ErrNotFound) {
				t.Errorf("a rolled-back code remains: %v", err)
			}
			return nil
		}))
	})

	run("read-only", func(t *testing.T, s Store) {
		_ = s.View(func(tx Tx) error {
			if tx.PutActivationCode(reg) == nil {
				t.Error("a put in a read-only transaction succeeded")
			}
			return nil
		})
	})

	run("expiry", func(t *testing.T, s Store) {
		must(t, s.Update(func(tx Tx) error { return errors.Join(tx.PutActivationCode(reg), tx.PutActivationCode(sess)) }))
		var n int
		must(t, s.Update(func(tx Tx) error {
			var err error
			n, err = tx.DeleteExpired(reg.NotAfter)
			return err
		}))
		must(t, s.View(func(tx Tx) error {
			_, eDead := tx.ActivationCode("h1")
			_, eLive := tx.ActivationCode("h2")
			if n != 1 || !errors.Is(eDead, ErrNotFound) || eLive != nil {
				t.Errorf("DeleteExpired dropped %d: dead %v, live %v", n, eDead, eLive)
			}
			return nil
		}))
	})
}
