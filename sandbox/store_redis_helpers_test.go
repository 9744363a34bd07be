package sandbox

import (
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
