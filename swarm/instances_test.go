package swarm

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync/atomic"
	"testing"

	"github.com/handoff-sso/handoff/integration/redisserver"
	"github.com/handoff-sso/handoff/sandbox"
	"github.com/handoff-sso/handoff/sandboxtest"
)

// TestSwarmAcrossInstances: with --instance, the TVs and their phones are spread
// over two sandboxes that share one Redis, every join crossing from one to the
// other, and each instance answers its share.
func TestSwarmAcrossInstances(t *testing.T) {
	redis := redisserver.Start(t, false)
	var urls []string
	var served []*atomic.Int64
	for range 2 {
		sb := sandboxtest.New(t, sandboxtest.WithConfig(sandbox.Config{Store: redis.URL(0)}))
		// A counting proxy in front of each instance tells which one answered.
		target, _ := url.Parse(sb.URL)
		n := &atomic.Int64{}
		proxy := httputil.NewSingleHostReverseProxy(target)
		front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			proxy.ServeHTTP(w, r)
		}))
		t.Cleanup(front.Close)
		urls, served = append(urls, front.URL), append(served, n)
	}
	const tvs = 20
	r := run(t, Options{Server: urls[0], Instances: urls[1:], TVs: tvs, Concurrency: 8})
	if !r.Clean() || r.Joined != tvs || r.Unlinked != tvs || len(r.Instances) != 1 {
		t.Fatalf("report: %+v", r)
	}
	// Each pair's phone and TV are on different instances, so each instance serves
	// half of the devices' calls (the statement is fetched once, from --server).
	a, b := served[0].Load(), served[1].Load()
	if a == 0 || b == 0 || a-b > 2 || b-a > 2 {
		t.Errorf("instance calls %d and %d, want about half each (of %d)", a, b, r.Requests)
	}
}
