package sandbox

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/handoff-sso/handoff/integration/redisserver"
)

// TestRedisTakeOnce: a link code read and deleted at once by 40 transactions on two
// stores (two instances' connections) is taken by exactly one.
func TestRedisTakeOnce(t *testing.T) {
	r := redisserver.Start(t, false)
	a, b := openRedisOn(t, r), openRedisOn(t, r)
	defer a.Close()
	defer b.Close()
	now := time.Now()
	must(t, a.Update(func(tx Tx) error {
		return tx.PutLinkCode(LinkCode{Hash: "h", ProfileID: "p", NotBefore: now, NotAfter: now.Add(time.Minute)})
	}))
	var taken atomic.Int32
	var wg sync.WaitGroup
	for i := range 40 {
		s := []*redisStore{a, b}[i%2]
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.Update(func(tx Tx) error {
				c, err := tx.LinkCode("h")
				if err != nil {
					return err
				}
				if err := tx.DeleteLinkCode(c.Hash); err != nil {
					return err
				}
				return tx.PutDevice(Device{ProfileID: c.ProfileID, Key: "tv"})
			})
			switch {
			case err == nil:
				taken.Add(1)
			case !errors.Is(err, ErrNotFound):
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := taken.Load(); n != 1 {
		t.Fatalf("the code was taken %d times, want once", n)
	}
}

// TestRedisTTL: a record's TTL is its time left in the sandbox clock (shifted an
// hour here) plus the grace, so Redis drops it with no sweep.
func TestRedisTTL(t *testing.T) {
	r := redisserver.Start(t, false)
	s := openRedisOn(t, r)
	defer s.Close()
	shifted := time.Now().Add(time.Hour)
	s.useClock(func() time.Time { return shifted })
	must(t, s.Update(func(tx Tx) error {
		return tx.PutLinkCode(LinkCode{Hash: "h", ProfileID: "p", NotAfter: shifted.Add(2 * time.Minute)})
	}))
	ttl, err := s.rdb.PTTL(context.Background(), s.key("code", "h")).Result()
	must(t, err)
	if want := 2*time.Minute + redisExpiryGrace; ttl > want || ttl < want-5*time.Second {
		t.Errorf("TTL %s, want about %s", ttl, want)
	}
}

// TestRedisLimiterShared: failures counted on one instance block on another.
func TestRedisLimiterShared(t *testing.T) {
	r := redisserver.Start(t, false)
	a, b := openRedisOn(t, r), openRedisOn(t, r)
	defer a.Close()
	defer b.Close()
	log := slog.New(slog.DiscardHandler)
	la, lb := a.newLimiter("link", 3, time.Minute, log), b.newLimiter("link", 3, time.Minute, log)
	now := time.Now()
	la.fail(now, "addr")
	lb.fail(now.Add(time.Second), "addr")
	if w := la.blocked(now.Add(2*time.Second), "addr"); w != 0 {
		t.Fatalf("blocked after 2 of 3 failures: %s", w)
	}
	la.fail(now.Add(2*time.Second), "addr")
	if w := lb.blocked(now.Add(3*time.Second), "addr"); w != 57*time.Second {
		t.Errorf("the other instance waits %s, want 57s (the oldest of 3 failures leaves the window)", w)
	}
	if w := lb.blocked(now.Add(time.Minute), "addr"); w != 0 {
		t.Errorf("still blocked once the first failure left the window: %s", w)
	}
	lb.reset()
	if w := la.blocked(now.Add(3*time.Second), "addr"); w != 0 {
		t.Errorf("blocked after reset: %s", w)
	}
}

// TestRedisKeysShared: servers that start together on an empty Redis agree on every
// key; one rotating is adopted by the other, which verifies the new key at once.
func TestRedisKeysShared(t *testing.T) {
	r := redisserver.Start(t, false)
	stores := make([]*redisStore, 4)
	rings := make([]*keyring, 4)
	now := time.Now()
	var wg sync.WaitGroup
	for i := range rings {
		stores[i] = openRedisOn(t, r)
		defer stores[i].Close()
		wg.Add(1)
		go func() {
			defer wg.Done()
			kr, err := loadKeys(stores[i].keyFile(), now)
			if err != nil {
				t.Error(err)
			}
			rings[i] = kr
		}()
	}
	wg.Wait()
	if t.Failed() {
		return
	}
	for _, kr := range rings[1:] {
		if string(kr.linkCode.Secret) != string(rings[0].linkCode.Secret) || kr.signing[0].ID != rings[0].signing[0].ID {
			t.Fatal("servers started together hold different keys")
		}
	}
	later := now.Add(25 * time.Hour)
	var next [2]Key
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			k, err := rings[i].current(later, 24*time.Hour, 25*time.Hour)
			if err != nil {
				t.Error(err)
			}
			next[i] = k
		}()
	}
	wg.Wait()
	if next[0].ID != next[1].ID || next[0].ID == rings[0].signing[0].ID {
		t.Fatalf("two servers rotating at once sign with %s and %s", next[0].ID, next[1].ID)
	}
	if _, ok := rings[3].verifying(next[0].ID, later); !ok {
		t.Error("a server that did not rotate refuses the new key")
	}
	old := rings[0].signing[0]
	if _, ok := rings[3].verifying(old.ID, later); !ok {
		t.Error("the retired key stopped verifying at once")
	}
	if _, ok := rings[3].verifying(old.ID, later.Add(26*time.Hour)); ok {
		t.Error("the retired key still verifies past its retirement")
	}
}

// BenchmarkRedisProfileContention: the store work of GET list (mark the caller seen,
// read every device of its profile) by the 50 devices of one profile, one at a time
// and 16 at once: every write conflicts with the others' reads, so the optimistic
// transactions retry; the parallel run's ns/op against the serial one's shows the
// cost.
func BenchmarkRedisProfileContention(b *testing.B) {
	r := redisserver.Start(b, false)
	s, err := openRedisStore(r.URL(0), "handoff:")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const devices = 50
	if err := s.Update(func(tx Tx) error {
		for i := range devices {
			if err := tx.PutDevice(Device{ProfileID: "p", Key: strconv.Itoa(i)}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	list := func(key string) error {
		return s.Update(func(tx Tx) error {
			d, err := tx.Device("p", key)
			if err != nil {
				return err
			}
			d.LastSeen = time.Now()
			if err := tx.PutDevice(d); err != nil {
				return err
			}
			_, err = tx.Devices("p")
			return err
		})
	}
	b.Run("serial", func(b *testing.B) {
		i := 0
		for b.Loop() {
			if err := list(strconv.Itoa(i % devices)); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("16-at-once", func(b *testing.B) {
		var next atomic.Int64
		b.SetParallelism(8) // × GOMAXPROCS 2
		b.RunParallel(func(pb *testing.PB) {
			key := strconv.Itoa(int(next.Add(1)) % devices)
			for pb.Next() {
				if err := list(key); err != nil {
					b.Error(err)
					return
				}
			}
		})
	})
}

// TestRedisNoPoolDeadlock: transactions that hold every connection of the store's
// pool still reach the limiter (as redeem does inside its transaction): the limiter
// and the keys have their own pool.
func TestRedisNoPoolDeadlock(t *testing.T) {
	r := redisserver.Start(t, false)
	s, err := openRedisStore(r.URL(0)+"?pool_size=2&pool_timeout=2s", "handoff:")
	must(t, err)
	defer s.Close()
	l := s.newLimiter("link", 10, time.Minute, slog.New(slog.DiscardHandler))
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := s.Update(func(tx Tx) error {
				if _, err := tx.Profile("p"); err != nil && !errors.Is(err, ErrNotFound) {
					return err
				}
				if w := l.blocked(time.Now(), "addr"); w != 0 {
					t.Errorf("the limiter inside a transaction answered %s, want 0 (it could not get a connection)", w)
				}
				return tx.PutProfile(Profile{ID: strconv.Itoa(i)})
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
}

// TestRedisKeysLost: when Redis loses the keys (a restart without its append-only
// file), a running server puts its own back, so one started after agrees with it.
func TestRedisKeysLost(t *testing.T) {
	r := redisserver.Start(t, false)
	s := openRedisOn(t, r)
	defer s.Close()
	now := time.Now()
	running, err := loadKeys(s.keyFile(), now)
	must(t, err)
	must(t, s.side.Del(context.Background(), s.prefix+"keys").Err())
	if !running.refresh() {
		t.Fatal("refresh failed")
	}
	started, err := loadKeys(s.keyFile(), now)
	must(t, err)
	if string(started.linkCode.Secret) != string(running.linkCode.Secret) || started.signing[0].ID != running.signing[0].ID {
		t.Error("a server started after Redis lost the keys holds other keys than the running one")
	}
}
