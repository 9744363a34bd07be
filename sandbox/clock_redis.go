package sandbox

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// clockShare keeps the admin clock's offset where every instance on one store reads
// it, so that advancing the clock on one instance expires codes on all of them.
type clockShare interface {
	load() (time.Duration, error)
	add(d, limit time.Duration) (time.Duration, error) // errShiftTooFar past limit
	store(d time.Duration) error
}

// redisClock is the offset in nanoseconds at prefix+"clock"; none is 0.
type redisClock struct {
	rdb *redis.Client
	key string
}

func (s *redisStore) clockShare() clockShare { return redisClock{rdb: s.side, key: s.prefix + "clock"} }

func (c redisClock) load() (time.Duration, error) {
	raw, err := c.rdb.Get(context.Background(), c.key).Result()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	return time.Duration(n), err
}

// add is INCRBY under a bound: the offset is read and written in one optimistic
// transaction (WATCH), which runs again when another instance moved it in between.
// The check cannot be a Lua script, whose numbers are doubles: an offset of years in
// nanoseconds is past their 53 bits.
func (c redisClock) add(d, limit time.Duration) (time.Duration, error) {
	ctx := context.Background()
	var off time.Duration
	move := func(tx *redis.Tx) error {
		raw, err := tx.Get(ctx, c.key).Int64()
		if err != nil && !errors.Is(err, redis.Nil) {
			return err
		}
		if time.Duration(raw) > limit-d {
			return errShiftTooFar
		}
		off = time.Duration(raw) + d
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Set(ctx, c.key, int64(off), 0)
			return nil
		})
		return err
	}
	for range redisRetries {
		err := c.rdb.Watch(ctx, move, c.key)
		if !errors.Is(err, redis.TxFailedErr) {
			return off, err
		}
	}
	return 0, errRedisContention
}

func (c redisClock) store(d time.Duration) error {
	return c.rdb.Set(context.Background(), c.key, int64(d), 0).Err()
}
