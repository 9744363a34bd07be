package sandbox

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// The Redis driver lets several `handoff serve` processes share one state.
//
// Transactions are optimistic (WATCH/MULTI/EXEC): a transaction WATCHes every key
// before it first reads it, keeps its writes in an overlay that its own reads see,
// and sends them in one MULTI/EXEC. EXEC applies them all or, when a key read
// changed meanwhile (another instance's commit, an expiry), none; the whole fn then
// runs again on fresh data. That makes Update serialisable across instances: a link
// code read and deleted by two instances at once is taken by the first EXEC only,
// and the second run finds it gone. A read-only run still ends in a MULTI/EXEC (of a
// PING), so that a View's reads, too, are checked to be one consistent state. fn may
// run more than once: side effects that must happen once belong outside it (the
// link-code limiter reserves an attempt before the transaction and settles it
// after), as Store.Batch asks of every driver.
//
// Lua scripts would be faster on the hot paths, but would copy the handlers' rules
// (device caps, code uniqueness) into a second language; WATCH keeps one copy of
// them, in Go, for every driver.

// redisRetries bounds how often a transaction runs again after a conflict before it
// gives up as internal_error: far more than a contended code or profile needs.
const redisRetries = 64

// redisExpiryGrace is how long after its end a record stays in Redis: the time the
// other drivers keep an expired record until their sweep (sweepEvery), so that an
// expired link code still answers as expired rather than unknown. DeleteExpired
// drops it as soon as it ends, like the other drivers; the TTL drops it even when no
// instance sweeps.
const redisExpiryGrace = sweepEvery

// minRedisVersion has SET PXAT, GETDEL and PEXPIREAT NX/GT.
const minRedisVersion = 7

var errRedisContention = errors.New("sandbox store: a Redis transaction kept conflicting with others; try again")

// redisStore is the Redis driver. Every key starts with prefix; the records are
// under prefix+"d:", so that Reset leaves the keys (prefix+"keys") and the limiter
// windows (prefix+"limit:") alone.
type redisStore struct {
	rdb *redis.Client
	// side is a second pool for the keys and the limiter, which a transaction may
	// call while it holds a connection of rdb: from one pool, transactions holding
	// every connection would each wait for another, and none would end.
	side     *redis.Client
	prefix   string
	location string
	now      func() time.Time // the sandbox clock, for TTLs; the server sets it (useClock)
}

// OpenRedisStore connects to the Redis of a redis:// or rediss:// URL
// (redis://[:PASSWORD@]HOST:PORT/DB) and checks that it answers.
func OpenRedisStore(rawURL string) (Store, error) {
	return openRedisStore(rawURL, "handoff:")
}

// quietRedis drops go-redis's own log lines (pool dial failures, in Go's words, with
// addresses): the sandbox reports Redis trouble itself, in its words.
type quietRedis struct{}

func (quietRedis) Printf(context.Context, string, ...any) {}

var quietRedisOnce sync.Once

func openRedisStore(rawURL, prefix string) (*redisStore, error) {
	quietRedisOnce.Do(func() { redis.SetLogger(quietRedis{}) })
	opt, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, &setupError{fmt.Sprintf("--store %s is not a Redis URL: give redis://HOST:PORT/DB (rediss:// for TLS, redis://:PASSWORD@HOST:PORT/DB with a password)", redactURL(rawURL)), err}
	}
	rdb := redis.NewClient(opt)
	s := &redisStore{rdb: rdb, side: redis.NewClient(opt), prefix: prefix, location: redactURL(rawURL), now: time.Now}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	info, err := rdb.Info(ctx, "server").Result()
	if err != nil {
		_ = s.Close()
		return nil, &setupError{fmt.Sprintf("cannot reach Redis at %s: %s", s.location, redisProblem(err)), err}
	}
	if v := redisVersion(info); v < minRedisVersion {
		_ = s.Close()
		return nil, &setupError{fmt.Sprintf("Redis at %s is version %d; the sandbox needs Redis %d or later", s.location, v, minRedisVersion), nil}
	}
	return s, nil
}

// redisVersion is the major version in an INFO server answer (0: unknown).
func redisVersion(info string) int {
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "redis_version:"); ok {
			major, _, _ := strings.Cut(v, ".")
			n, _ := strconv.Atoi(major)
			return n
		}
	}
	return 0
}

// redactURL drops the password from a Redis URL, for logs and Location.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "the given --store URL"
	}
	u.User = nil
	u.RawQuery = ""
	return u.String()
}

// redisProblem says in words why Redis could not be used.
func redisProblem(err error) string {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "connection refused"):
		return "nothing listens there (start redis-server, or fix the host and port in --store)"
	case strings.Contains(msg, "NOAUTH"), strings.Contains(msg, "WRONGPASS"), strings.Contains(msg, "invalid password"):
		return "it refuses the password (put it in the URL: redis://:PASSWORD@HOST:PORT/DB)"
	case strings.Contains(msg, "no such host"):
		return "the host name is unknown"
	case strings.Contains(msg, "DB index is out of range"):
		return "it has no such database number (the /DB at the end of the URL)"
	case errors.Is(err, context.DeadlineExceeded), strings.Contains(msg, "timeout"):
		return "it does not answer (check the host, the port and any firewall)"
	}
	return "it did not answer as Redis does"
}

// useClock makes the TTLs follow the sandbox clock (its admin offset).
func (s *redisStore) useClock(now func() time.Time) { s.now = now }

func (s *redisStore) Location() string { return s.location }
func (s *redisStore) Close() error     { return errors.Join(s.rdb.Close(), s.side.Close()) }

func (s *redisStore) View(fn func(Tx) error) error   { return s.run(false, fn) }
func (s *redisStore) Update(fn func(Tx) error) error { return s.run(true, fn) }

// Batch is Update: Redis has no commit to share (each EXEC is one round trip, its
// durability Redis's appendfsync setting), and an optimistic transaction already runs
// fn again after a conflict, so fn is written for more than one run anyway.
func (s *redisStore) Batch(fn func(Tx) error) error { return s.run(true, fn) }

// run runs fn as an optimistic transaction until it commits without conflict.
func (s *redisStore) run(writable bool, fn func(Tx) error) error {
	ctx := context.Background()
	for attempt := range redisRetries {
		if attempt > 0 {
			// Jittered, growing backoff, so that the losers of a conflict do not
			// collide again in step.
			time.Sleep(time.Duration(rand.Int64N(int64(min(time.Millisecond<<min(attempt, 6), 50*time.Millisecond)) + 1)))
		}
		var conflict bool
		err := s.rdb.Watch(ctx, func(conn *redis.Tx) error {
			tx := newRedisTx(ctx, s, conn, writable)
			if err := fn(tx); err != nil {
				_ = conn.Unwatch(ctx).Err()
				return err
			}
			err := tx.commit()
			if errors.Is(err, redis.TxFailedErr) {
				conflict = true
				return nil
			}
			return err
		})
		if !conflict {
			return err
		}
	}
	return errRedisContention
}

// key is the Redis key of a record kind and its id parts.
func (s *redisStore) key(kind string, parts ...string) string {
	return s.prefix + "d:" + kind + ":" + strings.Join(parts, "\x00")
}

// expireAt is the wall-clock time at which Redis drops a record that ends at end in
// sandbox time: as far ahead of the real clock as end is of the sandbox's, plus the
// grace; a record that has ended already stays for the grace.
func (s *redisStore) expireAt(end time.Time) time.Time {
	left := max(end.Sub(s.now()), 0)
	return time.Now().Add(left + redisExpiryGrace)
}
