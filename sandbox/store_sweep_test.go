package sandbox

import (
	"fmt"
	"testing"
	"time"
)

// fillForSweep stores live and dead records of every kind the sweep drops.
func fillForSweep(t *testing.T, s Store, now time.Time) {
	t.Helper()
	past, future := now.Add(-time.Minute), now.Add(time.Hour)
	must(t, s.Update(func(tx Tx) error {
		for i := range 300 {
			end := past
			if i%3 == 0 {
				end = future
			}
			id := fmt.Sprint(i)
			must(t, tx.PutAccessToken(AccessToken{Hash: "t" + id, ClientID: "c", CreatedAt: past, ExpiresAt: end}))
			must(t, tx.PutClient(Client{ID: "c" + id, SecretHash: "h", IssuedAt: past, ExpiresAt: end}))
			must(t, tx.PutMVPDLogin(MVPDLogin{Hash: "l" + id, ProfileID: "p0", NotBefore: past, NotAfter: end}))
			must(t, tx.PutActivationCode(ActivationCode{Hash: "a" + id, Kind: ActivationSession, NotBefore: past, NotAfter: end}))
			// Profiles: one in two has a device; each has a code (live or not), an
			// MVPD authentication and a platform subscriber.
			p := "p" + id
			must(t, tx.PutProfile(Profile{ID: p, CreatedAt: past}))
			if i%2 == 0 {
				must(t, tx.PutDevice(Device{ProfileID: p, Key: "dk", JoinID: "j", JoinedAt: past}))
			}
			must(t, tx.PutLinkCode(LinkCode{Hash: "lc" + id, ProfileID: p, DeviceKey: "dk", NotBefore: past, NotAfter: end}))
			must(t, tx.PutMVPDAuth(MVPDAuth{ProfileID: p, MVPD: "m", ServiceProvider: "demo", NotBefore: past, NotAfter: future}))
			must(t, tx.PutPlatformSubscriber(PlatformSubscriber{Platform: platformRoku, ServiceProvider: "demo", Subscriber: id, ProfileID: p, CreatedAt: past}))
		}
		return nil
	}))
}

// TestSweepInBoundedSteps: the incremental sweep drops exactly what DeleteExpired
// drops in one transaction, in write transactions that each touch at most a step
// of records.
func TestSweepInBoundedSteps(t *testing.T) {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	onEveryDriver(t, func(t *testing.T, run storeCase) {
		run("same result, bounded steps", func(t *testing.T, s Store) {
			twin := NewMemoryStore()
			fillForSweep(t, twin, now)
			fillForSweep(t, s, now)
			var want int
			must(t, twin.Update(func(tx Tx) error {
				var err error
				want, err = tx.DeleteExpired(now)
				return err
			}))
			const step = 50
			st, err := s.(sweeper).SweepExpired(now, step)
			must(t, err)
			if st.Dropped != want {
				t.Errorf("swept %d records, DeleteExpired drops %d", st.Dropped, want)
			}
			if st.Largest > step || st.Largest == 0 {
				t.Errorf("a step handled %d records, want 1 to %d", st.Largest, step)
			}
			if st.Steps < 6 || st.Steps < want/(step*6) {
				t.Errorf("%d steps for %d records", st.Steps, want)
			}
			got, err := s.(adminStore).Counts(now)
			must(t, err)
			wantCounts, _ := twin.(adminStore).Counts(now)
			if got != wantCounts {
				t.Errorf("after the sweep: %+v, want %+v", got, wantCounts)
			}
			all, err := s.(adminStore).Counts(time.Time{}) // counts what is stored, live or not
			must(t, err)
			if all.AccessTokens != 100 || all.LinkCodes != 50 || all.MVPDLogins != 100 || all.Clients != 100 ||
				all.Profiles != 150 || all.PlatformSubscribers != 150 || all.MVPDAuthentications != 150 {
				t.Errorf("records left: %+v", all)
			}
			again, err := s.(sweeper).SweepExpired(now, step)
			if err != nil || again.Dropped != 0 {
				t.Errorf("a second sweep dropped %d (%v)", again.Dropped, err)
			}
		})
		run("a profile with a device stays", func(t *testing.T, s Store) {
			must(t, s.Update(func(tx Tx) error {
				return tx.PutProfile(Profile{ID: "lonely", CreatedAt: now})
			}))
			must(t, s.Update(func(tx Tx) error {
				return tx.PutDevice(Device{ProfileID: "lonely", Key: "dk", JoinID: "j", JoinedAt: now})
			}))
			st, err := s.(sweeper).SweepExpired(now, 10)
			must(t, err)
			if st.Dropped != 0 {
				t.Errorf("dropped %d records of a profile that has a device", st.Dropped)
			}
		})
	})
}
