package sandbox

import (
	"errors"
	"testing"
	"time"
)

// TestStoreConformanceDevicesVersion defines DevicesVersion: it changes with every
// change to the profile's devices, committed, and with nothing else, since the list's
// kept answers (listcache.go) are only as right as it is.
func TestStoreConformanceDevicesVersion(t *testing.T) { onEveryDriver(t, versionConformance) }

func versionConformance(t *testing.T, run storeCase) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	dev := func(profile, key string) Device {
		return Device{ProfileID: profile, Key: key, Type: DeviceSSO, JoinID: "j1", JoinedAt: t0, LastSeen: t0}
	}
	version := func(t *testing.T, s Store, profile string) uint64 {
		t.Helper()
		var v uint64
		must(t, s.View(func(tx Tx) error {
			var err error
			v, err = tx.DevicesVersion(profile)
			return err
		}))
		return v
	}
	// changes says whether write moves alice's version, and checks that it leaves
	// bob's alone.
	changes := func(t *testing.T, s Store, write func(Tx) error) bool {
		t.Helper()
		before, bob := version(t, s, "alice"), version(t, s, "bob")
		must(t, s.Update(write))
		if version(t, s, "bob") != bob {
			t.Error("a change to alice's devices moved bob's version")
		}
		return version(t, s, "alice") != before
	}

	run("unknown profile", func(t *testing.T, s Store) {
		if v := version(t, s, "nobody"); v != 0 {
			t.Errorf("version %d for a profile without devices, want 0", v)
		}
	})
	run("every change to the devices", func(t *testing.T, s Store) {
		must(t, s.Update(func(tx Tx) error { return tx.PutDevice(dev("bob", "b1")) }))
		if !changes(t, s, func(tx Tx) error { return tx.PutDevice(dev("alice", "a1")) }) || version(t, s, "alice") == 0 {
			t.Fatal("a join left the version alone (or at 0)")
		}
		if !changes(t, s, func(tx Tx) error { return tx.PutDevice(dev("alice", "a2")) }) {
			t.Error("a second device left the version alone")
		}
		if !changes(t, s, func(tx Tx) error { return tx.TouchDevice("alice", "a1", "j1", t0.Add(time.Minute)) }) {
			t.Error("a touch that moved lastSeen left the version alone")
		}
		if !changes(t, s, func(tx Tx) error { d := dev("alice", "a1"); d.JoinID = "j2"; return tx.PutDevice(d) }) {
			t.Error("a rejoin left the version alone")
		}
		if !changes(t, s, func(tx Tx) error { return tx.DeleteDevice("alice", "a2") }) {
			t.Error("an unlink left the version alone")
		}
	})
	run("nothing else", func(t *testing.T, s Store) {
		must(t, s.Update(func(tx Tx) error { return tx.PutDevice(dev("alice", "a1")) }))
		for name, write := range map[string]func(Tx) error{
			"a touch that does not move lastSeen": func(tx Tx) error { return tx.TouchDevice("alice", "a1", "j1", t0) },
			"a touch for another join":            func(tx Tx) error { return tx.TouchDevice("alice", "a1", "j0", t0.Add(time.Hour)) },
			"the profile record":                  func(tx Tx) error { return tx.PutProfile(Profile{ID: "alice", CreatedAt: t0}) },
			"a link code": func(tx Tx) error {
				return tx.PutLinkCode(LinkCode{Hash: "h", ProfileID: "alice", NotAfter: t0.Add(time.Hour)})
			},
			"reads": func(tx Tx) error { _, err := tx.Devices("alice"); return err },
		} {
			if changes(t, s, write) {
				t.Errorf("%s moved the version", name)
			}
		}
	})
	run("a rolled-back change", func(t *testing.T, s Store) {
		must(t, s.Update(func(tx Tx) error { return tx.PutDevice(dev("alice", "a1")) }))
		before := version(t, s, "alice")
		fail := errors.New("roll back")
		if err := s.Update(func(tx Tx) error {
			if err := tx.PutDevice(dev("alice", "a2")); err != nil {
				return err
			}
			return fail
		}); !errors.Is(err, fail) {
			t.Fatalf("update: %v", err)
		}
		if v := version(t, s, "alice"); v != before {
			t.Error("a rolled-back join moved the version")
		}
	})
	run("seen inside the transaction", func(t *testing.T, s Store) {
		must(t, s.Update(func(tx Tx) error {
			before, _ := tx.DevicesVersion("alice")
			if err := tx.PutDevice(dev("alice", "a1")); err != nil {
				return err
			}
			if after, err := tx.DevicesVersion("alice"); err != nil || after == before {
				t.Errorf("the transaction's own join did not move its version (%v)", err)
			}
			return nil
		}))
	})
	run("a dropped profile", func(t *testing.T, s Store) {
		must(t, s.Update(func(tx Tx) error {
			return errors.Join(tx.PutProfile(Profile{ID: "alice", CreatedAt: t0}), tx.PutDevice(dev("alice", "a1")))
		}))
		must(t, s.Update(func(tx Tx) error { return tx.DeleteDevice("alice", "a1") }))
		must(t, s.Update(func(tx Tx) error { _, err := tx.DeleteExpired(t0.Add(time.Hour)); return err }))
		if v := version(t, s, "alice"); v != 0 {
			t.Errorf("a dropped profile kept version %d", v)
		}
	})
}
