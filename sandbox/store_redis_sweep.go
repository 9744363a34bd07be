package sandbox

import (
	"context"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// SweepExpired is DeleteExpired in steps (sweeper): each step reads up to step ids
// of an expiry index, or of maybe-empty, without a transaction, then drops the ended
// among them in one Update that reads each record again. A step WATCHes only the
// records it drops, never the index itself, so the requests that write the index
// meanwhile (every new token, code, profile) neither wait for it nor make it run
// again, as one DeleteExpired over a large index would.
func (s *redisStore) SweepExpired(now time.Time, step int) (SweepStats, error) {
	var st SweepStats
	if err := s.sweepEnded(redisClients, now, step, &st); err != nil {
		return st, err
	}
	if err := s.sweepEmptyProfiles(step, &st); err != nil {
		return st, err
	}
	for _, k := range redisEnding {
		if err := s.sweepEnded(k, now, step, &st); err != nil {
			return st, err
		}
	}
	return st, nil
}

// sweepEnded pages through the index of k up to now. A page's ended records leave the
// index with them, so the next page starts past only what stayed: a record that ends
// later than its index entry says, to the millisecond, or was renewed meanwhile (a
// renewal moved out of the range can make a page skip one record, which the next
// sweep, or its TTL, drops).
func (s *redisStore) sweepEnded(k redisExpiry, now time.Time, step int, st *SweepStats) error {
	ctx := context.Background()
	index, until := s.key("exp", k.kind), strconv.FormatInt(now.UnixMilli(), 10)
	var offset int64
	for {
		ids, err := s.rdb.ZRangeArgs(ctx, redis.ZRangeArgs{Key: index, Start: "-inf", Stop: until, ByScore: true, Offset: offset, Count: int64(step)}).Result()
		if err != nil || len(ids) == 0 {
			return err
		}
		var dropped, unindexed int
		err = s.Update(func(tx Tx) error {
			var err error
			dropped, unindexed, err = tx.(*redisTx).dropEnded(k, ids, now)
			return err
		})
		if err != nil {
			return err
		}
		st.Dropped += dropped
		st.Steps++
		st.Largest = max(st.Largest, len(ids))
		offset += int64(len(ids) - unindexed)
		if len(ids) < step {
			return nil
		}
	}
}

// sweepEmptyProfiles scans maybe-empty (SSCAN returns every member present for the
// whole scan, some maybe twice, which dropEmptyProfiles takes in its stride) and
// drops the empty profiles at most step candidates a transaction.
func (s *redisStore) sweepEmptyProfiles(step int, st *SweepStats) error {
	ctx := context.Background()
	var cursor uint64
	for {
		ids, next, err := s.rdb.SScan(ctx, s.key("maybe-empty"), cursor, "", int64(step)).Result()
		if err != nil {
			return err
		}
		for len(ids) > 0 {
			chunk := ids[:min(step, len(ids))]
			ids = ids[len(chunk):]
			var dropped int
			err := s.Update(func(tx Tx) error {
				var err error
				dropped, err = tx.(*redisTx).dropEmptyProfiles(chunk)
				return err
			})
			if err != nil {
				return err
			}
			st.Dropped += dropped
			st.Steps++
			st.Largest = max(st.Largest, len(chunk))
		}
		if cursor = next; cursor == 0 {
			return nil
		}
	}
}
