package sandbox

import (
	"context"
	"encoding/json"
	"time"

	"github.com/redis/go-redis/v9"
)

// deleteMatching deletes, in one script (so atomically, as Reset must be), every key
// that matches the pattern ARGV[1].
var deleteMatching = redis.NewScript(`
local cursor = "0"
local n = 0
repeat
  local r = redis.call("SCAN", cursor, "MATCH", ARGV[1], "COUNT", 1000)
  cursor = r[1]
  for _, k in ipairs(r[2]) do
    redis.call("DEL", k)
    n = n + 1
  end
until cursor == "0"
return n
`)

// Reset deletes every record; the keys and the limiter windows are not records.
func (s *redisStore) Reset() error {
	return deleteMatching.Run(context.Background(), s.rdb, nil, s.prefix+"d:*").Err()
}

// Counts scans the records: an admin call, rare enough for a scan.
func (s *redisStore) Counts(now time.Time) (StoreCounts, error) {
	ctx := context.Background()
	var c StoreCounts
	var err error
	count := func(kind string) int {
		if err != nil {
			return 0
		}
		var keys []string
		keys, err = s.scan(ctx, kind)
		return len(keys)
	}
	c.Profiles, c.Devices, c.Clients, c.PlatformSubscribers = count("profile"), count("dev"), count("client"), count("sub")
	if err != nil {
		return c, err
	}
	live := func(kind string, end func([]byte) time.Time) int {
		if err != nil {
			return 0
		}
		var keys []string
		if keys, err = s.scan(ctx, kind); err != nil || len(keys) == 0 {
			return 0
		}
		var vals []any
		if vals, err = s.rdb.MGet(ctx, keys...).Result(); err != nil {
			return 0
		}
		n := 0
		for _, v := range vals {
			if raw, ok := v.(string); ok && now.Before(end([]byte(raw))) {
				n++
			}
		}
		return n
	}
	c.LinkCodes = live("code", func(raw []byte) time.Time { var v LinkCode; _ = json.Unmarshal(raw, &v); return v.NotAfter })
	c.AccessTokens = live("token", func(raw []byte) time.Time { var v AccessToken; _ = json.Unmarshal(raw, &v); return v.ExpiresAt })
	c.MVPDLogins = live("mvpdlogin", func(raw []byte) time.Time { var v MVPDLogin; _ = json.Unmarshal(raw, &v); return v.NotAfter })
	if err != nil {
		return c, err
	}
	auths, err := s.scan(ctx, "mvpdauth")
	for _, k := range auths {
		var n int64
		if n, err = s.rdb.HLen(ctx, k).Result(); err != nil {
			return c, err
		}
		c.MVPDAuthentications += int(n)
	}
	return c, err
}

// scan lists the keys of a record kind.
func (s *redisStore) scan(ctx context.Context, kind string) ([]string, error) {
	var out []string
	iter := s.rdb.Scan(ctx, 0, s.key(kind)+"*", 1000).Iterator()
	for iter.Next(ctx) {
		out = append(out, iter.Val())
	}
	return out, iter.Err()
}
