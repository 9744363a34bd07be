package main

import (
	"io"
	"net/http"
	"regexp"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strconv"
	"strings"
	"testing"
)

func TestGCPercentFor(t *testing.T) {
	const mib = 1 << 20
	// goal is the runtime's heap goal under GOGC p (see goHeapMinimum).
	goal := func(live uint64, p int) uint64 {
		return max(goHeapMinimum*uint64(p)/100, live+live*uint64(p)/100)
	}
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, 1600},            // nothing live yet: the floor alone is the goal, 64 MiB
		{1 * mib, 1625},      // the sandbox at rest: 65 MiB
		{16 * mib, 400},      // 80 MiB
		{64 * mib, 100},      // Go's own goal, twice the live heap, is already that far
		{1024 * mib, 100},    // never collect more often than Go would
		{3 * mib / 2, 1637},  // rounded down: the goal stays within the headroom
		{100 * mib / 3, 192}, // where the live term binds
	} {
		got := gcPercentFor(c.live, gcHeadroom)
		if got != c.want {
			t.Errorf("gcPercentFor(%d MiB) = %d, want %d", c.live/mib, got, c.want)
		}
		if g := goal(c.live, got); g > c.live+max(c.live, gcHeadroom) || got > 100 && g < c.live+gcHeadroom-gcHeadroom/50 {
			t.Errorf("live %d MiB: goal %d MiB under GOGC=%d, want %d MiB", c.live/mib, g/mib, got, (c.live+max(c.live, gcHeadroom))/mib)
		}
	}
}

// TestServeGCHeadroomPacesTheRealRuntime: with the policy held, 512 MiB of garbage
// starts a collection about every 64 MiB, not every 4 MiB, and the headroom follows a
// live heap that grows; let go, the GOGC set before comes back. It is not parallel: the counts are of the whole process.
func TestServeGCHeadroomPacesTheRealRuntime(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	untuned := collectionsWhileAllocating(512 << 20)
	release := serveGC.hold()
	tuned := collectionsWhileAllocating(512 << 20)
	// A live heap of 48 MiB is found by the next collections, and the headroom
	// follows it: GOGC 133 (goal 112 MiB), not the 1,600 of an empty heap (784 MiB).
	live := make([]byte, 48<<20)
	collectionsWhileAllocating(256 << 20)
	grown := currentGCPercent()
	runtime.KeepAlive(live)
	release()
	release() // a second call is harmless
	after := debug.SetGCPercent(100)
	t.Logf("collections: %d untuned, %d held", untuned, tuned)
	if untuned < 40 || tuned > 12 {
		t.Errorf("collections for 512 MiB of garbage: %d at GOGC=100, %d held; want 40 or more, then 12 or fewer", untuned, tuned)
	}
	if grown < 100 || grown > 140 {
		t.Errorf("GOGC with 48 MiB live is %d, want about 133", grown)
	}
	if after != 100 {
		t.Errorf("GOGC after release is %d, want the 100 set before the hold", after)
	}
}

// currentGCPercent reads GOGC, which only setting it tells.
func currentGCPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// collectionsWhileAllocating allocates n bytes of garbage in 64 KiB pieces and says
// how many collections ran meanwhile.
func collectionsWhileAllocating(n int) uint64 {
	s := []metrics.Sample{{Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(s)
	start := s[0].Value.Uint64()
	for range n / (64 << 10) {
		sink = make([]byte, 64<<10)
	}
	sink = nil
	metrics.Read(s)
	return s[0].Value.Uint64() - start
}

var sink []byte

// TestServeProcessKeepsGCHeadroom: a real `handoff serve`, refusing a thousand
// 60 kB registrations, collects a few times with a goal of about 64 MiB, where the
// same process under GOGC=100 (the user's choice, which serve leaves alone)
// collects every few MiB. The runtime's own trace (GODEBUG=gctrace=1) counts them.
func TestServeProcessKeepsGCHeadroom(t *testing.T) {
	t.Parallel()
	body := `{"software_statement":"` + strings.Repeat("a", 60_000) + `"}`
	goal := regexp.MustCompile(`(?m)^gc \d+ .* (\d+) MB goal`)
	run := func(env ...string) (cycles, maxGoal int) {
		url, logs, stop := serveWithEnv(t, append([]string{"GODEBUG=gctrace=1"}, env...))
		for range 1000 {
			resp, err := http.Post(url+"/o/client/register", "application/json", strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("register: %s, want 400 invalid_software_statement", resp.Status)
			}
		}
		stop()
		for _, m := range goal.FindAllStringSubmatch(logs.String(), -1) {
			mb, _ := strconv.Atoi(m[1])
			cycles, maxGoal = cycles+1, max(maxGoal, mb)
		}
		return cycles, maxGoal
	}
	tunedCycles, tunedGoal := run()
	userCycles, userGoal := run("GOGC=100")
	t.Logf("collections: %d (goal up to %d MB) by serve's policy, %d (up to %d MB) under GOGC=100", tunedCycles, tunedGoal, userCycles, userGoal)
	if tunedCycles > 8 || tunedGoal < 60 || tunedGoal > 80 {
		t.Errorf("serve: %d collections, goal up to %d MB; want 8 or fewer, with a goal of 60 to 80 MB", tunedCycles, tunedGoal)
	}
	if userCycles < 20 || userGoal > 8 {
		t.Errorf("serve under GOGC=100: %d collections, goal up to %d MB; want 20 or more, with Go's 4 MB goal", userCycles, userGoal)
	}
}
