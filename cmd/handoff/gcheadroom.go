package main

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// serve's garbage-collection policy. Go starts a collection once the heap has grown
// by GOGC percent (100) over what the last one found live, and at 4 MiB at the least.
// A sandbox keeps about 1 MiB live and allocates a few kB per request, so under load
// Go collected 7 to 10 times a second, and those collections (marking, write
// barriers, assists, sweeping, faulting freed pages back in) cost about a tenth of a
// service-token call's CPU: GOGC=1600 ran it 7 to 11 % faster in paired wrk runs on
// 2026-12-02. serve lets the heap grow by gcHeadroom past the live heap instead, never
// by less than Go would (twice the live heap): a busy sandbox collects about once a
// second, for up to gcHeadroom more memory. GOGC in the environment is the user's
// choice and turns this off; GOMEMLIMIT still bounds the heap either way.
const gcHeadroom = 64 << 20

// goHeapMinimum is the runtime's floor of the heap goal at GOGC=100 (its
// defaultHeapMinimum); the runtime scales it by GOGC/100.
const goHeapMinimum = 4 << 20

// gcPercentFor is the GOGC whose heap goal is live+headroom, or 100 when Go's own
// goal is larger. The goal under p is max(goHeapMinimum·p/100, live·(1+p/100)): the
// answer is the largest p that keeps both terms within live+headroom.
func gcPercentFor(live, headroom uint64) int {
	p := 100 * (live + headroom) / goHeapMinimum
	if live > 0 {
		p = min(p, 100*headroom/live)
	}
	return int(max(p, 100))
}

// gcTuner sets GOGC after every collection from the live heap that collection found,
// for as long as anyone holds it: the in-process tests run several servers at once,
// and the last to let go gives back the GOGC that was set before the first.
type gcTuner struct {
	mu      sync.Mutex
	holders int
	gen     int // bumped when the first holder comes: a cleanup of an earlier hold stops
	before  int // GOGC when the first holder came
	percent int // what it was last set to
	live    []metrics.Sample
}

var serveGC = &gcTuner{live: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}

// hold turns the policy on until release is called.
func (t *gcTuner) hold() (release func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.holders++
	if t.holders == 1 {
		t.gen++
		t.percent = t.tunedLocked()
		t.before = debug.SetGCPercent(t.percent)
		t.armLocked()
	}
	var once sync.Once
	return func() { once.Do(t.release) }
}

func (t *gcTuner) release() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.holders--
	if t.holders == 0 {
		debug.SetGCPercent(t.before)
	}
}

// gcCycle is an object made only to become garbage: its cleanup runs after the
// collection that finds it so. It holds a pointer so that the runtime does not batch
// it with other small objects, whose liveness could keep the cleanup from running.
type gcCycle struct{ _ *byte }

type gcCycleOf struct {
	t   *gcTuner
	gen int
}

func (t *gcTuner) armLocked() {
	runtime.AddCleanup(new(gcCycle), afterGC, gcCycleOf{t, t.gen})
}

// afterGC retunes, and waits for the next collection, while the hold it was armed
// for lasts.
func afterGC(c gcCycleOf) {
	t := c.t
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.holders == 0 || c.gen != t.gen {
		return
	}
	if p := t.tunedLocked(); p != t.percent {
		t.percent = p
		debug.SetGCPercent(p)
	}
	t.armLocked()
}

// tunedLocked is the GOGC for the live heap the last collection found.
func (t *gcTuner) tunedLocked() int {
	metrics.Read(t.live)
	var live uint64
	if t.live[0].Value.Kind() == metrics.KindUint64 {
		live = t.live[0].Value.Uint64()
	}
	return gcPercentFor(live, gcHeadroom)
}
