package sandbox

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisTx is one optimistic transaction: reads WATCH their keys first and see the
// transaction's own writes; writes wait in ops for commit's MULTI/EXEC.
type redisTx struct {
	ctx      context.Context
	s        *redisStore
	conn     *redis.Tx
	writable bool

	watched map[string]bool
	strs    map[string][]byte          // written string keys; nil: deleted
	sets    map[string]map[string]bool // set key → member → present after this tx
	hashes  map[string]map[string][]byte
	cleared map[string]bool // set or hash keys deleted whole by this tx
	ops     []func(p redis.Pipeliner)
}

func newRedisTx(ctx context.Context, s *redisStore, conn *redis.Tx, writable bool) *redisTx {
	return &redisTx{
		ctx: ctx, s: s, conn: conn, writable: writable,
		watched: map[string]bool{}, strs: map[string][]byte{}, sets: map[string]map[string]bool{},
		hashes: map[string]map[string][]byte{}, cleared: map[string]bool{},
	}
}

// read WATCHes the keys not watched yet and runs q's reads in the same round trip.
// A missing key (redis.Nil) is not an error: the caller reads its command.
func (tx *redisTx) read(keys []string, q func(p redis.Pipeliner)) error {
	var fresh []any
	for _, k := range keys {
		if !tx.watched[k] {
			tx.watched[k] = true
			fresh = append(fresh, k)
		}
	}
	cmds, err := tx.conn.Pipelined(tx.ctx, func(p redis.Pipeliner) error {
		if len(fresh) > 0 {
			p.Do(tx.ctx, append([]any{"WATCH"}, fresh...)...)
		}
		q(p)
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) {
		return err
	}
	for _, c := range cmds {
		if err := c.Err(); err != nil && !errors.Is(err, redis.Nil) {
			return err
		}
	}
	return nil
}

func (tx *redisTx) write(op func(p redis.Pipeliner)) error {
	if !tx.writable {
		return errReadOnly
	}
	tx.ops = append(tx.ops, op)
	return nil
}

// commit sends the writes in one MULTI/EXEC; redis.TxFailedErr means a watched key
// changed and nothing was written.
func (tx *redisTx) commit() error {
	if len(tx.ops) == 0 && len(tx.watched) == 0 {
		return nil
	}
	_, err := tx.conn.TxPipelined(tx.ctx, func(p redis.Pipeliner) error {
		if len(tx.ops) == 0 {
			p.Ping(tx.ctx) // EXEC still checks the watched keys: the reads were one state
		}
		for _, op := range tx.ops {
			op(p)
		}
		return nil
	})
	return err
}

// getRaw reads a string key: nil, false when it does not exist.
func (tx *redisTx) getRaw(key string) ([]byte, bool, error) {
	if v, ok := tx.strs[key]; ok {
		return v, v != nil, nil
	}
	var cmd *redis.StringCmd
	if err := tx.read([]string{key}, func(p redis.Pipeliner) { cmd = p.Get(tx.ctx, key) }); err != nil {
		return nil, false, err
	}
	b, err := cmd.Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	return b, err == nil, err
}

// getRaws reads string keys at once; a missing key's entry is nil.
func (tx *redisTx) getRaws(keys []string) ([][]byte, error) {
	out := make([][]byte, len(keys))
	var ask []string
	for _, k := range keys {
		if _, ok := tx.strs[k]; !ok {
			ask = append(ask, k)
		}
	}
	var cmd *redis.SliceCmd
	if len(ask) > 0 {
		if err := tx.read(ask, func(p redis.Pipeliner) { cmd = p.MGet(tx.ctx, ask...) }); err != nil {
			return nil, err
		}
	}
	got := map[string][]byte{}
	if cmd != nil {
		for i, v := range cmd.Val() {
			if s, ok := v.(string); ok {
				got[ask[i]] = []byte(s)
			}
		}
	}
	for i, k := range keys {
		if v, ok := tx.strs[k]; ok {
			out[i] = v
		} else {
			out[i] = got[k]
		}
	}
	return out, nil
}

// putRaw writes a string key; a non-zero expireAt (wall clock) is its TTL.
func (tx *redisTx) putRaw(key string, val []byte, expireAt time.Time) error {
	if err := tx.write(func(p redis.Pipeliner) {
		if expireAt.IsZero() {
			p.Set(tx.ctx, key, val, 0)
		} else {
			p.Do(tx.ctx, "SET", key, val, "PXAT", expireAt.UnixMilli())
		}
	}); err != nil {
		return err
	}
	tx.strs[key] = slices.Clone(val)
	return nil
}

func (tx *redisTx) delRaw(key string) error {
	if err := tx.write(func(p redis.Pipeliner) { p.Del(tx.ctx, key) }); err != nil {
		return err
	}
	tx.strs[key] = nil
	return nil
}

// members lists a set, with this transaction's changes.
func (tx *redisTx) members(key string) ([]string, error) {
	present := map[string]bool{}
	if !tx.cleared[key] {
		var cmd *redis.StringSliceCmd
		if err := tx.read([]string{key}, func(p redis.Pipeliner) { cmd = p.SMembers(tx.ctx, key) }); err != nil {
			return nil, err
		}
		for _, m := range cmd.Val() {
			present[m] = true
		}
	}
	for m, in := range tx.sets[key] {
		present[m] = in
	}
	var out []string
	for m, in := range present {
		if in {
			out = append(out, m)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (tx *redisTx) setMember(key, member string, in bool) error {
	if err := tx.write(func(p redis.Pipeliner) {
		if in {
			p.SAdd(tx.ctx, key, member)
		} else {
			p.SRem(tx.ctx, key, member)
		}
	}); err != nil {
		return err
	}
	if tx.sets[key] == nil {
		tx.sets[key] = map[string]bool{}
	}
	tx.sets[key][member] = in
	return nil
}

// clear deletes a set or hash key whole.
func (tx *redisTx) clear(key string) error {
	if err := tx.write(func(p redis.Pipeliner) { p.Del(tx.ctx, key) }); err != nil {
		return err
	}
	tx.cleared[key] = true
	delete(tx.sets, key)
	delete(tx.hashes, key)
	return nil
}

// hashAll reads a hash, with this transaction's changes, ordered by field.
func (tx *redisTx) hashAll(key string) ([][]byte, error) {
	fields := map[string][]byte{}
	if !tx.cleared[key] {
		var cmd *redis.MapStringStringCmd
		if err := tx.read([]string{key}, func(p redis.Pipeliner) { cmd = p.HGetAll(tx.ctx, key) }); err != nil {
			return nil, err
		}
		for f, v := range cmd.Val() {
			fields[f] = []byte(v)
		}
	}
	for f, v := range tx.hashes[key] {
		fields[f] = v
	}
	var names []string
	for f, v := range fields {
		if v != nil {
			names = append(names, f)
		}
	}
	slices.Sort(names)
	out := make([][]byte, len(names))
	for i, f := range names {
		out[i] = fields[f]
	}
	return out, nil
}

func (tx *redisTx) hashSet(key, field string, val []byte) error {
	if err := tx.write(func(p redis.Pipeliner) { p.HSet(tx.ctx, key, field, val) }); err != nil {
		return err
	}
	if tx.hashes[key] == nil {
		tx.hashes[key] = map[string][]byte{}
	}
	tx.hashes[key][field] = slices.Clone(val)
	return nil
}

// expireNoSooner makes key live at least until at: it sets a TTL on a key without one
// and only lengthens one it has (PEXPIREAT NX, then GT).
func (tx *redisTx) expireNoSooner(key string, at time.Time) error {
	return tx.write(func(p redis.Pipeliner) {
		p.Do(tx.ctx, "PEXPIREAT", key, at.UnixMilli(), "NX")
		p.Do(tx.ctx, "PEXPIREAT", key, at.UnixMilli(), "GT")
	})
}

// The expiry index of a kind: a sorted set of ids scored by their end (Unix ms),
// which DeleteExpired reads instead of scanning.
func (tx *redisTx) indexExpiry(kind, id string, end time.Time) error {
	return tx.write(func(p redis.Pipeliner) {
		p.ZAdd(tx.ctx, tx.s.key("exp", kind), redis.Z{Score: float64(end.UnixMilli()), Member: id})
	})
}

func (tx *redisTx) unindexExpiry(kind, id string) error {
	return tx.write(func(p redis.Pipeliner) { p.ZRem(tx.ctx, tx.s.key("exp", kind), id) })
}

func getJSON[T any](tx *redisTx, key string) (T, error) {
	var v T
	raw, ok, err := tx.getRaw(key)
	if err != nil {
		return v, err
	}
	if !ok {
		return v, ErrNotFound
	}
	return v, json.Unmarshal(raw, &v)
}

// getJSONs decodes the records at keys that exist, in order.
func getJSONs[T any](tx *redisTx, keys []string) ([]T, error) {
	raws, err := tx.getRaws(keys)
	if err != nil {
		return nil, err
	}
	out := make([]T, 0, len(raws))
	for _, raw := range raws {
		if raw == nil {
			continue
		}
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func putJSON(tx *redisTx, key string, v any, expireAt time.Time) error {
	if !tx.writable {
		return errReadOnly
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.putRaw(key, raw, expireAt)
}

func decodeAll[T any](raws [][]byte) ([]T, error) {
	out := make([]T, 0, len(raws))
	for _, raw := range raws {
		var v T
		if err := json.Unmarshal(raw, &v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
