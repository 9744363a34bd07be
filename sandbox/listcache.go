package sandbox

import "sync"

// listCache keeps the list's answer of each large profile under the profile's
// DevicesVersion, so that a profile of 1,000 devices costs a copy of its 190 kB, not
// reading and encoding every device again, until a device joins, is seen, or
// leaves. A kept answer is only ever given for the version it was made from, and the
// version comes from the same read as the caller's own record.
type listCache struct {
	mu    sync.RWMutex
	m     map[string]keptList // profile ID →
	bytes int                 // the size of the kept answers
}

type keptList struct {
	version uint64
	body    []byte // never changed once kept: it is written out from many requests
}

const (
	// minKeptDevices is the smallest profile whose answer is kept: a smaller one
	// encodes in a few microseconds, less than what keeping it would save.
	minKeptDevices = 32
	// maxKeptBytes bounds the kept answers together; past it, arbitrary ones go.
	maxKeptBytes = 32 << 20
)

// drop forgets the profile's answer.
func (c *listCache) drop(profileID string) {
	c.mu.Lock()
	c.bytes -= len(c.m[profileID].body)
	delete(c.m, profileID)
	c.mu.Unlock()
}

// kept is the answer kept for the profile, at whatever version it was made from: the
// caller gives it only when that is the version it reads.
func (c *listCache) kept(profileID string) (keptList, bool) {
	c.mu.RLock()
	k, ok := c.m[profileID]
	c.mu.RUnlock()
	return k, ok
}

// keep stores a copy of body as the profile's answer at version.
func (c *listCache) keep(profileID string, version uint64, body []byte) {
	if version == 0 || len(body) > maxKeptBytes {
		return
	}
	kept := keptList{version: version, body: append([]byte(nil), body...)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]keptList{}
	}
	c.bytes -= len(c.m[profileID].body)
	for id, k := range c.m { // map order: an arbitrary victim each time
		if c.bytes+len(body) <= maxKeptBytes {
			break
		}
		delete(c.m, id)
		c.bytes -= len(k.body)
	}
	c.m[profileID] = kept
	c.bytes += len(body)
}
