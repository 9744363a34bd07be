package swarm

import (
	"context"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
)

// BenchmarkSwarm puts b.N TVs on a sandbox of each store over loopback; an op is one
// TV's whole life (nine calls with its phone's). The baseline is a bare GET of the
// sandbox's cheapest route at the same concurrency, so that the store's share of
// the cost shows against the HTTP stack's.
func BenchmarkSwarm(b *testing.B) {
	b.Run("baseline-bare-GET", func(b *testing.B) {
		sb := startSandbox(b, "memory")
		hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: DefaultConcurrency}}
		defer hc.CloseIdleConnections()
		var next atomic.Int64
		var wg sync.WaitGroup
		b.ResetTimer()
		for range DefaultConcurrency {
			wg.Go(func() {
				for next.Add(1) <= int64(b.N) {
					resp, err := hc.Get(sb.URL + "/sandbox/software-statement")
					if err != nil {
						b.Error(err)
						return
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
			})
		}
		wg.Wait()
	})
	for _, store := range []string{"memory", "bbolt"} {
		b.Run(store, func(b *testing.B) {
			sb := startSandbox(b, store)
			s, err := New(Options{Server: sb.URL, TVs: b.N})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			r, err := s.Run(context.Background())
			b.StopTimer()
			if err != nil || !r.Clean() {
				b.Fatalf("run: %v, %+v", err, r.Errors)
			}
			var p99 float64
			for _, c := range r.Calls {
				p99 = max(p99, c.P99Ms)
			}
			b.ReportMetric(r.RequestsPerSecond, "req/s")
			b.ReportMetric(p99, "worst-p99-ms")
		})
	}
}
