package sandbox

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestStoreConformanceSeen defines what a driver's TouchDevice does: lastSeen moves
// forward only, for the membership named by its join id, and nothing else changes.
func TestStoreConformanceSeen(t *testing.T) { onEveryDriver(t, seenConformance) }

// TestStoreConformanceBatch defines Batch: concurrent batches each commit or fail on
// their own, a failing one leaves no trace, and a committed one is durable before it
// returns (the restart tests check the kill -9 side).
func TestStoreConformanceBatch(t *testing.T) { onEveryDriver(t, batchConformance) }

func seenConformance(t *testing.T, run storeCase) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	d := Device{ProfileID: "alice", Key: "dk", Type: DeviceSSO, JoinID: "j1", JoinedAt: t0, LastSeen: t0, Model: "m"}
	seen := func(t *testing.T, s Store) time.Time {
		t.Helper()
		var got Device
		must(t, s.View(func(tx Tx) error {
			var err error
			got, err = tx.Device("alice", "dk")
			return err
		}))
		if got.Model != "m" || got.JoinID != "j1" || !got.JoinedAt.Equal(t0) {
			t.Errorf("TouchDevice changed more than lastSeen: %+v", got)
		}
		return got.LastSeen
	}
	touch := func(s Store, joinID string, at time.Time) error {
		return s.Batch(func(tx Tx) error { return tx.TouchDevice("alice", "dk", joinID, at) })
	}

	run("forward only", func(t *testing.T, s Store) {
		must(t, s.Update(func(tx Tx) error { return tx.PutDevice(d) }))
		must(t, touch(s, "j1", t0.Add(time.Minute)))
		if got := seen(t, s); !got.Equal(t0.Add(time.Minute)) {
			t.Errorf("lastSeen %v, want %v", got, t0.Add(time.Minute))
		}
		must(t, touch(s, "j1", t0.Add(30*time.Second)))
		if got := seen(t, s); !got.Equal(t0.Add(time.Minute)) {
			t.Errorf("an earlier touch moved lastSeen back to %v", got)
		}
	})
	run("another join, a gone device", func(t *testing.T, s Store) {
		must(t, s.Update(func(tx Tx) error { return tx.PutDevice(d) }))
		must(t, touch(s, "j0", t0.Add(time.Hour)))
		if got := seen(t, s); !got.Equal(t0) {
			t.Errorf("a touch for an earlier join moved lastSeen to %v", got)
		}
		must(t, s.Update(func(tx Tx) error { return tx.DeleteDevice("alice", "dk") }))
		must(t, touch(s, "j1", t0.Add(time.Hour)))
		must(t, s.View(func(tx Tx) error {
			if _, err := tx.Device("alice", "dk"); !errors.Is(err, ErrNotFound) {
				t.Errorf("a touch brought back an unlinked device: %v", err)
			}
			if ds, err := tx.Devices("alice"); err != nil || len(ds) != 0 {
				t.Errorf("devices %v %v", ds, err)
			}
			return nil
		}))
	})
	run("not in a view", func(t *testing.T, s Store) {
		must(t, s.Update(func(tx Tx) error { return tx.PutDevice(d) }))
		if err := s.View(func(tx Tx) error { return tx.TouchDevice("alice", "dk", "j1", t0.Add(time.Hour)) }); err == nil {
			t.Error("TouchDevice wrote in a read-only transaction")
		}
		if got := seen(t, s); !got.Equal(t0) {
			t.Errorf("lastSeen %v after a refused touch", got)
		}
	})
	run("idempotent", func(t *testing.T, s Store) {
		must(t, s.Update(func(tx Tx) error { return tx.PutDevice(d) }))
		for range 3 {
			must(t, touch(s, "j1", t0.Add(2*time.Minute)))
		}
		if got := seen(t, s); !got.Equal(t0.Add(2 * time.Minute)) {
			t.Errorf("lastSeen %v", got)
		}
	})
}

func batchConformance(t *testing.T, run storeCase) {
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	run("concurrent batches, one failing", func(t *testing.T, s Store) {
		const n = 64
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				errs[i] = s.Batch(func(tx Tx) error {
					key := fmt.Sprintf("k%02d", i)
					if err := tx.PutDevice(Device{ProfileID: "p", Key: key, JoinID: "j", JoinedAt: t0}); err != nil {
						return err
					}
					if i%7 == 3 {
						return errRollback // after its write: the write must not stay
					}
					return nil
				})
			})
		}
		wg.Wait()
		must(t, s.View(func(tx Tx) error {
			var want, got []string
			for i := range n {
				if i%7 != 3 {
					want = append(want, fmt.Sprintf("k%02d", i))
				}
			}
			ds, err := tx.Devices("p")
			for _, d := range ds {
				got = append(got, d.Key)
			}
			if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("Devices: %v %v, want the committed ones in order: %v", got, err, want)
			}
			for i := range n {
				_, err := tx.Device("p", fmt.Sprintf("k%02d", i))
				switch {
				case i%7 == 3 && !errors.Is(errs[i], errRollback):
					t.Errorf("batch %d: %v, want its own error", i, errs[i])
				case i%7 == 3 && !errors.Is(err, ErrNotFound):
					t.Errorf("batch %d failed but its write stayed: %v", i, err)
				case i%7 != 3 && (errs[i] != nil || err != nil):
					t.Errorf("batch %d: %v, its write: %v", i, errs[i], err)
				}
			}
			return nil
		}))
	})
	run("results set afresh on a rerun", func(t *testing.T, s Store) {
		// Whatever a batch function reads, it reads in the transaction that commits
		// it: two dozen increments of one counter, each in its own Batch, end at 24.
		must(t, s.Update(func(tx Tx) error { return tx.PutProfile(Profile{ID: "counter", CreatedAt: t0}) }))
		var wg sync.WaitGroup
		for i := range 24 {
			wg.Go(func() {
				err := s.Batch(func(tx Tx) error {
					p, err := tx.Profile("counter")
					if err != nil {
						return err
					}
					p.CreatedAt = p.CreatedAt.Add(time.Second)
					if err := tx.PutProfile(p); err != nil {
						return err
					}
					if i%5 == 0 {
						return errRollback
					}
					return nil
				})
				if (i%5 == 0) != errors.Is(err, errRollback) {
					t.Errorf("batch %d: %v", i, err)
				}
			})
		}
		wg.Wait()
		must(t, s.View(func(tx Tx) error {
			p, err := tx.Profile("counter")
			if want := t0.Add(19 * time.Second); err != nil || !p.CreatedAt.Equal(want) {
				t.Errorf("counter %v %v, want %v (19 committed increments)", p.CreatedAt, err, want)
			}
			return nil
		}))
	})
}
