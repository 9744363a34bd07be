package sandbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	mrand "math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// failureCounter counts failures per key in a sliding window: failureLimiter in
// memory, redisLimiter shared by every instance on one Redis.
type failureCounter interface {
	// blocked says how long the caller must wait if any key is at its limit; zero means go.
	blocked(now time.Time, keys ...string) time.Duration
	// reserve is blocked and fail in one atomic step, for an attempt whose outcome is
	// not known yet: it holds the attempt's place and returns settle, which counts it
	// as a failure or gives the place back (see failureLimiter.reserve).
	reserve(now time.Time, keys ...string) (wait time.Duration, settle func(failed bool))
	// fail records one failure against each key.
	fail(now time.Time, keys ...string)
	// sweep forgets what left the window.
	sweep(now time.Time)
	// reset forgives every failure.
	reset()
}

// limiterStore is a store that keeps failure windows itself, shared as its records
// are.
type limiterStore interface {
	newLimiter(name string, limit int, window time.Duration, log *slog.Logger) failureCounter
}

// newLimiterFor is the limiter named name of the store: its own when it keeps them
// (Redis), else one in this process's memory.
func newLimiterFor(store Store, name string, limit int, window time.Duration, log *slog.Logger) failureCounter {
	if ls, ok := store.(limiterStore); ok {
		return ls.newLimiter(name, limit, window, log)
	}
	return newFailureLimiter(limit, window)
}

// redisLimiter keeps each key's failures in a sorted set (member: one failure,
// score: its time in the sandbox clock, ms) that expires a window after the last
// failure, so no instance sweeps. Pruning and counting run in one script.
type redisLimiter struct {
	rdb    *redis.Client
	prefix string // prefix+"limit:"+name+":"
	limit  int
	window time.Duration
	log    *slog.Logger
}

func (s *redisStore) newLimiter(name string, limit int, window time.Duration, log *slog.Logger) failureCounter {
	return &redisLimiter{rdb: s.side, prefix: s.prefix + "limit:" + name + ":", limit: limit, window: window, log: log}
}

// limiterBlocked: KEYS the windows; ARGV now, window (ms), limit. It returns the
// longest wait in ms (0: go) and drops what left the windows.
var limiterBlocked = redis.NewScript(`
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local wait = 0
for _, k in ipairs(KEYS) do
  redis.call("ZREMRANGEBYSCORE", k, "-inf", now - window)
  local n = redis.call("ZCARD", k)
  if n >= limit then
    local e = redis.call("ZRANGE", k, n - limit, n - limit, "WITHSCORES")
    local w = tonumber(e[2]) + window - now
    if w > wait then wait = w end
  end
end
return wait
`)

// limiterFail: KEYS the windows; ARGV now, window (ms), a unique member.
var limiterFail = redis.NewScript(`
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
for i, k in ipairs(KEYS) do
  redis.call("ZREMRANGEBYSCORE", k, "-inf", now - window)
  redis.call("ZADD", k, now, ARGV[3] .. ":" .. i)
  redis.call("PEXPIRE", k, window)
end
return 0
`)

// limiterReserve: KEYS pairs of windows, each a key's failures then its pending
// attempts; ARGV now, window (ms), limit, the attempt's member, hold (ms). It is
// limiterBlocked and a place held for the attempt, in one script: Redis runs a script
// alone, so instances that reserve at once cannot all see room for one more. It
// returns the wait in ms; -1 when only pending attempts fill a limit (try again once
// they settle); 0 when the place is held. A pending attempt older than hold counts
// no more: its instance died before settling it.
var limiterReserve = redis.NewScript(`
local now, window, limit, hold = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[5])
local wait, full = 0, false
for i = 1, #KEYS, 2 do
  local f, p = KEYS[i], KEYS[i + 1]
  redis.call("ZREMRANGEBYSCORE", f, "-inf", now - window)
  redis.call("ZREMRANGEBYSCORE", p, "-inf", now - hold)
  local n = redis.call("ZCARD", f)
  if n >= limit then
    local e = redis.call("ZRANGE", f, n - limit, n - limit, "WITHSCORES")
    local w = tonumber(e[2]) + window - now
    if w > wait then wait = w end
  end
  if n + redis.call("ZCARD", p) >= limit then full = true end
end
if wait > 0 then return wait end
if full then return -1 end
for i = 1, #KEYS, 2 do
  redis.call("ZADD", KEYS[i + 1], now, ARGV[4])
  redis.call("PEXPIRE", KEYS[i + 1], hold)
end
return 0
`)

// limiterSettle: KEYS as limiterReserve's; ARGV the attempt's member, "1" when it
// failed, the time it began, window (ms). It drops the pending attempt and counts a
// failure.
var limiterSettle = redis.NewScript(`
for i = 1, #KEYS, 2 do
  redis.call("ZREM", KEYS[i + 1], ARGV[1])
  if ARGV[2] == "1" then
    redis.call("ZADD", KEYS[i], ARGV[3], ARGV[1])
    redis.call("PEXPIRE", KEYS[i], ARGV[4])
  end
end
return 0
`)

// redisPendingHold is how long a reserved attempt holds its place without settling:
// far longer than a redemption's transaction takes, and short enough that the places
// of an instance killed mid-attempt come back soon.
const redisPendingHold = 30 * time.Second

// redisReserveWait bounds how long reserve waits for other instances' pending
// attempts to settle before it fails closed.
const redisReserveWait = 10 * time.Second

// failureID names one failure uniquely across instances.
func failureID(now time.Time) string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return strconv.FormatInt(now.UnixNano(), 36) + hex.EncodeToString(b)
}

func (l *redisLimiter) keys(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = l.prefix + k
	}
	return out
}

// blocked fails closed: when Redis does not answer, the caller waits a second
// rather than guess unlimited.
func (l *redisLimiter) blocked(now time.Time, keys ...string) time.Duration {
	ms, err := limiterBlocked.Run(context.Background(), l.rdb, l.keys(keys),
		now.UnixMilli(), l.window.Milliseconds(), l.limit).Int64()
	if err != nil {
		l.log.Error("reading the shared link-code limiter", "err", err)
		return time.Second
	}
	return time.Duration(ms) * time.Millisecond
}

// pairs are the windows of keys for limiterReserve: failures, then pending attempts.
func (l *redisLimiter) pairs(keys []string) []string {
	out := make([]string, 0, 2*len(keys))
	for _, k := range keys {
		out = append(out, l.prefix+k, l.prefix+"pending\x00"+k)
	}
	return out
}

// reserve polls while only pending attempts fill a limit (their instances settle them
// without telling this one), and fails closed as blocked does: when Redis does not
// answer, or the pending attempts do not settle, a second's wait.
func (l *redisLimiter) reserve(now time.Time, keys ...string) (time.Duration, func(failed bool)) {
	ctx := context.Background()
	windows, id := l.pairs(keys), failureID(now)
	for deadline := time.Now().Add(redisReserveWait); ; {
		ms, err := limiterReserve.Run(ctx, l.rdb, windows, now.UnixMilli(), l.window.Milliseconds(), l.limit, id,
			redisPendingHold.Milliseconds()).Int64()
		switch {
		case err != nil:
			l.log.Error("counting an attempt in the shared link-code limiter", "err", err)
			return time.Second, func(bool) {}
		case ms > 0:
			return time.Duration(ms) * time.Millisecond, func(bool) {}
		case ms == 0:
			var once sync.Once
			return 0, func(failed bool) { once.Do(func() { l.settle(now, windows, id, failed) }) }
		case time.Now().After(deadline):
			return time.Second, func(bool) {}
		}
		time.Sleep(time.Millisecond + mrand.N(4*time.Millisecond))
	}
}

func (l *redisLimiter) settle(began time.Time, windows []string, id string, failed bool) {
	flag := "0"
	if failed {
		flag = "1"
	}
	err := limiterSettle.Run(context.Background(), l.rdb, windows, id, flag, began.UnixMilli(), l.window.Milliseconds()).Err()
	if err != nil {
		l.log.Error("settling an attempt in the shared link-code limiter", "err", err)
	}
}

func (l *redisLimiter) fail(now time.Time, keys ...string) {
	err := limiterFail.Run(context.Background(), l.rdb, l.keys(keys),
		now.UnixMilli(), l.window.Milliseconds(), failureID(now)).Err()
	if err != nil {
		l.log.Error("counting a failure in the shared link-code limiter", "err", err)
	}
}

// sweep has nothing to do: each window expires in Redis.
func (l *redisLimiter) sweep(time.Time) {}

func (l *redisLimiter) reset() {
	if err := deleteMatching.Run(context.Background(), l.rdb, nil, l.prefix+"*").Err(); err != nil {
		l.log.Error("resetting the shared link-code limiter", "err", err)
	}
}
