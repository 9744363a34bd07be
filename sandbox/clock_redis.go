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
	add(d time.Duration) (time.Duration, error)
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

func (c redisClock) add(d time.Duration) (time.Duration, error) {
	n, err := c.rdb.IncrBy(context.Background(), c.key, int64(d)).Result()
	return time.Duration(n), err
}

func (c redisClock) store(d time.Duration) error {
	return c.rdb.Set(context.Background(), c.key, int64(d), 0).Err()
}
