package sandbox

import (
	"errors"
	"testing"
	"time"
)

// TestStoreConformanceMVPD is the conformance suite for the records of the TV provider
// sign-in and the platform identity, on every driver.
func TestStoreConformanceMVPD(t *testing.T) { onEveryDriver(t, storeConformanceMVPD) }

func storeConformanceMVPD(t *testing.T, run storeCase) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	login := MVPDLogin{Hash: "lh", SessionID: "sid", ProfileID: "alice", DeviceKey: "dk", ServiceProvider: "demo", MVPD: "Cox",
		NotBefore: t0, NotAfter: t0.Add(30 * time.Minute)}
	cox := MVPDAuth{ProfileID: "alice", MVPD: "Cox", UserID: "u1", ServiceProvider: "demo", DeviceKey: "dk", NotBefore: t0, NotAfter: t0.Add(time.Hour)}
	dish := MVPDAuth{ProfileID: "alice", MVPD: "Dish", UserID: "u2", DeviceKey: "dk2", NotBefore: t0, NotAfter: t0.Add(2 * time.Hour)}
	bobs := MVPDAuth{ProfileID: "bob", MVPD: "Cox", UserID: "b1", NotBefore: t0, NotAfter: t0.Add(time.Hour)}
	sub := PlatformSubscriber{Platform: "roku", ServiceProvider: "espn", Subscriber: "s-1", ProfileID: "roku/espn/roku-p", CreatedAt: t0}

	run("not found", func(t *testing.T, s Store) {
		must(t, s.View(func(tx Tx) error {
			for name, err := range map[string]error{
				"login":      second(tx.MVPDLogin("x")),
				"subscriber": second(tx.PlatformSubscriber("roku", "espn", "x")),
			} {
				if !errors.Is(err, ErrNotFound) {
					t.Errorf("%s: %v, want ErrNotFound", name, err)
				}
			}
			if auths, err := tx.MVPDAuths("nobody"); err != nil || len(auths) != 0 {
				t.Errorf("auths of nobody: %v %v", auths, err)
			}
			if ds, err := tx.DevicesByKey("nobody"); err != nil || len(ds) != 0 {
				t.Errorf("devices of nobody: %v %v", ds, err)
			}
			return nil
		}))
	})

	run("round trips", func(t *testing.T, s Store) {
		must(t, s.Update(func(tx Tx) error {
			return errors.Join(tx.PutMVPDLogin(login), tx.PutMVPDAuth(dish), tx.PutMVPDAuth(cox), tx.PutMVPDAuth(bobs), tx.PutPlatformSubscriber(sub))
		}))
		must(t, s.View(func(tx Tx) error {
			if got, err := tx.MVPDLogin("lh"); err != nil || got.SessionID != "sid" || got.MVPD != "Cox" || !got.NotAfter.Equal(login.NotAfter) {
				t.Errorf("login %+v %v", got, err)
			}
			auths, err := tx.MVPDAuths("alice")
			if err != nil || len(auths) != 2 || auths[0].MVPD != "Cox" || auths[1].MVPD != "Dish" || auths[1].UserID != "u2" || !auths[0].NotAfter.Equal(cox.NotAfter) {
				t.Errorf("auths of alice, ordered by MVPD: %+v %v", auths, err)
			}
			if got, err := tx.PlatformSubscriber("roku", "espn", "s-1"); err != nil || got.ProfileID != "roku/espn/roku-p" || !got.CreatedAt.Equal(t0) {
				t.Errorf("subscriber %+v %v", got, err)
			}
			if _, err := tx.PlatformSubscriber("other", "espn", "s-1"); !errors.Is(err, ErrNotFound) {
				t.Errorf("another platform's subscriber: %v", err)
			}
			if _, err := tx.PlatformSubscriber("roku", "hbo", "s-1"); !errors.Is(err, ErrNotFound) {
				t.Errorf("the subscriber under another service provider: %v", err)
			}
			return nil
		}))
		replaced := cox
		replaced.UserID = "u3"
		must(t, s.Update(func(tx Tx) error { return tx.PutMVPDAuth(replaced) }))
		must(t, s.View(func(tx Tx) error {
			auths, _ := tx.MVPDAuths("alice")
			if len(auths) != 2 || auths[0].UserID != "u3" {
				t.Errorf("a second authentication with the same MVPD did not replace the first: %+v", auths)
			}
			return nil
		}))
	})

	run("delete", func(t *testing.T, s Store) {
		must(t, s.Update(func(tx Tx) error {
			return errors.Join(tx.PutMVPDLogin(login), tx.PutMVPDAuth(cox), tx.PutMVPDAuth(dish), tx.PutMVPDAuth(bobs))
		}))
		var gone []MVPDAuth
		must(t, s.Update(func(tx Tx) error {
			var err error
			gone, err = tx.DeleteMVPDAuths("alice")
			return errors.Join(err, tx.DeleteMVPDLogin("lh"))
		}))
		if len(gone) != 2 || gone[0].MVPD != "Cox" || gone[1].MVPD != "Dish" {
			t.Errorf("deleted %+v", gone)
		}
		must(t, s.View(func(tx Tx) error {
			if auths, _ := tx.MVPDAuths("alice"); len(auths) != 0 {
				t.Errorf("alice keeps %+v", auths)
			}
			if auths, _ := tx.MVPDAuths("bob"); len(auths) != 1 {
				t.Errorf("bob lost his authentication: %+v", auths)
			}
			if _, err := tx.MVPDLogin("lh"); !errors.Is(err, ErrNotFound) {
				t.Errorf("login after delete: %v", err)
			}
			return nil
		}))
	})

	run("devices by key", func(t *testing.T, s Store) {
		must(t, s.Update(func(tx Tx) error {
			return errors.Join(
				tx.PutDevice(Device{ProfileID: "p2", Key: "k", Type: DeviceSSO}),
				tx.PutDevice(Device{ProfileID: "p1", Key: "k", Type: DeviceRegular}),
				tx.PutDevice(Device{ProfileID: "p1", Key: "kk", Type: DeviceRegular}),
				tx.PutDevice(Device{ProfileID: "p1k", Key: "x", Type: DeviceRegular}),
			)
		}))
		must(t, s.View(func(tx Tx) error {
			ds, err := tx.DevicesByKey("k")
			if err != nil || len(ds) != 2 || ds[0].ProfileID != "p1" || ds[1].ProfileID != "p2" || ds[1].Type != DeviceSSO {
				t.Errorf("devices of k: %+v %v", ds, err)
			}
			return nil
		}))
		must(t, s.Update(func(tx Tx) error { return tx.DeleteDevice("p1", "k") }))
		must(t, s.View(func(tx Tx) error {
			if ds, _ := tx.DevicesByKey("k"); len(ds) != 1 || ds[0].ProfileID != "p2" {
				t.Errorf("devices of k after an unlink: %+v", ds)
			}
			return nil
		}))
	})

	run("rollback", func(t *testing.T, s Store) {
		err := s.Update(func(tx Tx) error {
			must(t, errors.Join(tx.PutMVPDLogin(login), tx.PutMVPDAuth(cox), tx.PutPlatformSubscriber(sub)))
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("Update = %v", err)
		}
		must(t, s.View(func(tx Tx) error {
			_, e1 := tx.MVPDLogin("lh")
			_, e2 := tx.PlatformSubscriber("roku", "espn", "s-1")
			auths, _ := tx.MVPDAuths("alice")
			if !errors.Is(e1, ErrNotFound) || !errors.Is(e2, ErrNotFound) || len(auths) != 0 {
				t.Errorf("rolled-back records remain: %v %v %+v", e1, e2, auths)
			}
			return nil
		}))
	})

	run("read-only", func(t *testing.T, s Store) {
		_ = s.View(func(tx Tx) error {
			for name, err := range map[string]error{
				"login":      tx.PutMVPDLogin(login),
				"auth":       tx.PutMVPDAuth(cox),
				"subscriber": tx.PutPlatformSubscriber(sub),
				"delete":     second(tx.DeleteMVPDAuths("alice")),
			} {
				if err == nil {
					t.Errorf("%s: a write in a read-only transaction succeeded", name)
				}
			}
			return nil
		})
	})

	run("expiry", func(t *testing.T, s Store) {
		live := login
		live.Hash, live.NotAfter = "live", t0.Add(time.Hour)
		must(t, s.Update(func(tx Tx) error {
			return errors.Join(tx.PutMVPDLogin(login), tx.PutMVPDLogin(live), tx.PutMVPDAuth(cox))
		}))
		var n int
		must(t, s.Update(func(tx Tx) error {
			var err error
			n, err = tx.DeleteExpired(login.NotAfter)
			return err
		}))
		must(t, s.View(func(tx Tx) error {
			_, eDead := tx.MVPDLogin("lh")
			_, eLive := tx.MVPDLogin("live")
			auths, _ := tx.MVPDAuths("alice")
			if n != 1 || !errors.Is(eDead, ErrNotFound) || eLive != nil || len(auths) != 1 {
				t.Errorf("DeleteExpired dropped %d: dead %v, live %v, auths %+v (an expired authentication stays for v1's 410)", n, eDead, eLive, auths)
			}
			return nil
		}))
	})
}
