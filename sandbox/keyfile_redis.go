package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// sharedKeyFile is a key file that several servers use at once. Each change is a
// compare-and-set of the whole set (update), so that two servers that make or rotate
// keys at the same moment agree on one set: the second sees the first's keys and
// adopts them instead of writing its own.
type sharedKeyFile interface {
	keyFile
	// update replaces the saved keys with change(saved), atomically; when change
	// says nothing changed, nothing is written. It returns the keys that stand.
	update(change func(saved []Key) (keys []Key, changed bool)) ([]Key, error)
}

// redisKeys keeps the keys in one Redis string, beside the records. A copy of the
// Redis data therefore holds the keys too (unlike sandbox.db and its separate key
// file): protect the Redis server as the key file itself (README).
type redisKeys struct {
	rdb *redis.Client
	key string
	loc string
}

func (s *redisStore) keyFile() *redisKeys {
	return &redisKeys{rdb: s.side, key: s.prefix + "keys", loc: s.location + " (key " + s.prefix + "keys)"}
}

func (r *redisKeys) location() string { return r.loc }

func (r *redisKeys) load() ([]Key, error) {
	raw, err := r.rdb.Get(context.Background(), r.key).Bytes()
	return r.decode(raw, err)
}

func (r *redisKeys) decode(raw []byte, err error) ([]Key, error) {
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, &setupError{fmt.Sprintf("cannot read the sandbox keys from %s: %s", r.loc, redisProblem(err)), err}
	}
	var body keyFileBody
	if err := json.Unmarshal(raw, &body); err != nil {
		return nil, &setupError{fmt.Sprintf("the sandbox keys in %s are damaged; delete that key to make new ones "+
			"(the service tokens and link codes issued so far stop working)", r.loc), err}
	}
	return body.Keys, nil
}

func (r *redisKeys) save(keys []Key) error {
	raw, err := json.Marshal(keyFileBody{Keys: keys})
	if err != nil {
		return err
	}
	return r.rdb.Set(context.Background(), r.key, raw, 0).Err()
}

func (r *redisKeys) update(change func([]Key) ([]Key, bool)) ([]Key, error) {
	ctx := context.Background()
	for range redisRetries {
		var out []Key
		err := r.rdb.Watch(ctx, func(tx *redis.Tx) error {
			raw, err := tx.Get(ctx, r.key).Bytes()
			saved, err := r.decode(raw, err)
			if err != nil {
				return err
			}
			keys, changed := change(saved)
			out = keys
			if !changed {
				return nil
			}
			body, err := json.Marshal(keyFileBody{Keys: keys})
			if err != nil {
				return err
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error { return p.Set(ctx, r.key, body, 0).Err() })
			return err
		}, r.key)
		if !errors.Is(err, redis.TxFailedErr) {
			return cloneKeys(out), err
		}
	}
	return nil, errRedisContention
}
