package sandbox

import (
	"net/http/httptest"
	"testing"

	"github.com/handoff-sso/handoff/integration/redisserver"
)

// openTestRedisStore opens the Redis driver on a redis-server of its own.
func openTestRedisStore(t *testing.T) Store {
	t.Helper()
	return openRedisOn(t, redisserver.Start(t, false))
}

func openRedisOn(t *testing.T, r *redisserver.Server) *redisStore {
	t.Helper()
	s, err := openRedisStore(r.URL(0), "handoff:")
	must(t, err)
	return s
}

// startOnSharedRedis starts n servers of cfg on one redis-server of their own, as
// instances sharing a store, all on one test clock.
func startOnSharedRedis(t *testing.T, n int, cfg Config) []*testServer {
	t.Helper()
	r := redisserver.Start(t, false)
	c := newClock()
	cfg.Store, cfg.Now = r.URL(0), c.Now
	servers := make([]*testServer, n)
	for i := range servers {
		s, err := New(cfg)
		must(t, err)
		hs := httptest.NewServer(s.Handler())
		t.Cleanup(func() { hs.Close(); _ = s.Shutdown(t.Context()) })
		servers[i] = &testServer{Server: s, URL: hs.URL, clock: c, http: hs.Client()}
	}
	return servers
}
