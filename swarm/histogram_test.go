package swarm

import (
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// The histogram's quantiles agree with a sorted sample within its precision.
func TestHistogramQuantilesMatchSortedSample(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var h histogram
	var sample []time.Duration
	for range 100_000 {
		// Log-normal-ish: most calls fast, a long tail.
		v := time.Duration(float64(200*time.Microsecond) * (1 + r.ExpFloat64()*r.ExpFloat64()*10))
		h.record(v)
		sample = append(sample, v)
	}
	slices.Sort(sample)
	for _, q := range []float64{0.5, 0.9, 0.99, 0.999} {
		want := sample[int(q*float64(len(sample)))-1]
		got := h.quantile(q)
		if rel := float64(got-want) / float64(want); rel > 0.01 || rel < -0.01 {
			t.Errorf("quantile(%g) = %v, sorted sample says %v (%.2f%% off)", q, got, want, rel*100)
		}
	}
	if h.quantile(1) != sample[len(sample)-1] || h.max != sample[len(sample)-1] || h.min != sample[0] {
		t.Errorf("max %v min %v, sample %v..%v", h.max, h.min, sample[0], sample[len(sample)-1])
	}
}

func TestHistogramBucketsCoverEveryValue(t *testing.T) {
	for _, v := range []time.Duration{0, 1, 127, 128, 129, 255, 256, 1000, time.Millisecond, time.Second, time.Hour, maxTracked, maxTracked + 1} {
		i := bucketOf(v)
		lo, hi := bucketRange(i)
		if i < 0 || i >= bucketCount || min(v, maxTracked) < lo || min(v, maxTracked) > hi {
			t.Errorf("value %d: bucket %d holds %d..%d", v, i, lo, hi)
		}
	}
	var h histogram
	if h.quantile(0.5) != 0 || h.mean() != 0 {
		t.Error("an empty histogram has quantiles")
	}
}
