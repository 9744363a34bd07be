package swarm

import (
	"math/bits"
	"time"
)

// histogram counts latencies in log-linear buckets, in the way of HDR histograms:
// values below 2^subBits nanoseconds are exact, larger ones keep subBits significant
// bits (an error under 1%), so its memory is fixed however many calls a run makes.
// Not safe for concurrent use; its owner locks.
type histogram struct {
	counts   [bucketCount]uint64
	n        uint64
	sum      time.Duration
	min, max time.Duration
}

const (
	subBits     = 7
	halfBuckets = 1 << (subBits - 1)
	// maxTracked bounds a value at about 18 minutes: far beyond any call's timeout.
	maxTracked  = time.Duration(1)<<40 - 1
	bucketCount = (40-subBits+1)*halfBuckets + 1<<subBits
)

func bucketOf(v time.Duration) int {
	u := uint64(min(max(v, 0), maxTracked))
	if u < 1<<subBits {
		return int(u)
	}
	shift := bits.Len64(u) - subBits
	return shift*halfBuckets + int(u>>shift)
}

// bucketRange is the smallest and largest value that fall in bucket i.
func bucketRange(i int) (lo, hi time.Duration) {
	if i < 1<<subBits {
		return time.Duration(i), time.Duration(i)
	}
	shift := i/halfBuckets - 1
	top := uint64(i - shift*halfBuckets)
	return time.Duration(top << shift), time.Duration((top+1)<<shift - 1)
}

func (h *histogram) record(v time.Duration) {
	if h.n == 0 || v < h.min {
		h.min = v
	}
	if v > h.max {
		h.max = v
	}
	h.n++
	h.sum += v
	h.counts[bucketOf(v)]++
}

// quantile is the value at or below which a fraction q of the calls fall: the middle
// of its bucket, kept within the smallest and largest value seen. Zero when empty.
func (h *histogram) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := uint64(q*float64(h.n) + 0.999999)
	rank = min(max(rank, 1), h.n)
	if rank == h.n {
		return h.max
	}
	var seen uint64
	for i, c := range h.counts {
		if seen += c; seen >= rank {
			lo, hi := bucketRange(i)
			return min(max(lo+(hi-lo)/2, h.min), h.max)
		}
	}
	return h.max
}

func (h *histogram) mean() time.Duration {
	if h.n == 0 {
		return 0
	}
	return h.sum / time.Duration(h.n)
}
