package sandbox

import (
	"hash/maphash"
	"iter"
)

// memoryShards is how many maps one kind of record of the memory store is spread
// over, so that the sweep can look through one at a time: a Go map cannot be walked
// in parts, and a walk over a million records under the lock held every request up.
const memoryShards = 64

var shardSeed = maphash.MakeSeed()

// shards is one kind of record, by key, spread over memoryShards maps.
type shards[V any] [memoryShards]map[string]V

func newShards[V any]() *shards[V] {
	var s shards[V]
	for i := range s {
		s[i] = map[string]V{}
	}
	return &s
}

// of is the map that holds (or would hold) key k.
func (s *shards[V]) of(k string) map[string]V {
	return s[maphash.String(shardSeed, k)%memoryShards]
}

func (s *shards[V]) len() int {
	n := 0
	for _, m := range s {
		n += len(m)
	}
	return n
}

// all visits every record (deleting the one visited is allowed, as on a map).
func (s *shards[V]) all() iter.Seq2[string, V] {
	return func(yield func(string, V) bool) {
		for _, m := range s {
			for k, v := range m {
				if !yield(k, v) {
					return
				}
			}
		}
	}
}

func (s *shards[V]) clear() {
	for _, m := range s {
		clear(m)
	}
}
