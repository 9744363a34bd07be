package sandbox

import (
	"encoding/json"
	"fmt"
	"sync"
)

// recordCache remembers the decoded form of the durable store's hottest records (the
// devices and access tokens every SSO call reads), keyed by their stored bytes: the
// same bytes always decode to the same value, so the cache needs no invalidation and
// can only answer for exactly what is stored. Decoding was a third of a read-only
// call's cost. It holds values without shared memory (no slices or maps), so a hit
// hands out a copy as a decode would.
type recordCache[T any] struct {
	mu sync.RWMutex
	m  map[string]T
}

// maxCachedRecords bounds each cache (a few MiB); past it, the cache starts over.
const maxCachedRecords = 16384

var (
	deviceRecords recordCache[Device]
	tokenRecords  recordCache[AccessToken]
)

func (c *recordCache[T]) decode(bucket, raw []byte) (T, error) {
	c.mu.RLock()
	v, ok := c.m[string(raw)]
	c.mu.RUnlock()
	if ok {
		return v, nil
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		return v, fmt.Errorf("sandbox store: corrupt record in %s: %w", bucket, err)
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxCachedRecords {
		c.m = make(map[string]T, 256)
	}
	c.m[string(raw)] = v
	c.mu.Unlock()
	return v, nil
}

// decodeAll is decode for each of raws, in order, taking the read lock once for all
// the hits (a profile's 1,000 devices took it 1,000 times, from every core).
func (c *recordCache[T]) decodeAll(bucket []byte, raws [][]byte) ([]T, error) {
	out := make([]T, len(raws))
	var missed []int
	c.mu.RLock()
	for i, raw := range raws {
		v, ok := c.m[string(raw)]
		if !ok {
			missed = append(missed, i)
		}
		out[i] = v
	}
	c.mu.RUnlock()
	for _, i := range missed {
		v, err := c.decode(bucket, raws[i])
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}
