package sandbox

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// failureCounter counts failures per key in a sliding window: failureLimiter in
// memory, redisLimiter shared by every instance on one Redis.
type failureCounter interface {
	// blocked says how long the caller must wait if any key is at its limit; zero means go.
	blocked(now time.Time, keys ...string) time.Duration
	// reserve is blocked and fail in one atomic step, and returns a release that takes
	// the failure back, for an attempt that turns out not to fail (see
	// failureLimiter.reserve).
	reserve(now time.Time, keys ...string) (wait time.Duration, release func())
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

// limiterReserve: KEYS the windows; ARGV now, window (ms), limit, a unique member.
// It is limiterBlocked and, when that says go, limiterFail, in one script: Redis runs
// a script alone, so instances that reserve at once cannot all see room for one
// more. It returns the wait in ms; 0 means the failure is counted.
var limiterReserve = redis.NewScript(`
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
if wait > 0 then return wait end
for i, k in ipairs(KEYS) do
  redis.call("ZADD", k, now, ARGV[4] .. ":" .. i)
  redis.call("PEXPIRE", k, window)
end
return 0
`)

// limiterRelease: KEYS the windows; ARGV the member limiterReserve added.
var limiterRelease = redis.NewScript(`
for i, k in ipairs(KEYS) do
  redis.call("ZREM", k, ARGV[1] .. ":" .. i)
end
return 0
`)

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

// reserve fails closed as blocked does: when Redis does not answer, a second's wait.
func (l *redisLimiter) reserve(now time.Time, keys ...string) (time.Duration, func()) {
	windows, id := l.keys(keys), failureID(now)
	ms, err := limiterReserve.Run(context.Background(), l.rdb, windows,
		now.UnixMilli(), l.window.Milliseconds(), l.limit, id).Int64()
	if err != nil {
		l.log.Error("counting an attempt in the shared link-code limiter", "err", err)
		return time.Second, func() {}
	}
	if ms > 0 {
		return time.Duration(ms) * time.Millisecond, func() {}
	}
	return 0, func() {
		if err := limiterRelease.Run(context.Background(), l.rdb, windows, id).Err(); err != nil {
			l.log.Error("taking back an attempt from the shared link-code limiter", "err", err)
		}
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
